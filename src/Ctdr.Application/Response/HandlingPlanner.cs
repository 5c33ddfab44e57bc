using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ctdr.Application.Response;

/// <summary>One WAF resource a block applies to: an account's instance (and domain, where the provider blocks per domain).</summary>
public sealed record ScopeChoice(long AccountId, CloudProvider Provider, string AccountName, string InstanceId, string? Domain)
{
    public WafScope Waf => new(InstanceId, Domain);

    public override string ToString() => $"{CloudProviders.Of(Provider).DisplayName} {AccountName} {Waf}";
}

/// <summary>What an analyst or a rule asks for: a playbook on an event and/or an address, an end time, a scope (null: the recommended one).</summary>
/// <remarks>A start in the future defers the tasks until then; a past or missing start is now.</remarks>
public sealed record PolicyRequest(long? EventId, string? Address, long PlaybookId, DateTimeOffset? EndAt = null, IReadOnlyList<ScopeChoice>? Scope = null, DateTimeOffset? StartAt = null);

/// <summary>The policies a request produced (one per address for blocking playbooks), and why any was refused.</summary>
public sealed record PlanOutcome(IReadOnlyList<HandlingPolicy> Policies)
{
    public IEnumerable<HandlingPolicy> Refused => Policies.Where(p => p.Status == PolicyStatus.Refused);
}

/// <summary>Where allow-listed addresses are looked up: returns the reason an address (or CIDR) must never be blocked, or null.</summary>
public interface IResponseAllowListLookup
{
    Task<Func<string, string?>> CurrentAsync(CancellationToken cancellationToken);

    /// <summary>Counts a block the allow-list prevented, on the entry that prevented it.</summary>
    Task RecordPreventedAsync(string address, CancellationToken cancellationToken);
}

/// <summary>
/// Turns a request into a handling policy and its tasks, after the safety envelope (<see cref="ResponseGuard"/>): the
/// addresses (the request's, or the event's attacker IPs), the scope (the request's, or the WAF instances that saw
/// each address), the end time, dry run and the approval gate. Adds them to the caller's database context and saves.
/// </summary>
public sealed class HandlingPlanner(IWafBlockers blockers, IResponseAllowListLookup allowList, ISecretProtector secrets, IOptions<ResponseSettings> settings)
{
    public async Task<PlanOutcome> PlanAsync(ICtdrDb db, PolicyRequest request, PolicyOrigin origin, ResponseRule? rule, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var playbook = await db.Playbooks.SingleOrDefaultAsync(p => p.Id == request.PlaybookId, cancellationToken)
            ?? throw new InvalidOperationException($"Playbook {request.PlaybookId} does not exist.");
        var steps = playbook.Steps;
        var usesAddress = steps.Any(s => s.Action is PlaybookAction.WafBlockIp or PlaybookAction.WafUnblockIp);
        var addresses = usesAddress
            ? request.Address is { } single ? [single.Trim()] : await EventAddressesAsync(db, request.EventId, cancellationToken)
            : [null];
        var subject = request.EventId is { } eventId ? await SubjectAsync(db, eventId, cancellationToken) : null;
        var dryRun = settings.Value.DryRun || rule?.DryRun == true;
        var lookup = await allowList.CurrentAsync(cancellationToken);
        var automaticBlocks = origin == PolicyOrigin.Automatic ? await AutomaticBlocksLastHourAsync(db, now, cancellationToken) : 0;
        var policies = new List<HandlingPolicy>();
        foreach (var address in addresses)
        {
            var start = request.StartAt is { } at && at > now ? at : now;
            var end = playbook.Blocks ? ResponseGuard.EndOf(start, request.EndAt, playbook.DefaultDuration) : request.EndAt;
            var automatic = origin == PolicyOrigin.Automatic;

            // The address is checked before anything is asked of a cloud: an allow-listed target causes no call at all.
            var refusal = address is not null && playbook.Blocks ? ResponseGuard.Check(address, start, end!.Value, automatic, automaticBlocks, settings.Value, lookup) : null;
            var scope = refusal is null && address is not null ? request.Scope ?? await RecommendScopeAsync(db, request.EventId, address, cancellationToken) : [];
            refusal ??= Refusal(playbook, address, scope, request.EventId, automatic, automaticBlocks);
            var policy = HandlingPolicy.Open(request.EventId, address, playbook, origin, rule?.Id, by, start, end, string.Join("; ", scope), now);
            db.HandlingPolicies.Add(policy);
            await db.SaveChangesAsync(cancellationToken);
            policies.Add(policy);

            if (refusal is not null)
            {
                if (refusal.AllowListed)
                {
                    await allowList.RecordPreventedAsync(address!, cancellationToken);
                }

                policy.Refuse(refusal.Reason, now);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            var tasks = TasksOf(policy, steps, address, scope, end, subject, now);
            foreach (var task in tasks)
            {
                task.NotBefore(start);
            }

            automaticBlocks += origin == PolicyOrigin.Automatic ? tasks.Count(t => t.Kind == HandlingTaskKind.BlockIp) : 0;
            if (dryRun)
            {
                foreach (var task in tasks.Where(t => t.Status == HandlingTaskStatus.Pending))
                {
                    task.Skip("dry run: would " + Describe(task), now);
                }

                policy.MarkDryRun(settings.Value.DryRun ? "dry run (global): nothing was sent" : "dry run (rule): nothing was sent", now);
            }
            else if (rule is { RequireApproval: true })
            {
                policy.AwaitApproval(now.AddMinutes(rule.ApprovalMinutes), now);
            }

            db.HandlingTasks.AddRange(tasks);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new PlanOutcome(policies);
    }

    /// <summary>The WAF instances of the accounts whose WAF logs raised alerts about the address (in the event, or in the last day), narrowed to those protecting the attacked domains when they are known.</summary>
    public async Task<IReadOnlyList<ScopeChoice>> RecommendScopeAsync(ICtdrDb db, long? eventId, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var alerts = db.Alerts.AsNoTracking().Where(a => a.Ip == address);
        if (eventId is { } id)
        {
            alerts = alerts.Where(a => db.EventMemberships.Any(m => m.AlertId == a.Id && m.EventId == id));
        }

        var seen = (await alerts.Select(a => new { a.Provider, a.AccountUid, a.Product, a.Asset }).Distinct().ToListAsync(cancellationToken))
            .Where(a => a.AccountUid is not null && a.Product is LogProduct.AlibabaWaf or LogProduct.HuaweiWaf or LogProduct.TencentWaf)
            .ToList();
        var scope = new List<ScopeChoice>();
        foreach (var group in seen.GroupBy(a => (a.Provider, a.AccountUid!)))
        {
            var (provider, uid) = group.Key;
            var account = await db.CloudAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Provider == provider && a.AccountUid == uid && !a.IsDisabled, cancellationToken);
            if (account is null || blockers.For(provider) is not { } blocker)
            {
                continue;
            }

            var instances = await blocker.ListInstancesAsync(ConnectorAccounts.From(account, secrets), cancellationToken);
            var assets = group.Select(a => a.Asset).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var protecting = instances.Where(i => i.Domains.Any(assets.Contains)).ToList();
            foreach (var instance in protecting.Count > 0 ? protecting : instances)
            {
                var domains = instance.Domains.Where(assets.Contains).ToList();
                if (domains.Count == 0)
                {
                    scope.Add(new ScopeChoice(account.Id, provider, account.DisplayName, instance.InstanceId, null));
                }

                scope.AddRange(domains.Select(domain => new ScopeChoice(account.Id, provider, account.DisplayName, instance.InstanceId, domain)));
            }
        }

        return scope;
    }

    private GuardRefusal? Refusal(Playbook playbook, string? address, IReadOnlyList<ScopeChoice> scope, long? eventId, bool automatic, int automaticBlocks)
    {
        if (playbook.Steps.Any(s => s.Action is PlaybookAction.ChangeEventStatus or PlaybookAction.ChangeThreatLevel or PlaybookAction.Notify) && eventId is null)
        {
            return new GuardRefusal("This playbook acts on a security event; choose one.");
        }

        if (address is null)
        {
            return null;
        }

        if (!ResponseGuard.IsAddress(address))
        {
            return new GuardRefusal($"'{address}' is not an IP address or CIDR.");
        }

        if (scope.Count == 0)
        {
            return new GuardRefusal($"No WAF instance to act on: no connected Alibaba Cloud, Huawei Cloud or Tencent Cloud account's WAF logs saw {address}.");
        }

        // Every instance in scope is one block: all of them must fit under the hourly cap.
        var cap = settings.Value.MaxAutomaticBlocksPerHour;
        return automatic && playbook.Blocks && automaticBlocks + scope.Count > cap
            ? new GuardRefusal($"The cap of {Invariant.Text(cap)} automatic blocks per hour is reached.", CapReached: true)
            : null;
    }

    private static List<HandlingTask> TasksOf(HandlingPolicy policy, IReadOnlyList<PlaybookStep> steps, string? address, IReadOnlyList<ScopeChoice> scope, DateTimeOffset? end, ResponseSubject? subject, DateTimeOffset now)
    {
        var tasks = new List<HandlingTask>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var skip = step.When is { } when && (subject is null || !subject.Holds(new ResponseCondition(when.Field, when.Operator, when.Value)));
            var created = step.Action switch
            {
                PlaybookAction.WafBlockIp => scope.Select(s => HandlingTask.Block(policy.Id, i, s.Provider, s.AccountId, s.Waf, address!, end!.Value, now)).ToList(),
                PlaybookAction.WafUnblockIp => scope.Select(s => HandlingTask.Unblock(policy.Id, i, s.Provider, s.AccountId, s.Waf, address!, now)).ToList(),
                PlaybookAction.ChangeEventStatus => [HandlingTask.OnEvent(policy.Id, i, HandlingTaskKind.ChangeEventStatus, step.Parameter("status") ?? "Handling", now, step.Parameter("reason"))],
                PlaybookAction.ChangeThreatLevel => [HandlingTask.OnEvent(policy.Id, i, HandlingTaskKind.ChangeThreatLevel, step.Parameter("level") ?? "Serious", now)],
                PlaybookAction.Notify => [HandlingTask.OnEvent(policy.Id, i, HandlingTaskKind.Notify, step.Parameter("url"), now)],
                _ => [],
            };
            if (skip)
            {
                foreach (var task in created)
                {
                    task.Skip($"condition {step.When!.Field} {step.When.Operator} {step.When.Value} does not hold", now);
                }
            }

            tasks.AddRange(created);
        }

        return tasks;
    }

    /// <summary>What a task does, in words (dry runs and the Disposal Center).</summary>
    public static string Describe(HandlingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var where = task.Provider is { } provider ? $"{CloudProviders.Of(provider).DisplayName} WAF {task.Scope}" : "the event";
        return task.Kind switch
        {
            HandlingTaskKind.BlockIp => $"block {task.Address} on {where} until {task.Until?.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
            HandlingTaskKind.UnblockIp => $"unblock {task.Address} on {where}",
            HandlingTaskKind.ChangeEventStatus => $"set the event's status to {task.Parameter}",
            HandlingTaskKind.ChangeThreatLevel => $"set the event's threat level to {task.Parameter}",
            HandlingTaskKind.Notify => "post the event to the webhook",
            _ => task.Kind.ToString(),
        };
    }

    private static async Task<IReadOnlyList<string?>> EventAddressesAsync(ICtdrDb db, long? eventId, CancellationToken cancellationToken)
    {
        if (eventId is not { } id)
        {
            return [];
        }

        var ips = await db.Alerts.AsNoTracking()
            .Where(a => a.Ip != null && db.EventMemberships.Any(m => m.AlertId == a.Id && m.EventId == id))
            .Select(a => new { a.Ip, a.Provider })
            .Distinct()
            .ToListAsync(cancellationToken);
        return [.. ips.Where(i => CloudProviders.Of(i.Provider).SupportsAutomaticHandling).Select(i => i.Ip).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static async Task<int> AutomaticBlocksLastHourAsync(ICtdrDb db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddHours(-1);
        return await db.HandlingTasks.AsNoTracking()
            .CountAsync(
                t => t.Kind == HandlingTaskKind.BlockIp && t.Status != HandlingTaskStatus.Skipped && t.CreatedAt > since
                    && db.HandlingPolicies.Any(p => p.Id == t.PolicyId && p.Origin == PolicyOrigin.Automatic),
                cancellationToken);
    }

    /// <summary>The event's facts for step conditions and automatic rules.</summary>
    public static async Task<ResponseSubject?> SubjectAsync(ICtdrDb db, long eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ev = await db.SecurityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (ev is null)
        {
            return null;
        }

        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => db.EventMemberships.Any(m => m.AlertId == a.Id && m.EventId == eventId))
            .Select(a => new { a.RuleTitle, a.Ip, a.Asset, a.Account, a.User, a.AccessKey })
            .ToListAsync(cancellationToken);
        var kinds = new List<string>();
        if (alerts.Any(a => a.Ip != null)) kinds.Add("ip");
        if (alerts.Any(a => a.Asset != null)) kinds.Add("asset");
        if (alerts.Any(a => a.Account != null)) kinds.Add("account");
        if (alerts.Any(a => a.User != null)) kinds.Add("user");
        if (alerts.Any(a => a.AccessKey != null)) kinds.Add("access_key");
        return new ResponseSubject(
            ev.ThreatLevel.ToString(),
            ev.ThreatScore,
            ev.Status.ToString(),
            [.. alerts.Select(a => a.RuleTitle).Distinct(StringComparer.Ordinal)],
            [.. ev.Providers.Split(',', StringSplitOptions.RemoveEmptyEntries)],
            [.. ev.Accounts.Split(',', StringSplitOptions.RemoveEmptyEntries)],
            kinds);
    }
}
