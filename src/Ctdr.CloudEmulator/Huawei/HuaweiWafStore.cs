using System.Net;
using Ctdr.CloudEmulator.Traffic;

namespace Ctdr.CloudEmulator.Huawei;

/// <summary>A black/white IP rule of a Huawei WAF policy, as the API shows it (<c>white</c>: 0 block, 1 allow, 2 log only).</summary>
internal sealed record HuaweiIpRule(string Id, string Name, string PolicyId, string Addr, int White, string? Description, string TimeMode, long? Start, long? Terminal, long Timestamp);

/// <summary>A Huawei WAF policy: its bound hosts and its black/white IP rules, oldest first.</summary>
internal sealed class HuaweiWafPolicy(string id, string name, long timestamp, IReadOnlyList<WafDomainInfo> hosts)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public long Timestamp { get; } = timestamp;
    public IReadOnlyList<WafDomainInfo> Hosts { get; } = hosts;
    public List<HuaweiIpRule> Rules { get; } = [];
}

/// <summary>A refusal of the WAF service, answered as <c>{"error_code","error_msg"}</c>.</summary>
internal sealed class HuaweiWafException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}

/// <summary>
/// The Huawei WAF of the sandbox project: one policy protecting the generated traffic's hosts. Blocking rules
/// (<c>white</c> 0) are mirrored into the policy's <see cref="BlockList"/>, which the generated traffic consults.
/// </summary>
internal sealed class HuaweiWafStore(SandboxState state, string projectId, int quota)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, HuaweiWafPolicy> policies = new(StringComparer.Ordinal);

    public string ProjectId { get; } = projectId;

    public void AddPolicy(HuaweiWafPolicy policy) => policies[policy.Id] = policy;

    public IReadOnlyList<HuaweiWafPolicy> Policies()
    {
        lock (gate)
        {
            return [.. policies.Values.OrderBy(p => p.Timestamp)];
        }
    }

    /// <summary>The policy a host is bound to, or null when the host is not protected.</summary>
    public HuaweiWafPolicy? PolicyOf(string hostname)
    {
        lock (gate)
        {
            return policies.Values.FirstOrDefault(p => p.Hosts.Any(h => string.Equals(h.Name, hostname, StringComparison.OrdinalIgnoreCase)));
        }
    }

    public IReadOnlyList<HuaweiIpRule> Rules(string policyId)
    {
        lock (gate)
        {
            return [.. Policy(policyId).Rules];
        }
    }

    public HuaweiIpRule Create(string policyId, string name, string addr, int white, string? description, string timeMode, long? start, long? terminal, DateTimeOffset now)
    {
        var network = Network(addr);
        lock (gate)
        {
            var policy = Policy(policyId);
            if (policy.Rules.Any(r => string.Equals(r.Name, name, StringComparison.Ordinal)))
            {
                throw new HuaweiWafException(400, "WAF.00021003", $"The rule name {name} already exists in policy {policyId}");
            }

            if (policy.Rules.Any(r => Network(r.Addr).Equals(network)))
            {
                throw new HuaweiWafException(400, "WAF.00021003", $"The IP address {addr} already exists in a blacklist or whitelist rule of policy {policyId}");
            }

            if (policy.Rules.Count >= quota)
            {
                throw new HuaweiWafException(400, "WAF.00022002", $"The number of blacklist and whitelist rules of the policy has reached the upper limit {quota}");
            }

            var rule = new HuaweiIpRule(Guid.NewGuid().ToString("N"), name, policyId, addr, white, description, timeMode, start, terminal, now.ToUnixTimeMilliseconds());
            policy.Rules.Add(rule);
            if (white == 0)
            {
                state.WafBlockList("huawei", ProjectId, policyId).Add(addr, rule.Id, terminal is { } end ? DateTimeOffset.FromUnixTimeSeconds(end) : null, now);
            }

            return rule;
        }
    }

    public HuaweiIpRule Delete(string policyId, string ruleId)
    {
        lock (gate)
        {
            var policy = Policy(policyId);
            var rule = policy.Rules.FirstOrDefault(r => r.Id == ruleId)
                ?? throw new HuaweiWafException(404, "WAF.00021001", $"The rule {ruleId} does not exist in policy {policyId}");
            policy.Rules.Remove(rule);
            if (rule.White == 0)
            {
                state.WafBlockList("huawei", ProjectId, policyId).Remove(rule.Addr);
            }

            return rule;
        }
    }

    /// <summary>An IP or CIDR as the WAF accepts it; 0.0.0.0/0 and anything else is refused.</summary>
    public static IPNetwork Network(string addr)
    {
        var text = addr.Trim();
        IPNetwork network;
        if (IPAddress.TryParse(text, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        else if (!IPNetwork.TryParse(text, out network))
        {
            throw new HuaweiWafException(400, "WAF.00021005", $"Invalid addr {addr}: enter a standard IP address or range, e.g. 42.123.120.66 or 42.123.120.0/16");
        }

        return network.PrefixLength == 0
            ? throw new HuaweiWafException(400, "WAF.00021005", $"Invalid addr {addr}: the whole address space cannot be blacklisted or whitelisted")
            : network;
    }

    private HuaweiWafPolicy Policy(string policyId) =>
        policies.GetValueOrDefault(policyId) ?? throw new HuaweiWafException(404, "WAF.00021001", $"The policy {policyId} does not exist");
}
