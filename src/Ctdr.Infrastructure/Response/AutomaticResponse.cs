using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.Live;
using Ctdr.Application.Response;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Response;

/// <summary>What one automatic-response run did.</summary>
public sealed record AutomaticRun(int EventsSeen, int AlertsSeen, int Fired, int Policies);

/// <summary>
/// Evaluates the enabled automatic response rules, in order, on security events changed and alerts raised since its
/// checkpoint (runs after each correlation). A rule fires at most once per event or alert: the firing, the rule's
/// counter, the policies its playbooks create and the checkpoint commit together, so a retried run fires nothing twice.
/// Only alerts of providers that support automatic handling (Alibaba Cloud, Huawei Cloud, Tencent Cloud) are considered.
/// </summary>
public sealed class AutomaticResponse(IDbContextFactory<CtdrDbContext> contexts, HandlingPlanner planner, IAuditTrail audit, ILiveFeed feed, TimeProvider clock) : IDisposable
{
    public const int BatchSize = 200;

    private readonly SemaphoreSlim gate = new(1, 1);

    public void Dispose() => gate.Dispose();

    public async Task<AutomaticRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            return new AutomaticRun(0, 0, 0, 0);
        }

        try
        {
            var (events, firedOnEvents, eventPolicies) = await EventsAsync(cancellationToken);
            var (alerts, firedOnAlerts, alertPolicies) = await AlertsAsync(cancellationToken);
            return new AutomaticRun(events, alerts, firedOnEvents + firedOnAlerts, eventPolicies + alertPolicies);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(int Seen, int Fired, int Policies)> EventsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var state = await db.ResponseStates.SingleAsync(s => s.Id == ResponseState.SingletonId, cancellationToken);
        var (since, sinceId) = (state.EventCheckpoint, state.EventIdCheckpoint);
        var changed = await db.SecurityEvents.AsNoTracking()
            .Where(e => e.MergedIntoId == null && (e.UpdatedAt > since || (e.UpdatedAt == since && e.Id > sinceId)))
            .OrderBy(e => e.UpdatedAt).ThenBy(e => e.Id)
            .Select(e => new { e.Id, e.UpdatedAt })
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (changed.Count == 0)
        {
            return (0, 0, 0);
        }

        var rules = await db.ResponseRules.Where(r => r.Enabled && r.Trigger == ResponseTrigger.Event).OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        int fired = 0, policies = 0;
        foreach (var ev in changed)
        {
            var subject = await HandlingPlanner.SubjectAsync(db, ev.Id, cancellationToken);
            if (subject is not null)
            {
                foreach (var rule in rules.Where(r => r.Matches(subject)))
                {
                    var made = await FireAsync(db, rule, ev.Id, null, null, cancellationToken);
                    if (made is { } count)
                    {
                        fired++;
                        policies += count;
                    }
                }
            }

            state.AdvanceEvents(ev.UpdatedAt, ev.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        return (changed.Count, fired, policies);
    }

    private async Task<(int Seen, int Fired, int Policies)> AlertsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var state = await db.ResponseStates.SingleAsync(s => s.Id == ResponseState.SingletonId, cancellationToken);
        var checkpoint = state.AlertCheckpoint;
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.Id > checkpoint).OrderBy(a => a.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (alerts.Count == 0)
        {
            return (0, 0, 0);
        }

        var rules = await db.ResponseRules.Where(r => r.Enabled && r.Trigger == ResponseTrigger.Alert).OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        int fired = 0, policies = 0;
        foreach (var alert in alerts)
        {
            if (!alert.IsShadow && CloudProviders.Of(alert.Provider).SupportsAutomaticHandling)
            {
                var subject = new ResponseSubject(
                    alert.ThreatLevel.ToString(),
                    0,
                    alert.Status.ToString(),
                    [alert.RuleTitle],
                    [alert.Provider.ToString()],
                    alert.AccountUid is null ? [] : [alert.AccountUid],
                    [.. Enum.GetValues<EntityKind>().Where(k => alert.EntityValue(k) is not null).Select(k => k == EntityKind.AccessKey ? "access_key" : k.ToString().ToLowerInvariant())]);
                var eventId = await db.EventMemberships.Where(m => m.AlertId == alert.Id).Select(m => (long?)m.EventId).SingleOrDefaultAsync(cancellationToken);
                foreach (var rule in rules.Where(r => r.Matches(subject)))
                {
                    var made = await FireAsync(db, rule, eventId, alert.Id, alert.Ip, cancellationToken);
                    if (made is { } count)
                    {
                        fired++;
                        policies += count;
                    }
                }
            }

            state.AdvanceAlerts(alert.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        return (alerts.Count, fired, policies);
    }

    /// <summary>Fires the rule once for the subject; returns the number of policies created, or null when it had fired already.</summary>
    private async Task<int?> FireAsync(CtdrDbContext db, ResponseRule rule, long? eventId, long? alertId, string? address, CancellationToken cancellationToken)
    {
        var subject = ResponseRuleFiring.SubjectOf(alertId is null ? eventId : null, alertId);
        if (await db.ResponseRuleFirings.AnyAsync(f => f.RuleId == rule.Id && f.Subject == subject, cancellationToken))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var by = "rule:" + rule.Name;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ResponseRuleFirings.Add(ResponseRuleFiring.For(rule.Id, alertId is null ? eventId : null, alertId, now));
        rule.Fired(now);
        await db.SaveChangesAsync(cancellationToken);
        var created = new List<HandlingPolicy>();
        foreach (var action in rule.Actions)
        {
            switch (action.Kind)
            {
                case ResponseActionKind.RunPlaybook:
                    created.AddRange((await planner.PlanAsync(db, new PolicyRequest(eventId, address, action.PlaybookId!.Value), PolicyOrigin.Automatic, rule, by, now, cancellationToken)).Policies);
                    break;
                case ResponseActionKind.ChangeEventStatus or ResponseActionKind.ChangeThreatLevel when eventId is { } id:
                    await ChangeEventAsync(db, rule, action, id, now, cancellationToken);
                    break;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var policy in created)
        {
            var action = policy.Status == PolicyStatus.Refused ? AuditAction.HandlingPolicyRefused : AuditAction.HandlingPolicyCreated;
            await audit.RecordAsync(action, new Actor(null, by, null), Invariant.Text(policy.Id), $"{policy.PlaybookName}{(policy.Target is null ? string.Empty : " " + policy.Target)}", policy.StatusReason ?? policy.ScopeText, cancellationToken);
            if (policy.StatusReason?.Contains("cap of", StringComparison.Ordinal) == true)
            {
                await audit.RecordAsync(AuditAction.ResponseCapReached, new Actor(null, by, null), Invariant.Text(policy.Id), rule.Name, policy.StatusReason, cancellationToken);
                await feed.PublishAsync(new LiveMessage(LiveKinds.Notice, $"Automatic blocking paused: {policy.StatusReason}", Permission.ViewConsole, now, Invariant.Text(policy.Id)), cancellationToken);
            }

            await feed.PublishAsync(new LiveMessage(LiveKinds.Response, $"Handling policy {policy.PlaybookName}: {policy.Status}", Permission.ViewConsole, now, Invariant.Text(policy.Id)), cancellationToken);
        }

        return created.Count;
    }

    private async Task ChangeEventAsync(CtdrDbContext db, ResponseRule rule, ResponseAction action, long eventId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ev = await db.SecurityEvents.SingleAsync(e => e.Id == eventId, cancellationToken);
        string details;
        if (action.Kind == ResponseActionKind.ChangeThreatLevel)
        {
            if (!Enum.TryParse<ThreatLevel>(action.Value, ignoreCase: true, out var level) || !Enum.IsDefined(level) || ev.ThreatLevel == level)
            {
                return;
            }

            details = $"threat level {ev.ThreatLevel} → {level} (automatic rule {rule.Name})";
            ev.OverrideThreatLevel(level, now);
        }
        else
        {
            if (!Enum.TryParse<SecurityEventStatus>(action.Value, ignoreCase: true, out var status) || !Enum.IsDefined(status) || ev.Status == status)
            {
                return;
            }

            var from = ev.Status;
            if (!ev.ChangeStatus(status, $"automatic rule {rule.Name}", "rule:" + rule.Name, now).Succeeded)
            {
                return;
            }

            details = $"{from} → {status} (automatic rule {rule.Name})";
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventStatusChanged, new Actor(null, "rule:" + rule.Name, null), Invariant.Text(eventId), ev.Title, details, cancellationToken);
    }
}
