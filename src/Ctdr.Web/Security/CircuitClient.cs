namespace Ctdr.Web.Security;

/// <summary>
/// What is known of the browser behind an interactive circuit, captured when the page was first served
/// (a circuit has no HTTP request of its own to read it from).
/// </summary>
public sealed class CircuitClient
{
    public string? IpAddress { get; set; }
}
