using Ctdr.Application.Common;
using Ctdr.Application.Detection;

namespace Ctdr.Application.Events;

/// <summary>
/// Alerts about the same entities within a window (domain.md): what analysts triage and handle. Its alerts link to it
/// through <see cref="EventMembership"/>, which says why each one joined; <see cref="Keys"/> are the join keys its
/// alerts brought (what later alerts may share).
/// </summary>
public sealed class SecurityEvent
{
    private readonly List<EventKey> keys = [];

    private SecurityEvent()
    {
    }

    public long Id { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public ThreatLevel ThreatLevel { get; private set; }

    /// <summary>0–100 (docs/events.md, "Threat score").</summary>
    public int ThreatScore { get; private set; }

    public SecurityEventStatus Status { get; private set; }

    public string? StatusReason { get; private set; }

    public string? StatusBy { get; private set; }

    public DateTimeOffset? StatusAt { get; private set; }

    /// <summary>The console user (their sign-in name) who handles the event; null when nobody is assigned.</summary>
    public string? Assignee { get; private set; }

    /// <summary>Analysts' tags, sorted, each framed by commas (",blocked,vip,") so that a filter matches a whole tag; empty when none.</summary>
    public string Tags { get; private set; } = string.Empty;

    public IReadOnlyList<string> TagList => EventTags.Parse(Tags);

    public DateTimeOffset FirstSeen { get; private set; }

    public DateTimeOffset LastSeen { get; private set; }

    public int AlertCount { get; private set; }

    /// <summary>Providers of its alerts, comma-separated, for filters.</summary>
    public string Providers { get; private set; } = string.Empty;

    /// <summary>Cloud account ids of its alerts, comma-separated, for filters.</summary>
    public string Accounts { get; private set; } = string.Empty;

    /// <summary>Set when the event was merged into another: its alerts moved there (provenance kept on each membership).</summary>
    public long? MergedIntoId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<EventKey> Keys => keys;

    public bool IsOpen => MergedIntoId is null && SecurityEventTransitions.IsOpen(Status);

    public static SecurityEvent Open(string title, DateTimeOffset firstSeen, DateTimeOffset now) => new()
    {
        Title = title.Length > 200 ? title[..200] : title,
        Status = SecurityEventStatus.Unhandled,
        FirstSeen = firstSeen,
        LastSeen = firstSeen,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>An alert joined: times, counts, the providers and accounts seen, and the keys it brought.</summary>
    public void Add(DateTimeOffset alertFirstSeen, DateTimeOffset alertLastSeen, string provider, string? account, IEnumerable<JoinKey> alertKeys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alertKeys);
        FirstSeen = alertFirstSeen < FirstSeen ? alertFirstSeen : FirstSeen;
        LastSeen = alertLastSeen > LastSeen ? alertLastSeen : LastSeen;
        AlertCount++;
        Providers = AddTo(Providers, provider);
        Accounts = account is null ? Accounts : AddTo(Accounts, account);
        foreach (var key in alertKeys)
        {
            if (!keys.Any(k => k.Kind == key.Kind && string.Equals(k.Value, key.Value, StringComparison.Ordinal)))
            {
                keys.Add(new EventKey(key.Kind, key.Value));
            }
        }

        UpdatedAt = now;
    }

    /// <summary>Forgets the figures its alerts gave, before they are added again (after a merge or a split).</summary>
    public void Reset(DateTimeOffset firstSeen, DateTimeOffset now)
    {
        AlertCount = 0;
        FirstSeen = firstSeen;
        LastSeen = firstSeen;
        Providers = string.Empty;
        Accounts = string.Empty;
        keys.Clear();
        UpdatedAt = now;
    }

    /// <summary>This event's alerts moved into <paramref name="targetId"/>; it no longer takes alerts and leaves the lists.</summary>
    public Result MergeInto(long targetId, DateTimeOffset now)
    {
        if (targetId == Id)
        {
            return Result.Invalid("Target", "An event cannot be merged into itself.");
        }

        if (MergedIntoId is not null)
        {
            return Result.Invalid("Source", $"Event #{Invariant.Text(Id)} was already merged into #{Invariant.Text(MergedIntoId.Value)}.");
        }

        MergedIntoId = targetId;
        AlertCount = 0;
        keys.Clear();
        UpdatedAt = now;
        return Result.Ok();
    }

    /// <summary>The title, threat level and score computed from its alerts.</summary>
    public void Assess(string title, ThreatLevel level, int score, DateTimeOffset now)
    {
        Title = title.Length > 200 ? title[..200] : title;
        ThreatLevel = level;
        ThreatScore = Math.Clamp(score, 0, 100);
        UpdatedAt = now;
    }

    /// <summary>Gives the event to <paramref name="assignee"/>, or to nobody when null.</summary>
    public bool Assign(string? assignee, DateTimeOffset now)
    {
        var value = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
        if (string.Equals(value, Assignee, StringComparison.Ordinal))
        {
            return false;
        }

        Assignee = value;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Replaces the tags with <paramref name="tags"/> (checked by <see cref="EventTags.Normalize"/>).</summary>
    public Result SetTags(IEnumerable<string> tags, DateTimeOffset now)
    {
        var (result, normalized) = EventTags.Normalize(tags);
        if (!result.Succeeded)
        {
            return result;
        }

        Tags = EventTags.Format(normalized);
        UpdatedAt = now;
        return Result.Ok();
    }

    /// <summary>A playbook or an analyst sets the threat level; the next alert that joins assesses it again from the alerts.</summary>
    public void OverrideThreatLevel(ThreatLevel level, DateTimeOffset now)
    {
        ThreatLevel = level;
        UpdatedAt = now;
    }

    public Result ChangeStatus(SecurityEventStatus to, string? reason, string by, DateTimeOffset now)
    {
        var check = SecurityEventTransitions.Check(Status, to, reason);
        if (!check.Succeeded)
        {
            return check;
        }

        Status = to;
        StatusReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        StatusBy = by;
        StatusAt = now;
        UpdatedAt = now;
        return Result.Ok();
    }

    private static string AddTo(string list, string item)
    {
        var items = list.Length == 0 ? [] : list.Split(',').ToList();
        if (!items.Contains(item, StringComparer.Ordinal))
        {
            items.Add(item);
            items.Sort(StringComparer.Ordinal);
        }

        return string.Join(",", items);
    }
}

/// <summary>A join key an event's alerts brought (indexed: the correlator finds open events by key).</summary>
public sealed class EventKey
{
    private EventKey()
    {
    }

    public EventKey(JoinKeyKind kind, string value)
    {
        Kind = kind;
        Value = value.Length > 300 ? value[..300] : value;
    }

    public long Id { get; private set; }

    public long EventId { get; private set; }

    public JoinKeyKind Kind { get; private set; }

    public string Value { get; private set; } = string.Empty;
}

/// <summary>How an alert came into its event.</summary>
public enum MembershipOrigin
{
    /// <summary>The correlator put it there (see the shared key and window).</summary>
    Correlated,

    /// <summary>It came with its event when that event was merged into this one.</summary>
    Merged,

    /// <summary>An analyst split it out of another event into this one.</summary>
    Split,
}

/// <summary>
/// An alert's place in an event, with the reason: the key it shared, the event's last-seen time then, the window —
/// or that it opened the event; and, after a merge or a split, where it came from. An alert is in at most one event.
/// </summary>
public sealed class EventMembership
{
    private EventMembership()
    {
    }

    public long Id { get; private set; }

    public long AlertId { get; private set; }

    public long EventId { get; private set; }

    public MembershipOrigin Origin { get; private set; }

    public bool OpenedEvent { get; private set; }

    public JoinKeyKind? SharedKeyKind { get; private set; }

    public string? SharedKeyValue { get; private set; }

    public DateTimeOffset? EventLastSeenBefore { get; private set; }

    public TimeSpan Window { get; private set; }

    /// <summary>For merged and split memberships: the event the alert was in before.</summary>
    public long? PreviousEventId { get; private set; }

    public string? By { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    public static EventMembership Correlated(long alertId, long eventId, JoinReason reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return new EventMembership
        {
            AlertId = alertId,
            EventId = eventId,
            Origin = MembershipOrigin.Correlated,
            OpenedEvent = reason.OpenedEvent,
            SharedKeyKind = reason.SharedKey?.Kind,
            SharedKeyValue = reason.SharedKey?.Value,
            EventLastSeenBefore = reason.OpenedEvent ? null : reason.EventLastSeenBefore,
            Window = reason.Window,
            By = "correlator",
            JoinedAt = now,
        };
    }

    /// <summary>The alert moves to <paramref name="eventId"/> (a merge or a split), keeping where it came from.</summary>
    public void MoveTo(long eventId, MembershipOrigin origin, string by, DateTimeOffset now)
    {
        PreviousEventId = EventId;
        EventId = eventId;
        Origin = origin;
        OpenedEvent = false;
        By = by;
        JoinedAt = now;
    }

    /// <summary>Why the alert is in its event, in words.</summary>
    public string Explain() => Origin switch
    {
        MembershipOrigin.Merged => $"came with event #{Invariant.Text(PreviousEventId ?? 0)}, merged into this one by {By}",
        MembershipOrigin.Split => $"split out of event #{Invariant.Text(PreviousEventId ?? 0)} by {By}",
        _ when OpenedEvent => "opened the event (no open event shared an entity with it within the window)",
        _ => $"shares {KindText(SharedKeyKind)} {SharedKeyValue} with the event, within {Durations(Window)} of its last activity",
    };

    private static string KindText(JoinKeyKind? kind) => kind switch
    {
        JoinKeyKind.Ip => "the IP",
        JoinKeyKind.Asset => "the asset",
        JoinKeyKind.AccountUser => "the account and user",
        JoinKeyKind.AccountAccessKey => "the account and access key",
        _ => "an entity",
    };

    private static string Durations(TimeSpan window) =>
        window.TotalMinutes >= 1 && window.TotalMinutes == Math.Floor(window.TotalMinutes)
            ? Invariant.Text((long)window.TotalMinutes) + " min"
            : Invariant.Text((long)window.TotalSeconds) + " s";
}
