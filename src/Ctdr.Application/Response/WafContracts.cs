using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Response;

/// <summary>Where a block applies: a WAF instance of the account, and for per-domain WAFs (Tencent) or per-policy WAFs (Huawei) the protected domain.</summary>
public sealed record WafScope(string InstanceId, string? Domain = null)
{
    public override string ToString() => Domain is null ? InstanceId : $"{InstanceId}/{Domain}";
}

/// <summary>
/// A block to place: an IP address or CIDR, until when (clouds that can expire a rule get the end time; Ctdr removes
/// the entry itself at the end in any case), and Ctdr's reference (e.g. <c>task-42</c>) written into the rule's note.
/// </summary>
public sealed record WafBlockRequest(string Address, DateTimeOffset Until, string Reference);

/// <summary>What a block or unblock call did to the cloud.</summary>
public enum WafChange
{
    /// <summary>The address was added to Ctdr's blocking rule (the rule may have been created for it).</summary>
    Added,

    /// <summary>The address was already blocked by Ctdr's rule: nothing was sent but reads.</summary>
    AlreadyPresent,

    /// <summary>The address was removed (and the rule deleted when it became empty).</summary>
    Removed,

    /// <summary>The address was not blocked by Ctdr's rule: nothing was sent but reads.</summary>
    AlreadyAbsent,
}

/// <summary>The outcome, verified by reading the rule back: the cloud-side rule id that holds (or held) the address, and what was read.</summary>
public sealed record WafBlockResult(WafChange Change, string RuleId, string Detail);

/// <summary>A WAF instance of an account, with the domains it protects (for the scope picker and recommended handling).</summary>
public sealed record WafInstanceInfo(string InstanceId, string Region, string Edition, IReadOnlyList<string> Domains);

/// <summary>
/// Blocks and unblocks attacker addresses on one provider's WAF over its real API (signing, retries on throttling,
/// timeouts). Every call is idempotent: blocking an address twice leaves one entry; unblocking an absent one changes
/// nothing. Errors are <see cref="CloudApiException"/> with the provider's code. Implementations never log secrets.
/// </summary>
public interface IWafBlocker
{
    CloudProvider Provider { get; }

    Task<IReadOnlyList<WafInstanceInfo>> ListInstancesAsync(ConnectorAccount account, CancellationToken cancellationToken);

    /// <summary>Adds the address to Ctdr's blocking rule on the scope (finding or creating what the provider needs), then reads it back.</summary>
    Task<WafBlockResult> BlockAsync(ConnectorAccount account, WafScope scope, WafBlockRequest request, CancellationToken cancellationToken);

    /// <summary>Removes the address from Ctdr's blocking rule on the scope (<paramref name="ruleId"/> when known), then reads it back.</summary>
    Task<WafBlockResult> UnblockAsync(ConnectorAccount account, WafScope scope, string address, string? ruleId, CancellationToken cancellationToken);

    /// <summary>The id of Ctdr's rule that blocks the address on the scope now, or null (the Disposal Center's "effective" state).</summary>
    Task<string?> FindBlockingRuleAsync(ConnectorAccount account, WafScope scope, string address, CancellationToken cancellationToken);
}

/// <summary>The WAF blocker of each provider that has one.</summary>
public interface IWafBlockers
{
    IWafBlocker? For(CloudProvider provider);
}

/// <summary>The registered blockers by provider; the last registration for a provider wins.</summary>
public sealed class WafBlockers(IEnumerable<IWafBlocker> blockers) : IWafBlockers
{
    private readonly Dictionary<CloudProvider, IWafBlocker> byProvider = blockers.GroupBy(b => b.Provider).ToDictionary(g => g.Key, g => g.Last());

    public IWafBlocker? For(CloudProvider provider) => byProvider.GetValueOrDefault(provider);
}
