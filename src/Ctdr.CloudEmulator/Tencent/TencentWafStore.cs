using System.Net;
using Ctdr.CloudEmulator.Traffic;

namespace Ctdr.CloudEmulator.Tencent;

/// <summary>One address of an IP access-control rule (ActionType 42 blocklist, 40 allowlist), as DescribeIpAccessControl shows it.</summary>
internal sealed record TencentIpEntry(string Id, ulong RuleId, int ActionType, string Ip, string Note, string Source, long CreateTime, long ValidTs, string JobType, long? StartTs);

/// <summary>A refusal of the WAF API, answered as <c>{"Response":{"Error":{"Code","Message"}}}</c>.</summary>
internal sealed class TencentWafException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The Tencent WAF of the sandbox account: one SaaS instance protecting the generated traffic's domains, with each
/// domain's IP blocklist and allowlist. Blocklist entries are mirrored into the domain's <see cref="BlockList"/>,
/// which the generated traffic consults.
/// </summary>
internal sealed class TencentWafStore(SandboxState state, string appId, TencentWafInfo instance, int quota)
{
    /// <summary>What the API shows as the end of an entry that never expires (2033-12-31 23:59:59 +08:00).</summary>
    public const long Permanent = 2019571199;

    private readonly Lock gate = new();
    private readonly Dictionary<string, List<TencentIpEntry>> entries = instance.Domains.ToDictionary(d => d.Name, _ => new List<TencentIpEntry>(), StringComparer.OrdinalIgnoreCase);
    private ulong nextRuleId = 55_000_001;
    private long nextId = 1;

    public string AppId { get; } = appId;

    public TencentWafInfo Instance { get; } = instance;

    public ulong Create(string? instanceId, string? domain, IReadOnlyList<string> ips, int actionType, string? edition, string source, string note, string jobType, long? start, long? end, DateTimeOffset now)
    {
        if (instanceId is not null && instanceId != Instance.InstanceId)
        {
            throw new TencentWafException("ResourceNotFound", $"The WAF instance {instanceId} does not exist.");
        }

        if (edition is not null && edition != Instance.Edition)
        {
            throw new TencentWafException("InvalidParameter", $"Edition {edition} does not match the instance's edition {Instance.Edition}.");
        }

        if (actionType is not (40 or 42))
        {
            throw new TencentWafException("InvalidParameterValue", $"ActionType {actionType} is invalid: 42 blocklist, 40 allowlist.");
        }

        if (ips.Count == 0)
        {
            throw new TencentWafException("InvalidParameter", "IpList must not be empty.");
        }

        var networks = ips.Select(Network).ToList();
        lock (gate)
        {
            var list = Domain(domain);
            foreach (var (ip, network) in ips.Zip(networks))
            {
                if (list.FirstOrDefault(e => Network(e.Ip).Equals(network)) is { } existing)
                {
                    throw new TencentWafException("ResourceInUse", $"The IP {ip} already exists in the {(existing.ActionType == 42 ? "blocklist" : "allowlist")} of {domain} (rule {existing.RuleId}).");
                }
            }

            if (list.Count + ips.Count > quota)
            {
                throw new TencentWafException("LimitExceeded", $"The IP blocklist/allowlist of {domain} would exceed its quota of {quota} entries.");
            }

            var ruleId = nextRuleId++;
            var validTs = end ?? Permanent;
            foreach (var ip in ips)
            {
                list.Add(new TencentIpEntry((nextId++).ToString("x24", System.Globalization.CultureInfo.InvariantCulture), ruleId, actionType, ip, note, source, now.ToUnixTimeSeconds(), validTs, jobType, start));
                if (actionType == 42)
                {
                    state.WafBlockList("tencent", AppId, domain!).Add(ip, ruleId.ToString(System.Globalization.CultureInfo.InvariantCulture), end is null ? null : DateTimeOffset.FromUnixTimeSeconds(validTs), now);
                }
            }

            return ruleId;
        }
    }

    public IReadOnlyList<TencentIpEntry> Describe(string? domain)
    {
        lock (gate)
        {
            return [.. Domain(domain)];
        }
    }

    public int UsedTotal()
    {
        lock (gate)
        {
            return entries.Values.Sum(l => l.Count);
        }
    }

    /// <summary>Deletes the rules' entries (or all of one action type); returns how many of the given rule ids were not found.</summary>
    public int Delete(string? domain, IReadOnlyList<ulong> ruleIds, bool deleteAll, int? actionType)
    {
        lock (gate)
        {
            var list = Domain(domain);
            var removed = deleteAll
                ? list.Where(e => actionType is null || e.ActionType == actionType).ToList()
                : list.Where(e => ruleIds.Contains(e.RuleId)).ToList();
            foreach (var entry in removed)
            {
                list.Remove(entry);
                if (entry.ActionType == 42)
                {
                    state.WafBlockList("tencent", AppId, domain!).Remove(entry.Ip);
                }
            }

            return deleteAll ? 0 : ruleIds.Count(id => removed.All(e => e.RuleId != id));
        }
    }

    /// <summary>An IP or CIDR as the WAF accepts it.</summary>
    public static IPNetwork Network(string ip)
    {
        var text = ip.Trim();
        if (IPAddress.TryParse(text, out var single))
        {
            return new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        return IPNetwork.TryParse(text, out var network) && network.PrefixLength > 0
            ? network
            : throw new TencentWafException("InvalidParameter.InvalidIp", $"{ip} is not a valid IP address or CIDR block.");
    }

    private List<TencentIpEntry> Domain(string? domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            throw new TencentWafException("MissingParameter", "The request is missing a required parameter `Domain`.");
        }

        return entries.GetValueOrDefault(domain)
            ?? throw new TencentWafException("ResourceNotFound", $"The domain {domain} is not protected by a WAF instance of this account.");
    }
}
