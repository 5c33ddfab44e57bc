using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Application.Response.AllowList;

/// <summary>
/// The safety envelope's view of the response allow-list: the current matcher (manual entries, reserved ranges,
/// egress sign-ins, back-to-origin ranges) as a lookup, and the prevented-block counter. An address the matcher cannot
/// read is refused (fails closed).
/// </summary>
public sealed class AllowListLookup(ResponseAllowListCache cache, IServiceScopeFactory scopes) : IResponseAllowListLookup
{
    public async Task<Func<string, string?>> CurrentAsync(CancellationToken cancellationToken)
    {
        var matcher = await cache.CurrentAsync(cancellationToken);
        return address => Reason(matcher, address);
    }

    public async Task RecordPreventedAsync(string address, CancellationToken cancellationToken)
    {
        var matcher = await cache.CurrentAsync(cancellationToken);
        if (Hit(matcher, address) is { } hit)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ResponseAllowList>().RecordPreventedAsync(hit, cancellationToken);
        }
    }

    private static string? Reason(AllowListMatcher matcher, string address)
    {
        try
        {
            return matcher.Match(address)?.Reason;
        }
        catch (ArgumentException)
        {
            return "it cannot be checked against the allow-list (not a plain IP address or CIDR)";
        }
    }

    private static AllowListHit? Hit(AllowListMatcher matcher, string address)
    {
        try
        {
            return matcher.Match(address);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
