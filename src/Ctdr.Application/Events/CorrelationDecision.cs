using System.Globalization;

namespace Ctdr.Application.Events;

/// <summary>
/// An open (Unhandled or Handling) stored event the correlator may add alerts to: the caller passes only open events.
/// </summary>
public sealed record OpenEvent(long EventId, DateTimeOffset LastSeen, int AlertCount, IReadOnlyCollection<JoinKey> Keys);

/// <summary>
/// An event the correlator decided on: a stored one (its database id, positive) or one it opened during the current
/// run (pending, -1 for the first, -2 for the second…), which the caller maps to a database id after saving it.
/// </summary>
public readonly record struct EventRef(long Value)
{
    public bool IsPending => Value < 0;

    /// <summary>The 0-based order in which the run opened this event; only for pending references.</summary>
    public int PendingIndex => IsPending
        ? checked((int)(-Value - 1))
        : throw new InvalidOperationException("A stored event has no pending index.");

    public static EventRef Stored(long eventId) =>
        eventId > 0 ? new(eventId) : throw new ArgumentOutOfRangeException(nameof(eventId), eventId, "Stored event ids are positive.");

    public static EventRef Pending(int index) =>
        index >= 0 ? new(-(long)index - 1) : throw new ArgumentOutOfRangeException(nameof(index), index, "Pending indexes start at 0.");

    public override string ToString() =>
        IsPending ? "pending#" + PendingIndex.ToString(CultureInfo.InvariantCulture) : Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the correlator decided for one alert.</summary>
public abstract record CorrelationDecision(long AlertId);

/// <summary>The alert stays an alert: it never forms or joins an event (shadow rule, or a provider without events).</summary>
public sealed record SkipDecision(long AlertId, string Reason) : CorrelationDecision(AlertId);

/// <summary>The alert joins an existing event (stored or opened earlier in the run).</summary>
public sealed record JoinDecision(long AlertId, EventRef Event, JoinReason Reason) : CorrelationDecision(AlertId);

/// <summary>
/// The alert opens a new event; <see cref="Event"/> is a pending reference. The reason has no shared key, OpenedEvent
/// set, and the alert's own first-seen time as EventLastSeenBefore (the event had none before it).
/// </summary>
public sealed record OpenDecision(long AlertId, EventRef Event, JoinReason Reason) : CorrelationDecision(AlertId);
