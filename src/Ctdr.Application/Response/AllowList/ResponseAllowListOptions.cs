using System.Globalization;
using Ctdr.Application.Accounts;

namespace Ctdr.Application.Response.AllowList;

/// <summary>
/// Settings of the automatic allow-list sources (section <c>Response:AllowList</c>), and the WAF back-to-origin
/// ranges by provider (section <c>Response:BackToOriginRanges:&lt;Provider&gt;</c>, a list of IPs and CIDRs each).
/// </summary>
public sealed class ResponseAllowListOptions
{
    public const string SectionName = "Response:AllowList";
    public const string BackToOriginSectionName = "Response:BackToOriginRanges";

    /// <summary>How far back successful sign-ins in the audit trail make an address the organisation's egress.</summary>
    public int EgressSignInDays { get; set; } = 30;

    /// <summary>
    /// Only sign-ins that passed multi-factor authentication count, so that a password-only sign-in (a stolen
    /// password, as in the sandbox's audit-misuse scenario) does not make the intruder's address unblockable.
    /// </summary>
    public bool EgressRequiresMfa { get; set; } = true;

    /// <summary>How long a compiled allow-list is used before it is rebuilt (changes made here rebuild it at once).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Back-to-origin ranges by provider name (<see cref="CloudProvider"/>), bound from <see cref="BackToOriginSectionName"/>.</summary>
    public Dictionary<string, string[]> BackToOriginRanges { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first problem with the settings, or null when they are usable.</summary>
    public string? Problem()
    {
        if (EgressSignInDays is < 1 or > 400)
        {
            return "Response:AllowList:EgressSignInDays must be between 1 and 400.";
        }

        if (RefreshInterval < TimeSpan.FromSeconds(10) || RefreshInterval > TimeSpan.FromHours(1))
        {
            return "Response:AllowList:RefreshInterval must be between 00:00:10 and 01:00:00.";
        }

        foreach (var (provider, ranges) in BackToOriginRanges)
        {
            if (!Enum.TryParse<CloudProvider>(provider, ignoreCase: true, out _) || int.TryParse(provider, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                return $"{BackToOriginSectionName}:{provider}: the provider must be one of {string.Join(", ", Enum.GetNames<CloudProvider>())}.";
            }

            foreach (var range in ranges ?? [])
            {
                if (!IpBlock.TryParse(range, out _, out var error))
                {
                    return $"{BackToOriginSectionName}:{provider}: {error}";
                }
            }
        }

        return null;
    }

    /// <summary>The configured back-to-origin ranges as allow-list items.</summary>
    public IEnumerable<AllowListItem> BackToOriginItems()
    {
        foreach (var (name, ranges) in BackToOriginRanges.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var provider = Enum.Parse<CloudProvider>(name, ignoreCase: true);
            foreach (var range in ranges ?? [])
            {
                var block = IpBlock.Parse(range);
                yield return new AllowListItem(
                    AllowListSource.BackToOrigin,
                    block.IsSingleAddress ? ResponseAllowListKind.Ip : ResponseAllowListKind.Cidr,
                    block.ToString(),
                    $"{CloudProviders.DisplayName(provider)} WAF back-to-origin range (configuration)");
            }
        }
    }
}
