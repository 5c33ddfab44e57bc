namespace Ctdr.Application.Response.AllowList;

/// <summary>An address seen signing in successfully to the organisation's cloud console: how often, when last, as whom (a few names).</summary>
public sealed record EgressSignIn(string Address, int SignIns, DateTimeOffset LastSeen, IReadOnlyList<string> Users);

/// <summary>
/// Finds the organisation's own egress addresses in stored audit logs: successful console sign-ins (Alibaba
/// ActionTrail <c>ConsoleSignin</c> without an error code, normalised as Authentication / Logon / Success).
/// </summary>
public interface IEgressSignIns
{
    /// <param name="since">Sign-ins at or after this time count.</param>
    /// <param name="requireMfa">Only sign-ins that passed multi-factor authentication count.</param>
    Task<IReadOnlyList<EgressSignIn>> FindAsync(DateTimeOffset since, bool requireMfa, CancellationToken cancellationToken);
}
