using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Live;
using Ctdr.Application.Alerts;
using Ctdr.Application.Users;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Events;

public sealed record EventFilter(
    SecurityEventStatus? Status = null,
    ThreatLevel? ThreatLevel = null,
    CloudProvider? Provider = null,
    string? Account = null,
    string? Entity = null,
    DateTimeOffset? From = null,
    bool SortByScore = false,
    string? Assignee = null,
    string? Tag = null);

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
    DateTimeOffset LastSeen,
    string? Assignee = null);

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

/// <summary>An entity of the event's alerts and how many of its alerts name it.</summary>
public sealed record EventEntity(EntityKind Kind, string Value, int AlertCount);

/// <summary>An analyst's comment (plain text: render as text).</summary>
public sealed record EventCommentRow(long Id, string Author, DateTimeOffset At, string Text);

/// <summary>One change to the event from the audit log: who, when, what.</summary>
public sealed record EventHistoryRow(DateTimeOffset At, AuditAction Action, string Actor, string? Details);

/// <summary>An evidence log of one of the event's alerts.</summary>
public sealed record EventEvidence(long AlertId, string RuleTitle, EvidenceLog Log);

public sealed record EventDetails(
    EventRow Row,
    string? StatusReason,
    string? StatusBy,
    DateTimeOffset? StatusAt,
    IReadOnlyList<string> Keys,
    IReadOnlyList<ChainStep> Chain,
    IReadOnlyList<string> Tags,
    IReadOnlyList<EventCommentRow> Comments,
    IReadOnlyList<EventHistoryRow> History,
    IReadOnlyList<EventEvidence> Evidence,
    IReadOnlyList<EventEntity> Entities,
    EntityGraph Graph,
    long? MergedIntoId)
{
    /// <summary>Whether its alerts come from a provider whose WAF Ctdr can act on (Alibaba Cloud, Huawei Cloud, Tencent Cloud).</summary>
    public bool CanBeHandledAutomatically => Row.Providers.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Any(p => Enum.TryParse<CloudProvider>(p, out var provider) && CloudProviders.Of(provider).SupportsAutomaticHandling);
}

/// <summary>Open and closed events by threat level and status, for the landing page.</summary>
public sealed record EventCounts(IReadOnlyDictionary<(ThreatLevel Level, SecurityEventStatus Status), int> Cells)
{
    public int Total => Cells.Values.Sum();

    public int Of(ThreatLevel level) => Cells.Where(c => c.Key.Level == level).Sum(c => c.Value);

    public int Of(SecurityEventStatus status) => Cells.Where(c => c.Key.Status == status).Sum(c => c.Value);

    public int Of(ThreatLevel level, SecurityEventStatus status) => Cells.GetValueOrDefault((level, status));
}

/// <summary>The Security Event Handling page: list, detail with the attack chain, status changes.</summary>
public sealed class EventQueries(
    ICtdrDbFactory dbs,
    ICurrentUser currentUser,
    IAuditTrail audit,
    ILiveFeed feed,
    IStoredLogReader logs,
    IUserDirectory users,
    Microsoft.Extensions.Options.IOptions<EventSettings> settings,
    TimeProvider clock)
{
    /// <summary>Evidence logs shown on the event page: the first few of each alert, at most this many in all.</summary>
    public const int MaxEvidence = 50;

    private const int EvidencePerAlert = 3;

    private static readonly AuditAction[] EventActions =
    [
        AuditAction.SecurityEventStatusChanged,
        AuditAction.SecurityEventsMerged,
        AuditAction.SecurityEventSplit,
        AuditAction.SecurityEventAssigned,
        AuditAction.SecurityEventTagged,
        AuditAction.SecurityEventCommented,
    ];

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

        if (!string.IsNullOrWhiteSpace(filter.Assignee))
        {
            var assignee = filter.Assignee.Trim();
            query = query.Where(e => e.Assignee == assignee);
        }

        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var framed = LikePatterns.Contains("," + filter.Tag.Trim().ToLowerInvariant() + ",");
            query = query.Where(e => EF.Functions.Like(e.Tags, framed, LikePatterns.Escape));
        }

        var total = await query.CountAsync(cancellationToken);
        var ordered = filter.SortByScore
            ? query.OrderByDescending(e => e.ThreatScore).ThenByDescending(e => e.LastSeen).ThenByDescending(e => e.Id)
            : query.OrderByDescending(e => e.LastSeen).ThenByDescending(e => e.Id);
        var rows = await ordered.Skip(page.Skip).Take(page.Take)
            .Select(e => new EventRow(e.Id, e.Title, e.ThreatLevel, e.ThreatScore, e.Status, e.AlertCount, e.Providers, e.Accounts, e.FirstSeen, e.LastSeen, e.Assignee))
            .ToListAsync(cancellationToken);
        return new Page<EventRow>(rows, total);
    }

    /// <summary>Events (not merged away) by threat level and status.</summary>
    public async Task<EventCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var cells = await db.SecurityEvents.AsNoTracking()
            .Where(e => e.MergedIntoId == null)
            .GroupBy(e => new { e.ThreatLevel, e.Status })
            .Select(g => new { g.Key.ThreatLevel, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return new EventCounts(cells.ToDictionary(c => (c.ThreatLevel, c.Status), c => c.Count));
    }

    /// <summary>Who an event may be assigned to: enabled Analysts and Administrators, by sign-in name.</summary>
    public async Task<IReadOnlyList<string>> AssignableAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        var names = new List<string>();
        for (var index = 0; ; index++)
        {
            var page = await users.ListAsync(null, new PageRequest(index, PageRequest.MaxPageSize), cancellationToken);
            names.AddRange(page.Items
                .Where(u => !u.IsDisabled && (u.Role == Roles.Analyst || u.Role == Roles.Admin))
                .Select(u => u.Email));
            if (page.Items.Count < PageRequest.MaxPageSize || (index + 1) * PageRequest.MaxPageSize >= page.TotalCount)
            {
                break;
            }
        }

        names.Sort(StringComparer.OrdinalIgnoreCase);
        return names;
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
        var row = new EventRow(ev.Id, ev.Title, ev.ThreatLevel, ev.ThreatScore, ev.Status, ev.AlertCount, ev.Providers, ev.Accounts, ev.FirstSeen, ev.LastSeen, ev.Assignee);
        var comments = await db.EventComments.AsNoTracking().Where(c => c.EventId == id)
            .OrderBy(c => c.At).ThenBy(c => c.Id)
            .Select(c => new EventCommentRow(c.Id, c.Author, c.At, c.Text))
            .ToListAsync(cancellationToken);
        var target = Invariant.Text(id);
        var history = await db.AuditEntries.AsNoTracking()
            .Where(a => a.TargetId == target && EventActions.Contains(a.Action))
            .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id)
            .Select(a => new EventHistoryRow(a.OccurredAt, a.Action, a.ActorName, a.Details))
            .ToListAsync(cancellationToken);
        var evidence = await EvidenceAsync(db, chain, cancellationToken);
        var entities = alerts
            .SelectMany(a => Enum.GetValues<EntityKind>().Select(kind => (Kind: kind, Value: a.EntityValue(kind) ?? (kind == EntityKind.Account ? a.AccountUid : null))))
            .Where(e => e.Value is not null)
            .GroupBy(e => (e.Kind, e.Value!))
            .Select(g => new EventEntity(g.Key.Kind, g.Key.Item2, g.Count()))
            .OrderBy(e => e.Kind).ThenBy(e => e.Value, StringComparer.Ordinal)
            .ToList();
        return new EventDetails(row, ev.StatusReason, ev.StatusBy, ev.StatusAt, [.. ev.Keys.Select(k => $"{k.Kind}: {k.Value}")], chain, ev.TagList, comments, history, evidence, entities, EntityGraph.Build(alerts), ev.MergedIntoId);
    }

    /// <summary>Gives the event to an Analyst or Administrator, or to nobody (null).</summary>
    public async Task<Result> AssignAsync(long id, string? assignee, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        var name = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
        if (name is not null && !(await AssignableAsync(cancellationToken)).Contains(name, StringComparer.Ordinal))
        {
            return Result.Invalid("Assignee", $"{name} is not an enabled Analyst or Administrator.");
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var ev = await db.SecurityEvents.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (ev is null)
        {
            return Result.NotFound("The event does not exist.");
        }

        var before = ev.Assignee;
        if (!ev.Assign(name, clock.GetUtcNow()))
        {
            return Result.Ok();
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventAssigned, user.AsActor(), Invariant.Text(id), ev.Title, $"{before ?? "nobody"} → {ev.Assignee ?? "nobody"}", cancellationToken);
        await PublishAsync(id, $"Security event assigned to {ev.Assignee ?? "nobody"}: {ev.Title}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Replaces the event's tags (see <see cref="EventTags"/> for what a tag may be).</summary>
    public async Task<Result> SetTagsAsync(long id, IReadOnlyCollection<string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var ev = await db.SecurityEvents.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (ev is null)
        {
            return Result.NotFound("The event does not exist.");
        }

        var before = ev.TagList;
        var result = ev.SetTags(tags, clock.GetUtcNow());
        if (!result.Succeeded || before.SequenceEqual(ev.TagList, StringComparer.Ordinal))
        {
            return result;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventTagged, user.AsActor(), Invariant.Text(id), ev.Title, $"[{string.Join(", ", before)}] → [{string.Join(", ", ev.TagList)}]", cancellationToken);
        await PublishAsync(id, $"Security event tags changed: {ev.Title}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Adds an analyst's comment; comments are kept as written and never edited.</summary>
    public async Task<Result> CommentAsync(long id, string? text, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        var body = text?.Trim() ?? string.Empty;
        if (body.Length == 0)
        {
            return Result.Invalid("Comment", "Write a comment first.");
        }

        if (body.Length > EventComment.MaxLength)
        {
            return Result.Invalid("Comment", $"A comment holds at most {Invariant.Text(EventComment.MaxLength)} characters ({Invariant.Text(body.Length)} given).");
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var ev = await db.SecurityEvents.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (ev is null)
        {
            return Result.NotFound("The event does not exist.");
        }

        db.EventComments.Add(EventComment.Write(id, user.UserId, user.Name, body, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        var excerpt = body.Length > 200 ? body[..200] + "…" : body;
        await audit.RecordAsync(AuditAction.SecurityEventCommented, user.AsActor(), Invariant.Text(id), ev.Title, excerpt, cancellationToken);
        await PublishAsync(id, $"New comment on security event: {ev.Title}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>The first evidence logs of each alert, in chain order, at most <see cref="MaxEvidence"/>.</summary>
    private async Task<IReadOnlyList<EventEvidence>> EvidenceAsync(ICtdrDb db, IReadOnlyList<ChainStep> chain, CancellationToken cancellationToken)
    {
        var chosen = new List<(long AlertId, string RuleTitle, AlertEvidence Evidence)>();

        // Alerts keep at most a few dozen evidence logs each; reading a few alerts at a time stops early on big events.
        foreach (var batch in chain.Chunk(EvidencePerAlert * 4))
        {
            var ids = batch.Select(s => s.AlertId).ToList();
            var rows = await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.Id))
                .SelectMany(a => a.Evidence)
                .ToListAsync(cancellationToken);
            foreach (var step in batch)
            {
                chosen.AddRange(rows.Where(e => e.AlertId == step.AlertId).OrderBy(e => e.Ref).Take(EvidencePerAlert).Select(e => (step.AlertId, step.RuleTitle, e)));
            }

            if (chosen.Count >= MaxEvidence)
            {
                break;
            }
        }

        chosen = [.. chosen.Take(MaxEvidence)];
        var loaded = await EvidenceLogs.LoadAsync(db, logs, [.. chosen.Select(r => r.Evidence)], cancellationToken);
        return [.. chosen.Zip(loaded, (r, item) => new EventEvidence(r.AlertId, r.RuleTitle, item))];
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
        await audit.RecordAsync(AuditAction.SecurityEventsMerged, user.AsActor(), Invariant.Text(targetId), target.Title, $"#{Invariant.Text(sourceId)} {sourceTitle} ({AlertsText(moving.Count)}) merged in", cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventsMerged, user.AsActor(), Invariant.Text(sourceId), sourceTitle, $"merged into #{Invariant.Text(targetId)} {target.Title} ({AlertsText(moving.Count)} moved)", cancellationToken);
        await PublishAsync(targetId, $"Security events merged: {target.Title}", cancellationToken);
        await PublishAsync(sourceId, $"Security event merged into #{Invariant.Text(targetId)}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Moves the chosen alerts of an event into a new event; each keeps where it came from.</summary>
    public async Task<(Result Outcome, long? NewEventId)> SplitAsync(long eventId, IReadOnlyCollection<long> alertIds, CancellationToken cancellationToken = default)
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
        await audit.RecordAsync(AuditAction.SecurityEventSplit, user.AsActor(), Invariant.Text(eventId), ev.Title, $"{AlertsText(chosen.Count)} moved to #{Invariant.Text(split.Id)}", cancellationToken);
        await audit.RecordAsync(AuditAction.SecurityEventSplit, user.AsActor(), Invariant.Text(split.Id), split.Title, $"{AlertsText(chosen.Count)} split out of #{Invariant.Text(eventId)}", cancellationToken);
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
    private async Task RecomputeAsync(ICtdrDb db, SecurityEvent ev, IReadOnlyCollection<long> alertIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = alertIds.Distinct().ToList();
        var alerts = await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        EventAssessment.Recompute(ev, alerts, settings.Value.ToCorrelationOptions(), now);
    }

    private static string AlertsText(int count) => Invariant.Text(count) + (count == 1 ? " alert" : " alerts");

    private ValueTask PublishAsync(long id, string text, CancellationToken cancellationToken) =>
        feed.PublishAsync(new LiveMessage(LiveKinds.Event, text, Permission.ViewConsole, clock.GetUtcNow(), Invariant.Text(id)), cancellationToken);
}
