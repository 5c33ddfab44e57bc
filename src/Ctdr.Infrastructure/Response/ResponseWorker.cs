using System.Net.Http.Json;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.Live;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Response;

/// <summary>What one worker run did.</summary>
public sealed record ResponseRun(int Decided, int Attempted, int Succeeded, int Failed, int Removed);

/// <summary>
/// Runs handling tasks (docs/response.md): applies the approval default after a deadline, runs due tasks (claimed by
/// compare-and-swap, so two nodes never run one attempt twice) with retries and exponential back-off, removes blocks
/// an analyst reverted or whose end passed, and rolls each policy's status up from its tasks. Every cloud call is
/// idempotent (the blockers read before they write), so a retried run never adds a second entry.
/// </summary>
public sealed partial class ResponseWorker(
    IDbContextFactory<CtdrDbContext> contexts,
    IWafBlockers blockers,
    ISecretProtector secrets,
    IHttpClientFactory httpClients,
    ILiveFeed feed,
    IAuditTrail audit,
    IOptions<ResponseSettings> settings,
    TimeProvider clock,
    ILogger<ResponseWorker> logger) : IDisposable
{
    public const string NotifyClientName = "response-notify";

    /// <summary>A task left Running this long (its worker died) is tried again.</summary>
    public static readonly TimeSpan StaleRunning = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim gate = new(1, 1);

    public void Dispose() => gate.Dispose();

    /// <summary>The wait before the next attempt after <paramref name="attempts"/> failed ones: 5 s, 10 s, 20 s, 40 s … at most 5 min.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Max(0, attempts - 1))));

    public async Task<ResponseRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            return new ResponseRun(0, 0, 0, 0, 0);
        }

        try
        {
            var decided = await ApplyApprovalDefaultsAsync(cancellationToken);
            var (attempted, succeeded, failed) = await RunDueTasksAsync(cancellationToken);
            var removed = await RemoveBlocksAsync(cancellationToken);
            return new ResponseRun(decided, attempted, succeeded, failed, removed);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<int> ApplyApprovalDefaultsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = await db.HandlingPolicies.Where(p => p.Status == PolicyStatus.AwaitingApproval && p.ApprovalDeadline <= now).ToListAsync(cancellationToken);
        foreach (var policy in due)
        {
            var rule = policy.ResponseRuleId is { } ruleId ? await db.ResponseRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == ruleId, cancellationToken) : null;
            var approve = rule?.ApproveOnTimeout == true;
            policy.Decide(approve, "default after the approval deadline", now);
            if (!approve)
            {
                foreach (var task in await db.HandlingTasks.Where(t => t.PolicyId == policy.Id && t.Status == HandlingTaskStatus.Pending).ToListAsync(cancellationToken))
                {
                    task.Skip("not run: nobody approved before the deadline and the rule's default is to reject", now);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(AuditAction.HandlingPolicyDecided, Actor.System, Invariant.Text(policy.Id), policy.PlaybookName, approve ? "approved by default after the deadline" : "rejected by default after the deadline", cancellationToken);
            await PublishAsync(policy, cancellationToken);
        }

        return due.Count;
    }

    private async Task<(int Attempted, int Succeeded, int Failed)> RunDueTasksAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stale = now - StaleRunning;
        var candidates = await db.HandlingTasks.AsNoTracking()
            .Where(t => (t.Status == HandlingTaskStatus.Pending || (t.Status == HandlingTaskStatus.Running && t.UpdatedAt < stale))
                && db.HandlingPolicies.Any(p => p.Id == t.PolicyId && p.Status == PolicyStatus.Active))
            .OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.NextAttemptAt, t.Status, t.UpdatedAt })
            .Take(500)
            .ToListAsync(cancellationToken);
        int attempted = 0, succeeded = 0, failed = 0;
        foreach (var candidate in candidates.Where(c => c.Status == HandlingTaskStatus.Running || c.NextAttemptAt is null || c.NextAttemptAt <= now))
        {
            // Claim the attempt: only one worker moves the task from what it read to Running.
            var claimed = await db.HandlingTasks
                .Where(t => t.Id == candidate.Id && t.Status == candidate.Status && t.UpdatedAt == candidate.UpdatedAt)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.Status, HandlingTaskStatus.Running).SetProperty(t => t.UpdatedAt, now), cancellationToken);
            if (claimed != 1)
            {
                continue;
            }

            var task = await db.HandlingTasks.SingleAsync(t => t.Id == candidate.Id, cancellationToken);
            var policy = await db.HandlingPolicies.SingleAsync(p => p.Id == task.PolicyId, cancellationToken);
            task.Start(now);
            attempted++;
            try
            {
                var (ruleId, detail) = await ExecuteAsync(db, policy, task, cancellationToken);
                task.Succeed(ruleId, detail, clock.GetUtcNow());
                succeeded++;
            }
            catch (Exception ex) when (ex is CloudApiException or HttpRequestException or TaskCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                task.Fail(ex.Message, Backoff(task.Attempts), clock.GetUtcNow());
                LogTaskFailed(logger, task.Id, task.Attempts, ex.Message);
                if (task.Status == HandlingTaskStatus.Failed)
                {
                    failed++;
                }
            }

            // Tracked tasks come back as they are in memory (with this attempt's outcome), not as stored.
            RollUp(policy, await db.HandlingTasks.Where(t => t.PolicyId == policy.Id).ToListAsync(cancellationToken), clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            if (task.Status is HandlingTaskStatus.Succeeded or HandlingTaskStatus.Failed)
            {
                await AuditAsync(policy, task, cancellationToken);
            }

            await PublishAsync(policy, cancellationToken);
        }

        return (attempted, succeeded, failed);
    }

    private async Task<int> RemoveBlocksAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var blocks = await db.HandlingTasks
            .Where(t => t.Kind == HandlingTaskKind.BlockIp && t.Status == HandlingTaskStatus.Succeeded)
            .ToListAsync(cancellationToken);
        var due = blocks.Where(t => (t.RevertRequestedAt is not null || t.Until <= now) && (t.NextAttemptAt is null || t.NextAttemptAt <= now)).ToList();
        var removed = 0;
        foreach (var task in due)
        {
            var expired = task.RevertRequestedAt is null;
            var policy = await db.HandlingPolicies.SingleAsync(p => p.Id == task.PolicyId, cancellationToken);
            try
            {
                var (account, blocker) = await TargetAsync(db, task, cancellationToken);
                var result = await blocker.UnblockAsync(account, task.Scope!, task.Address!, task.CloudRuleId, cancellationToken);
                task.Removed(expired, $"{result.Change}: {result.Detail}", clock.GetUtcNow());
                removed++;
            }
            catch (Exception ex) when (ex is CloudApiException or HttpRequestException or TaskCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                task.RemoveFailed(ex.Message, Backoff(task.RevertAttempts + 1), clock.GetUtcNow());
                LogRemoveFailed(logger, task.Id, ex.Message);
            }

            // Tracked tasks come back as they are in memory (with this attempt's outcome), not as stored.
            RollUp(policy, await db.HandlingTasks.Where(t => t.PolicyId == policy.Id).ToListAsync(cancellationToken), clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            if (task.Status is HandlingTaskStatus.Reverted or HandlingTaskStatus.Expired)
            {
                await AuditAsync(policy, task, cancellationToken);
            }

            await PublishAsync(policy, cancellationToken);
        }

        return removed;
    }

    /// <summary>A policy's status from its tasks, once none is left to run.</summary>
    public static void RollUp(HandlingPolicy policy, IReadOnlyCollection<HandlingTask> tasks, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tasks);
        if (policy.Status is not (PolicyStatus.Active or PolicyStatus.Failed) || tasks.Any(t => t.Status is HandlingTaskStatus.Pending or HandlingTaskStatus.Running))
        {
            return;
        }

        var blocks = tasks.Where(t => t.Kind == HandlingTaskKind.BlockIp && t.Status != HandlingTaskStatus.Skipped).ToList();
        if (tasks.Any(t => t.Status == HandlingTaskStatus.Failed))
        {
            policy.SetStatus(PolicyStatus.Failed, "a task failed after its retries: " + tasks.First(t => t.Status == HandlingTaskStatus.Failed).Error, now);
        }
        else if (blocks.Any(t => t.IsEffective(now) && t.RevertRequestedAt is null))
        {
            policy.SetStatus(PolicyStatus.Active, "in force", now);
        }
        else if (blocks.Count > 0 && blocks.Any(t => t.Status == HandlingTaskStatus.Reverted))
        {
            policy.SetStatus(PolicyStatus.Reverted, $"unblocked by {blocks.First(t => t.Status == HandlingTaskStatus.Reverted).RevertRequestedBy}", now);
        }
        else if (blocks.Count > 0 && blocks.All(t => t.Status == HandlingTaskStatus.Expired))
        {
            policy.SetStatus(PolicyStatus.Expired, "its end time passed; the blocks were removed", now);
        }
        else if (blocks.Count == 0)
        {
            policy.SetStatus(PolicyStatus.Completed, "every task finished", now);
        }
    }

    private async Task<(string? RuleId, string Detail)> ExecuteAsync(CtdrDbContext db, HandlingPolicy policy, HandlingTask task, CancellationToken cancellationToken)
    {
        switch (task.Kind)
        {
            case HandlingTaskKind.BlockIp:
            {
                var (account, blocker) = await TargetAsync(db, task, cancellationToken);
                var result = await blocker.BlockAsync(account, task.Scope!, new WafBlockRequest(task.Address!, task.Until!.Value, $"ctdr-policy-{Invariant.Text(policy.Id)}"), cancellationToken);
                return (result.RuleId, $"{result.Change}: {result.Detail}");
            }

            case HandlingTaskKind.UnblockIp:
            {
                var (account, blocker) = await TargetAsync(db, task, cancellationToken);
                var result = await blocker.UnblockAsync(account, task.Scope!, task.Address!, null, cancellationToken);
                return (result.RuleId, $"{result.Change}: {result.Detail}");
            }

            case HandlingTaskKind.ChangeEventStatus:
                return (null, await ChangeEventAsync(db, policy, task, cancellationToken));

            case HandlingTaskKind.ChangeThreatLevel:
                return (null, await ChangeEventAsync(db, policy, task, cancellationToken));

            case HandlingTaskKind.Notify:
                return (null, await NotifyAsync(db, policy, task, cancellationToken));

            default:
                throw new InvalidOperationException($"Unknown task kind {task.Kind}.");
        }
    }

    private async Task<(ConnectorAccount Account, IWafBlocker Blocker)> TargetAsync(CtdrDbContext db, HandlingTask task, CancellationToken cancellationToken)
    {
        var account = await db.CloudAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == task.AccountId, cancellationToken)
            ?? throw new InvalidOperationException($"Cloud account #{Invariant.Text(task.AccountId ?? 0)} no longer exists.");
        var blocker = blockers.For(account.Provider)
            ?? throw new InvalidOperationException($"Ctdr cannot block on {CloudProviders.Of(account.Provider).DisplayName} WAFs.");
        return (ConnectorAccounts.From(account, secrets), blocker);
    }

    private async Task<string> ChangeEventAsync(CtdrDbContext db, HandlingPolicy policy, HandlingTask task, CancellationToken cancellationToken)
    {
        var ev = await db.SecurityEvents.SingleOrDefaultAsync(e => e.Id == policy.EventId, cancellationToken)
            ?? throw new InvalidOperationException("The policy's security event no longer exists.");
        var now = clock.GetUtcNow();
        var actor = new Actor(null, policy.CreatedBy, null);
        if (task.Kind == HandlingTaskKind.ChangeThreatLevel)
        {
            if (!Enum.TryParse<ThreatLevel>(task.Parameter, ignoreCase: true, out var level) || !Enum.IsDefined(level))
            {
                throw new InvalidOperationException($"'{task.Parameter}' is not a threat level.");
            }

            var before = ev.ThreatLevel;
            ev.OverrideThreatLevel(level, now);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(AuditAction.SecurityEventStatusChanged, actor, Invariant.Text(ev.Id), ev.Title, $"threat level {before} → {level} (playbook {policy.PlaybookName})", cancellationToken);
            return $"threat level {before} → {level}";
        }

        if (!Enum.TryParse<SecurityEventStatus>(task.Parameter, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            throw new InvalidOperationException($"'{task.Parameter}' is not an event status.");
        }

        if (ev.Status == status)
        {
            return $"the event was already {SecurityEventTransitions.Describe(status)}";
        }

        var from = ev.Status;
        var reason = task.Reason is null ? $"playbook {policy.PlaybookName}" : $"{task.Reason} (playbook {policy.PlaybookName})";
        reason = reason.Length > 500 ? reason[..500] : reason;
        var changed = ev.ChangeStatus(status, reason, policy.CreatedBy, now);
        if (!changed.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", changed.AllMessages()));
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventStatusChanged, actor, Invariant.Text(ev.Id), ev.Title, $"{from} → {status}: {reason}", cancellationToken);
        await feed.PublishAsync(new LiveMessage(LiveKinds.Event, $"Security event {SecurityEventTransitions.Describe(status)}: {ev.Title}", Permission.ViewConsole, now, Invariant.Text(ev.Id)), cancellationToken);
        return $"{from} → {status}";
    }

    private async Task<string> NotifyAsync(CtdrDbContext db, HandlingPolicy policy, HandlingTask task, CancellationToken cancellationToken)
    {
        var url = task.Parameter ?? settings.Value.NotifyUrl;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException("No webhook is configured: set Response:NotifyUrl (an http or https URL).");
        }

        var ev = await db.SecurityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == policy.EventId, cancellationToken);
        using var client = httpClients.CreateClient(NotifyClientName);
        using var response = await client.PostAsJsonAsync(target, new
        {
            source = "ctdr",
            policyId = policy.Id,
            playbook = policy.PlaybookName,
            eventId = ev?.Id,
            title = ev?.Title,
            threatLevel = ev?.ThreatLevel.ToString(),
            threatScore = ev?.ThreatScore,
            status = ev?.Status.ToString(),
            target = policy.Target,
        }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        return $"webhook answered {(int)response.StatusCode}";
    }

    /// <summary>A task's outcome in the audit log: done by the response worker for the policy's author (a user or an automatic rule).</summary>
    private Task AuditAsync(HandlingPolicy policy, HandlingTask task, CancellationToken cancellationToken) =>
        audit.RecordAsync(
            AuditAction.HandlingTaskChanged,
            new Actor(null, $"response worker for {policy.CreatedBy}", null),
            Invariant.Text(task.Id),
            $"{policy.PlaybookName} (policy #{Invariant.Text(policy.Id)})",
            $"{HandlingPlanner.Describe(task)}: {task.Status}{(task.Error is null ? string.Empty : " — " + task.Error)}{(task.CloudRuleId is null ? string.Empty : ", cloud rule " + task.CloudRuleId)}",
            cancellationToken);

    private ValueTask PublishAsync(HandlingPolicy policy, CancellationToken cancellationToken) =>
        feed.PublishAsync(new LiveMessage(LiveKinds.Response, $"Handling policy {policy.PlaybookName}{(policy.Target is null ? string.Empty : " " + policy.Target)}: {policy.Status}", Permission.ViewConsole, clock.GetUtcNow(), Invariant.Text(policy.Id)), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling task {TaskId} failed (attempt {Attempt}): {Error}")]
    private static partial void LogTaskFailed(ILogger logger, long taskId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the block of handling task {TaskId} failed: {Error}")]
    private static partial void LogRemoveFailed(ILogger logger, long taskId, string error);
}
