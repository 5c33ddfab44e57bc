namespace Ctdr.Application.Common;

/// <summary>Who performs an action: a signed-in user, an anonymous visitor (sign-in attempts) or the system.</summary>
public sealed record Actor(string? UserId, string Name, string? IpAddress)
{
    public static Actor System { get; } = new(null, "system", null);

    public static Actor Anonymous(string attemptedName, string? ipAddress) => new(null, attemptedName, ipAddress);
}
