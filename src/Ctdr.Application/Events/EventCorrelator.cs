using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;

namespace Ctdr.Application.Events;

/// <summary>
/// Decides, alert by alert, which security event each alert belongs to. Pure and deterministic: no I/O, no clock; the
/// same starting snapshot and the same alerts in the same order give the same decisions.
/// </summary>
/// <remarks>
/// <para>
/// Rules, in order: an alert from a provider whose logs do not generate events is skipped; a shadow alert is skipped;
/// otherwise it joins the first candidate event, or opens a new one. A candidate shares at least one join key with the
/// alert (<see cref="JoinKeysOf"/>), has |alert.FirstSeen − event.LastSeen| ≤ <see cref="CorrelationOptions.Window"/>
/// (both edges inclusive) and holds fewer than <see cref="CorrelationOptions.MaxAlertsPerEvent"/> alerts. Among several
/// candidates the oldest wins: stored events by ascending id, then events opened in this run in the order they were
/// opened. An alert without join keys opens an event of its own.
/// </para>
/// <para>
/// Joining updates the in-memory event (keys united, last-seen the later of the two, count + 1) so later alerts of the
/// run see it. Idempotency: the caller passes only alerts that are not yet in an event, and only open (Unhandled or
/// Handling) events; within one run, correlating an alert id again returns the first decision unchanged and changes
/// nothing.
/// </para>
/// </remarks>
public sealed class EventCorrelator
{
    // Copied at construction so that a caller changing its options object mid-run cannot change the decisions.
    private readonly TimeSpan window;
    private readonly int maxAlertsPerEvent;
    private readonly JoinKeyKind[] joinOn;
    private readonly Dictionary<JoinKey, List<EventState>> byKey = [];
    private readonly Dictionary<long, CorrelationDecision> decided = [];
    private int pendingCount;

    public EventCorrelator(CorrelationOptions options, IEnumerable<OpenEvent> openEvents)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openEvents);
        ArgumentNullException.ThrowIfNull(options.JoinOn);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAlertsPerEvent, 1);
        window = options.Window;
        maxAlertsPerEvent = options.MaxAlertsPerEvent;
        joinOn = [.. options.JoinOn];

        var seen = new HashSet<long>();
        foreach (var open in openEvents.OrderBy(e => e.EventId))
        {
            ArgumentNullException.ThrowIfNull(open.Keys, nameof(openEvents));
            if (!seen.Add(open.EventId))
            {
                throw new ArgumentException($"Event {open.EventId} appears twice in the snapshot.", nameof(openEvents));
            }

            var state = new EventState(EventRef.Stored(open.EventId), open.LastSeen, open.AlertCount);
            AddKeys(state, open.Keys);
        }
    }

    /// <summary>
    /// The keys <paramref name="alert"/> offers for joining, in <see cref="JoinKeyKind"/> order then by value, limited
    /// to <paramref name="joinOn"/>. Pairs use the alert's account entity, else its <see cref="CorrelationAlert.AccountUid"/>,
    /// and are written "account/user" or "account/access key". Values compare ordinally; blank values are ignored.
    /// </summary>
    public static IReadOnlyList<JoinKey> JoinKeysOf(CorrelationAlert alert, IReadOnlyCollection<JoinKeyKind> joinOn)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(joinOn);
        var keys = new SortedSet<JoinKey>(JoinKeyOrder.Instance);
        var accounts = Values(alert, EntityKind.Account);
        if (accounts.Count == 0 && !string.IsNullOrWhiteSpace(alert.AccountUid))
        {
            accounts.Add(alert.AccountUid);
        }

        foreach (var kind in joinOn)
        {
            switch (kind)
            {
                case JoinKeyKind.Ip:
                    keys.UnionWith(Values(alert, EntityKind.Ip).Select(v => new JoinKey(kind, v)));
                    break;
                case JoinKeyKind.Asset:
                    keys.UnionWith(Values(alert, EntityKind.Asset).Select(v => new JoinKey(kind, v)));
                    break;
                case JoinKeyKind.AccountUser:
                    keys.UnionWith(Pairs(kind, accounts, Values(alert, EntityKind.User)));
                    break;
                case JoinKeyKind.AccountAccessKey:
                    keys.UnionWith(Pairs(kind, accounts, Values(alert, EntityKind.AccessKey)));
                    break;
            }
        }

        return [.. keys];
    }

    /// <summary>Why an alert from <paramref name="provider"/> never forms an event, or null when it may.</summary>
    public static string? ProviderGate(CloudProvider provider)
    {
        var capabilities = CloudProviders.Of(provider);
        return capabilities.GeneratesEvents ? null : $"alerts from {capabilities.DisplayName} logs do not form events";
    }

    /// <summary>Correlates alerts in a canonical order (first-seen, then alert id), so the input order does not matter.</summary>
    public IReadOnlyList<CorrelationDecision> CorrelateAll(IEnumerable<CorrelationAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return [.. alerts.OrderBy(a => a.FirstSeen).ThenBy(a => a.AlertId).Select(Correlate)];
    }

    /// <summary>Decides for one alert and updates the in-memory events accordingly. See the class remarks for the rules.</summary>
    public CorrelationDecision Correlate(CorrelationAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (decided.TryGetValue(alert.AlertId, out var earlier))
        {
            return earlier;
        }

        var decision = Decide(alert);
        decided.Add(alert.AlertId, decision);
        return decision;
    }

    private CorrelationDecision Decide(CorrelationAlert alert)
    {
        if (ProviderGate(alert.Provider) is { } gated)
        {
            return new SkipDecision(alert.AlertId, gated);
        }

        if (alert.IsShadow)
        {
            return new SkipDecision(alert.AlertId, "alerts of rules in shadow mode do not form events");
        }

        var keys = JoinKeysOf(alert, joinOn);
        var target = keys
            .SelectMany(k => byKey.TryGetValue(k, out var list) ? list : [])
            .Where(e => e.AlertCount < maxAlertsPerEvent && (alert.FirstSeen - e.LastSeen).Duration() <= window)
            .MinBy(e => e.Order);

        if (target is null)
        {
            var opened = new EventState(EventRef.Pending(pendingCount++), alert.LastSeen, 1);
            AddKeys(opened, keys);
            return new OpenDecision(alert.AlertId, opened.Ref, new JoinReason(null, alert.FirstSeen, window, OpenedEvent: true));
        }

        var shared = keys.First(target.Keys.Contains);
        var reason = new JoinReason(shared, target.LastSeen, window, OpenedEvent: false);
        target.AlertCount++;
        if (alert.LastSeen > target.LastSeen)
        {
            target.LastSeen = alert.LastSeen;
        }

        AddKeys(target, keys);
        return new JoinDecision(alert.AlertId, target.Ref, reason);
    }

    private void AddKeys(EventState state, IEnumerable<JoinKey> keys)
    {
        foreach (var key in keys)
        {
            if (state.Keys.Add(key))
            {
                if (!byKey.TryGetValue(key, out var list))
                {
                    byKey[key] = list = [];
                }

                list.Add(state);
            }
        }
    }

    private static List<string> Values(CorrelationAlert alert, EntityKind kind) =>
        [.. alert.Entities.Where(e => e.Kind == kind && !string.IsNullOrWhiteSpace(e.Value)).Select(e => e.Value)];

    private static IEnumerable<JoinKey> Pairs(JoinKeyKind kind, List<string> accounts, List<string> others) =>
        accounts.SelectMany(a => others.Select(o => new JoinKey(kind, a + "/" + o)));

    /// <summary>An event as the run sees it; <see cref="Order"/> puts stored events (by id) before pending ones (by index).</summary>
    private sealed class EventState(EventRef reference, DateTimeOffset lastSeen, int alertCount)
    {
        public EventRef Ref { get; } = reference;

        public (int Pending, long Rank) Order { get; } =
            reference.IsPending ? (1, reference.PendingIndex) : (0, reference.Value);

        public DateTimeOffset LastSeen { get; set; } = lastSeen;

        public int AlertCount { get; set; } = alertCount;

        public HashSet<JoinKey> Keys { get; } = [];
    }

    private sealed class JoinKeyOrder : IComparer<JoinKey>
    {
        public static readonly JoinKeyOrder Instance = new();

        public int Compare(JoinKey? x, JoinKey? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var byKind = x.Kind.CompareTo(y.Kind);
            return byKind != 0 ? byKind : string.CompareOrdinal(x.Value, y.Value);
        }
    }
}
