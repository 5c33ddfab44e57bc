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
        await feed.PublishAsync(new LiveMessage(LiveKinds.Event, $"Security event {SecurityEventTransitions.Describe(ev.Status)}: {ev.Title}", Permission.ViewConsole, clock.GetUtcNow(), Invariant.Text(id)), cancellationToken);
        return Result.Ok();
    }
}
