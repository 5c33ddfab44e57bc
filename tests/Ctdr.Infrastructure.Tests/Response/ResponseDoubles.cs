using System.Collections.Concurrent;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>
/// A WAF of one provider kept in memory, recording every call: what the response tests count (cloud calls) and
/// inspect (entries). It is idempotent the way the real blockers are, so a doubled call shows up as a doubled call,
/// never as a doubled entry.
/// </summary>
internal sealed class RecordingWaf(CloudProvider provider, params WafInstanceInfo[] instances) : IWafBlocker
{
    private readonly ConcurrentDictionary<(string Instance, string Address), string> entries = new();

    public CloudProvider Provider => provider;

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The next this-many block or unblock calls fail with a throttling error.</summary>
    public int FailNext { get; set; }

    public IReadOnlyCollection<(string Instance, string Address)> Entries => [.. entries.Keys];

    public Task<IReadOnlyList<WafInstanceInfo>> ListInstancesAsync(ConnectorAccount account, CancellationToken cancellationToken)
    {
        Calls.Enqueue("list");
        return Task.FromResult<IReadOnlyList<WafInstanceInfo>>(instances);
    }

    public Task<WafBlockResult> BlockAsync(ConnectorAccount account, WafScope scope, WafBlockRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"block {request.Address} on {scope}");
        Throttle();
        var ruleId = "rule-" + scope.InstanceId;
        var added = entries.TryAdd((scope.InstanceId, request.Address), ruleId);
        return Task.FromResult(new WafBlockResult(added ? WafChange.Added : WafChange.AlreadyPresent, ruleId, $"{request.Address} in {ruleId}"));
    }

    public Task<WafBlockResult> UnblockAsync(ConnectorAccount account, WafScope scope, string address, string? ruleId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"unblock {address} on {scope}");
        Throttle();
        var removed = entries.TryRemove((scope.InstanceId, address), out var held);
        return Task.FromResult(new WafBlockResult(removed ? WafChange.Removed : WafChange.AlreadyAbsent, held ?? ruleId ?? string.Empty, address));
    }

    public Task<string?> FindBlockingRuleAsync(ConnectorAccount account, WafScope scope, string address, CancellationToken cancellationToken) =>
        Task.FromResult(entries.GetValueOrDefault((scope.InstanceId, address)));

    private void Throttle()
    {
        if (FailNext > 0)
        {
            FailNext--;
            throw new CloudApiException("Throttling.User: Request was denied due to user flow control.");
        }
    }
}

/// <summary>An allow-list given as a predicate (the matcher itself is tested on its own).</summary>
internal sealed class PredicateAllowList(Func<string, string?> lookup) : IResponseAllowListLookup
{
    public Task<Func<string, string?>> CurrentAsync(CancellationToken cancellationToken) => Task.FromResult(lookup);

    public Task RecordPreventedAsync(string address, CancellationToken cancellationToken) => Task.CompletedTask;
}
