using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Live;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Events;

public sealed record EventFilter(
    SecurityEventStatus? Status = null,
    ThreatLevel? ThreatLevel = null,
    CloudProvider? Provider = null,
    string? Account = null,
    string? Entity = null,
    DateTimeOffset? From = null,
    bool SortByScore = false);

public sealed record EventRow(
    long Id,
    string Title,
    ThreatLevel ThreatLevel,
    int ThreatScore,
    SecurityEventStatus Status,
    int AlertCount,
    string Providers,
    string Accounts,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);

/// <summary>One alert of an event on its attack chain: ordered by ATT&amp;CK tactic (kill-chain order), then time; with why it joined.</summary>
public sealed record ChainStep(
    long AlertId,
    string RuleTitle,
    RuleSeverity Severity,
    string? Tactic,
    string? TacticName,
    string? Technique,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Count,
    string? Ip,
    string? Asset,
    string? User,
    string Reason);

public sealed record EventDetails(EventRow Row, string? StatusReason, string? StatusBy, DateTimeOffset? StatusAt, IReadOnlyList<string> Keys, IReadOnlyList<ChainStep> Chain);

/// <summary>The Security Event Handling page: list, detail with the attack chain, status changes.</summary>
public sealed class EventQueries(ICtdrDbFactory dbs, ICurrentUser currentUser, IAuditTrail audit, ILiveFeed feed, TimeProvider clock)
{
    public async Task<Page<EventRow>> ListAsync(EventFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var query = db.SecurityEvents.AsNoTracking().Where(e => e.MergedIntoId == null);
        if (filter.Status is { } status)
        {
            query = query.Where(e => e.Status == status);
        }

        if (filter.ThreatLevel is { } level)
        {
            query = query.Where(e => e.ThreatLevel == level);
        }

        if (filter.Provider is { } provider)
        {
            var name = provider.ToString();
            query = query.Where(e => e.Providers.Contains(name));
        }

        if (!string.IsNullOrWhiteSpace(filter.Account))
        {
            var account = filter.Account.Trim();
            query = query.Where(e => e.Accounts.Contains(account));
        }

        if (!string.IsNullOrWhiteSpace(filter.Entity))
        {
            // Pair keys read "account/user": an entity matches a key, or the user or access key of a pair.
            var entity = filter.Entity.Trim();
            var pairEnd = LikePatterns.EndsWith("/" + entity);
            query = query.Where(e => e.Keys.Any(k => k.Value == entity || EF.Functions.Like(k.Value, pairEnd, LikePatterns.Escape)));
        }

        if (filter.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(e => e.LastSeen >= fromUtc);
        }

        var total = await query.CountAsync(cancellationToken);
        var ordered = filter.SortByScore
            ? query.OrderByDescending(e => e.ThreatScore).ThenByDescending(e => e.LastSeen).ThenByDescending(e => e.Id)
            : query.OrderByDescending(e => e.LastSeen).ThenByDescending(e => e.Id);
        var rows = await ordered.Skip(page.Skip).Take(page.Take)
            .Select(e => new EventRow(e.Id, e.Title, e.ThreatLevel, e.ThreatScore, e.Status, e.AlertCount, e.Providers, e.Accounts, e.FirstSeen, e.LastSeen))
            .ToListAsync(cancellationToken);
        return new Page<EventRow>(rows, total);
    }

    public async Task<EventDetails?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var ev = await db.SecurityEvents.AsNoTracking().Include(e => e.Keys).SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (ev is null)
        {
            return null;
        }

        var members = await db.EventMemberships.AsNoTracking().Where(m => m.EventId == id).ToListAsync(cancellationToken);
        var alertIds = members.Select(m => m.AlertId).ToList();
        var alerts = await db.Alerts.AsNoTracking().Where(a => alertIds.Contains(a.Id)).ToListAsync(cancellationToken);
        var reasons = members.ToDictionary(m => m.AlertId, m => m.Explain());
        var chain = alerts
            .Select(a => new ChainStep(a.Id, a.RuleTitle, a.Severity, a.Tactic, Attack.Tactic(a.Tactic)?.Name, a.Technique, a.FirstSeen, a.LastSeen, a.Count, a.Ip, a.Asset, a.User, reasons[a.Id]))
            .OrderBy(s => Attack.Tactic(s.Tactic)?.Order ?? int.MaxValue)
            .ThenBy(s => s.FirstSeen)
            .ThenBy(s => s.AlertId)
            .ToList();
        var row = new EventRow(ev.Id, ev.Title, ev.ThreatLevel, ev.ThreatScore, ev.Status, ev.AlertCount, ev.Providers, ev.Accounts, ev.FirstSeen, ev.LastSeen);
        return new EventDetails(row, ev.StatusReason, ev.StatusBy, ev.StatusAt, [.. ev.Keys.Select(k => $"{k.Kind}: {k.Value}")], chain);
    }

    /// <summary>Moves every alert of <paramref name="sourceId"/> into <paramref name="targetId"/>; each keeps where it came from.</summary>
    public async Task<Result> MergeAsync(long targetId, long sourceId, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var events = await db.SecurityEvents.Include(e => e.Keys).Where(e => e.Id == targetId || e.Id == sourceId).ToListAsync(cancellationToken);
        var target = events.SingleOrDefault(e => e.Id == targetId);
        var source = events.SingleOrDefault(e => e.Id == sourceId);
        if (target is null || source is null)
        {
            return Result.NotFound("Both events must exist.");
        }

        if (target.MergedIntoId is { } merged)
        {
            return Result.Invalid("Target", $"Event #{Invariant.Text(targetId)} was merged into #{Invariant.Text(merged)}; merge into that one.");
        }

        var now = clock.GetUtcNow();
        var sourceTitle = source.Title;
        var result = source.MergeInto(targetId, now);
        if (!result.Succeeded)
        {
            return result;
        }

        var moving = await db.EventMemberships.Where(m => m.EventId == sourceId).ToListAsync(cancellationToken);
        foreach (var membership in moving)
        {
            membership.MoveTo(targetId, MembershipOrigin.Merged, user.Name, now);
        }

        var targetAlerts = await db.EventMemberships.Where(m => m.EventId == targetId).Select(m => m.AlertId).ToListAsync(cancellationToken);
        await RecomputeAsync(db, target, [.. targetAlerts, .. moving.Select(m => m.AlertId)], now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventsMerged, user.AsActor(), Invariant.Text(targetId), target.Title, $"#{Invariant.Text(sourceId)} {sourceTitle} ({Invariant.Text(moving.Count)} alerts) merged in", cancellationToken);
        await PublishAsync(targetId, $"Security events merged: {target.Title}", cancellationToken);
        await PublishAsync(sourceId, $"Security event merged into #{Invariant.Text(targetId)}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Moves the chosen alerts of an event into a new event; each keeps where it came from.</summary>
    public async Task<(Result Result, long? NewEventId)> SplitAsync(long eventId, IReadOnlyCollection<long> alertIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alertIds);
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var ev = await db.SecurityEvents.Include(e => e.Keys).SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (ev is null)
        {
            return (Result.NotFound("The event does not exist."), null);
        }

        var memberships = await db.EventMemberships.Where(m => m.EventId == eventId).ToListAsync(cancellationToken);
        var chosen = memberships.Where(m => alertIds.Contains(m.AlertId)).ToList();
        if (chosen.Count == 0 || chosen.Count != alertIds.Distinct().Count())
        {
            return (Result.Invalid("Alerts", "Choose alerts of this event."), null);
        }

        if (chosen.Count == memberships.Count)
        {
            return (Result.Invalid("Alerts", "Leave at least one alert in the event."), null);
        }

        var now = clock.GetUtcNow();
        var split = SecurityEvent.Open(ev.Title, now, now);
        db.SecurityEvents.Add(split);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var membership in chosen)
        {
            membership.MoveTo(split.Id, MembershipOrigin.Split, user.Name, now);
        }

        var stayIds = memberships.Except(chosen).Select(m => m.AlertId).ToList();
        await RecomputeAsync(db, ev, stayIds, now, cancellationToken);
        await RecomputeAsync(db, split, [.. chosen.Select(m => m.AlertId)], now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventSplit, user.AsActor(), Invariant.Text(eventId), ev.Title, $"{Invariant.Text(chosen.Count)} alerts moved to #{Invariant.Text(split.Id)}", cancellationToken);
        await PublishAsync(eventId, $"Security event split: {ev.Title}", cancellationToken);
        await PublishAsync(split.Id, $"New security event: {split.Title}", cancellationToken);
        return (Result.Ok(), split.Id);
    }

    public async Task<Result> ChangeStatusAsync(long id, SecurityEventStatus status, string? reason, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var ev = await db.SecurityEvents.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (ev is null)
        {
            return Result.NotFound("The event does not exist.");
        }

        var before = ev.Status;
        var result = ev.ChangeStatus(status, reason, user.Name, clock.GetUtcNow());
        if (!result.Succeeded)
        {
            return result;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            AuditAction.SecurityEventStatusChanged,
            user.AsActor(),
            Invariant.Text(id),
            ev.Title,
            $"{before} → {ev.Status}{(ev.StatusReason is null ? string.Empty : ": " + ev.StatusReason)}",
            cancellationToken);
        await PublishAsync(id, $"Security event {SecurityEventTransitions.Describe(ev.Status)}: {ev.Title}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Recomputes an event from exactly the alerts it now holds.</summary>
    private static async Task RecomputeAsync(ICtdrDb db, SecurityEvent ev, IReadOnlyCollection<long> alertIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = alertIds.Distinct().ToList();
        var alerts = await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        EventAssessment.Recompute(ev, alerts, new CorrelationOptions(), now);
    }

    private ValueTask PublishAsync(long id, string text, CancellationToken cancellationToken) =>
        feed.PublishAsync(new LiveMessage(LiveKinds.Event, text, Permission.ViewConsole, clock.GetUtcNow(), Invariant.Text(id)), cancellationToken);
}
