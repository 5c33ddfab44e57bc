using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Live;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Response;

/// <summary>Filters of the Disposal Center's two tabs.</summary>
public sealed record DisposalFilter(long? EventId = null, string? Entity = null, string? Playbook = null, PolicyStatus? PolicyStatus = null, HandlingTaskStatus? TaskStatus = null, DateTimeOffset? From = null);

/// <summary>A handling policy as the Disposal Center lists it; <see cref="Effective"/>: a block of it is in force now.</summary>
public sealed record PolicyRow(
    long Id,
    long? EventId,
    string? Target,
    string PlaybookName,
    int PlaybookVersion,
    PolicyOrigin Origin,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndAt,
    PolicyStatus Status,
    string? StatusReason,
    string ScopeText,
    bool Effective,
    int Tasks);

/// <summary>A handling task as the Disposal Center lists it.</summary>
public sealed record TaskRow(
    long Id,
    long PolicyId,
    long? EventId,
    HandlingTaskKind Kind,
    string What,
    CloudProvider? Provider,
    string? InstanceId,
    string? Domain,
    string? Address,
    HandlingTaskStatus Status,
    int Attempts,
    string? Error,
    string? Detail,
    string? CloudRuleId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? Until,
    bool Effective);

/// <summary>
/// Manual handling and the Disposal Center: create a policy from a playbook (recommended scope or chosen), unblock a
/// policy, retry a failed task, approve or reject a policy awaiting approval, list policies and tasks. Every change is
/// audited with who did it.
/// </summary>
public sealed class HandlingAdministration(ICtdrDbFactory dbs, HandlingPlanner planner, ICurrentUser currentUser, IAuditTrail audit, ILiveFeed feed, TimeProvider clock)
{
    public async Task<IReadOnlyList<Playbook>> PlaybooksAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        return await db.Playbooks.AsNoTracking().OrderByDescending(p => p.BuiltIn).ThenBy(p => p.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The recommended scope for blocking <paramref name="address"/> for an event: the WAF instances that saw it.</summary>
    public async Task<IReadOnlyList<ScopeChoice>> RecommendScopeAsync(long? eventId, string address, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        return await planner.RecommendScopeAsync(db, eventId, address.Trim(), cancellationToken);
    }

    public async Task<(Result Outcome, IReadOnlyList<long> PolicyIds)> CreateAsync(PolicyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        if (!await db.Playbooks.AnyAsync(p => p.Id == request.PlaybookId, cancellationToken))
        {
            return (Result.Invalid("Playbook", "Choose a playbook."), []);
        }

        if (request.EventId is { } eventId && !await db.SecurityEvents.AnyAsync(e => e.Id == eventId, cancellationToken))
        {
            return (Result.NotFound("The event does not exist."), []);
        }

        var now = clock.GetUtcNow();
        if (request.EndAt is { } end && end <= now)
        {
            return (Result.Invalid("EndAt", "The end time must be in the future."), []);
        }

        var outcome = await planner.PlanAsync(db, request, PolicyOrigin.Manual, null, user.Name, now, cancellationToken);
        foreach (var policy in outcome.Policies)
        {
            var action = policy.Status == PolicyStatus.Refused ? AuditAction.HandlingPolicyRefused : AuditAction.HandlingPolicyCreated;
            await audit.RecordAsync(action, user.AsActor(), Invariant.Text(policy.Id), Name(policy), policy.StatusReason ?? policy.ScopeText, cancellationToken);
            await PublishAsync(policy, cancellationToken);
        }

        var refused = outcome.Refused.Select(p => p.StatusReason ?? "refused").ToList();
        return (refused.Count == 0 ? Result.Ok() : Result.Invalid("Policy", string.Join(" ", refused)), [.. outcome.Policies.Select(p => p.Id)]);
    }

    /// <summary>Unblocks every block of the policy that is in force (the worker removes them and marks them Reverted).</summary>
    public async Task<Result> RevertAsync(long policyId, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var policy = await db.HandlingPolicies.SingleOrDefaultAsync(p => p.Id == policyId, cancellationToken);
        if (policy is null)
        {
            return Result.NotFound("The handling policy does not exist.");
        }

        var now = clock.GetUtcNow();
        var tasks = await db.HandlingTasks.Where(t => t.PolicyId == policyId && t.Kind == HandlingTaskKind.BlockIp).ToListAsync(cancellationToken);
        var requested = tasks.Count(t => t.RequestRevert(user.Name, now));
        var pending = tasks.Where(t => t.Status == HandlingTaskStatus.Pending).ToList();
        foreach (var task in pending)
        {
            task.Skip($"not run: unblocked by {user.Name} before it ran", now);
        }

        if (requested == 0 && pending.Count == 0)
        {
            return Result.Invalid("Policy", "Nothing of this policy is in force to unblock.");
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.HandlingPolicyReverted, user.AsActor(), Invariant.Text(policyId), Name(policy), $"{Invariant.Text(requested)} block(s) to remove", cancellationToken);
        await PublishAsync(policy, cancellationToken);
        return Result.Ok();
    }

    public async Task<Result> RetryAsync(long taskId, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var task = await db.HandlingTasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null)
        {
            return Result.NotFound("The handling task does not exist.");
        }

        var now = clock.GetUtcNow();
        if (!task.Retry(now))
        {
            return Result.Invalid("Task", "Only a failed task can be retried.");
        }

        var policy = await db.HandlingPolicies.SingleAsync(p => p.Id == task.PolicyId, cancellationToken);
        if (policy.Status == PolicyStatus.Failed)
        {
            policy.SetStatus(PolicyStatus.Active, $"task #{Invariant.Text(taskId)} retried by {user.Name}", now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.HandlingTaskRetried, user.AsActor(), Invariant.Text(taskId), Name(policy), HandlingPlanner.Describe(task), cancellationToken);
        await PublishAsync(policy, cancellationToken);
        return Result.Ok();
    }

    /// <summary>An analyst approves or rejects a policy an automatic rule left awaiting approval.</summary>
    public async Task<Result> DecideAsync(long policyId, bool approve, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var policy = await db.HandlingPolicies.SingleOrDefaultAsync(p => p.Id == policyId, cancellationToken);
        if (policy is null)
        {
            return Result.NotFound("The handling policy does not exist.");
        }

        var now = clock.GetUtcNow();
        if (!policy.Decide(approve, user.Name, now))
        {
            return Result.Invalid("Policy", "This policy is not awaiting approval.");
        }

        if (!approve)
        {
            foreach (var task in await db.HandlingTasks.Where(t => t.PolicyId == policyId && t.Status == HandlingTaskStatus.Pending).ToListAsync(cancellationToken))
            {
                task.Skip($"not run: rejected by {user.Name}", now);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.HandlingPolicyDecided, user.AsActor(), Invariant.Text(policyId), Name(policy), approve ? "approved" : "rejected", cancellationToken);
        await PublishAsync(policy, cancellationToken);
        return Result.Ok();
    }

    public async Task<Page<PolicyRow>> ListPoliciesAsync(DisposalFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var query = db.HandlingPolicies.AsNoTracking();
        if (filter.EventId is { } eventId)
        {
            query = query.Where(p => p.EventId == eventId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Entity))
        {
            var entity = filter.Entity.Trim();
            query = query.Where(p => p.Target == entity);
        }

        if (!string.IsNullOrWhiteSpace(filter.Playbook))
        {
            var pattern = LikePatterns.Contains(filter.Playbook.Trim());
            query = query.Where(p => EF.Functions.Like(p.PlaybookName, pattern, LikePatterns.Escape));
        }

        if (filter.PolicyStatus is { } status)
        {
            query = query.Where(p => p.Status == status);
        }

        if (filter.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(p => p.CreatedAt >= fromUtc);
        }

        var total = await query.CountAsync(cancellationToken);
        var policies = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        var ids = policies.Select(p => p.Id).ToList();
        var tasks = await db.HandlingTasks.AsNoTracking().Where(t => ids.Contains(t.PolicyId)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return new Page<PolicyRow>(
            [
                .. policies.Select(p => new PolicyRow(
                    p.Id, p.EventId, p.Target, p.PlaybookName, p.PlaybookVersion, p.Origin, p.CreatedBy, p.CreatedAt, p.EndAt, p.Status, p.StatusReason, p.ScopeText,
                    tasks.Any(t => t.PolicyId == p.Id && t.IsEffective(now) && t.RevertRequestedAt is null),
                    tasks.Count(t => t.PolicyId == p.Id))),
            ],
            total);
    }

    public async Task<Page<TaskRow>> ListTasksAsync(DisposalFilter filter, PageRequest page, long? policyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var query = from t in db.HandlingTasks.AsNoTracking()
                    join p in db.HandlingPolicies.AsNoTracking() on t.PolicyId equals p.Id
                    select new { Task = t, p.EventId, p.PlaybookName };
        if (policyId is { } only)
        {
            query = query.Where(x => x.Task.PolicyId == only);
        }

        if (filter.EventId is { } eventId)
        {
            query = query.Where(x => x.EventId == eventId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Entity))
        {
            var entity = filter.Entity.Trim();
            query = query.Where(x => x.Task.Address == entity);
        }

        if (!string.IsNullOrWhiteSpace(filter.Playbook))
        {
            var pattern = LikePatterns.Contains(filter.Playbook.Trim());
            query = query.Where(x => EF.Functions.Like(x.PlaybookName, pattern, LikePatterns.Escape));
        }

        if (filter.TaskStatus is { } status)
        {
            query = query.Where(x => x.Task.Status == status);
        }

        if (filter.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(x => x.Task.CreatedAt >= fromUtc);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(x => x.Task.CreatedAt).ThenByDescending(x => x.Task.Id).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return new Page<TaskRow>(
            [
                .. rows.Select(x => new TaskRow(
                    x.Task.Id, x.Task.PolicyId, x.EventId, x.Task.Kind, HandlingPlanner.Describe(x.Task), x.Task.Provider, x.Task.InstanceId, x.Task.Domain, x.Task.Address,
                    x.Task.Status, x.Task.Attempts, x.Task.Error, x.Task.Detail, x.Task.CloudRuleId, x.Task.CreatedAt, x.Task.StartedAt, x.Task.FinishedAt, x.Task.Until,
                    x.Task.IsEffective(now) && x.Task.RevertRequestedAt is null)),
            ],
            total);
    }

    private static string Name(HandlingPolicy policy) => policy.PlaybookName + (policy.Target is null ? string.Empty : " " + policy.Target);

    private ValueTask PublishAsync(HandlingPolicy policy, CancellationToken cancellationToken) =>
        feed.PublishAsync(new LiveMessage(LiveKinds.Response, $"Handling policy {Name(policy)}: {policy.Status}", Permission.ViewConsole, clock.GetUtcNow(), Invariant.Text(policy.Id)), cancellationToken);
}
