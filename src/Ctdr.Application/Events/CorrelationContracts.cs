using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;

namespace Ctdr.Application.Events;

/// <summary>What the correlator knows of one alert: enough to decide which event it joins.</summary>
public sealed record CorrelationAlert(
    long AlertId,
    string RuleKey,
    RuleSeverity Severity,
    string? Tactic,
    CloudProvider Provider,
    string? AccountUid,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    bool IsShadow,
    ValueList<AlertEntity> Entities);

/// <summary>The keys an alert can share with an event: one entity kind, or an account paired with a user or an access key.</summary>
public enum JoinKeyKind
{
    Ip,
    Asset,
    AccountUser,
    AccountAccessKey,
}

/// <summary>One key an alert offers for joining: its kind and its value (for pairs, "account/user").</summary>
public sealed record JoinKey(JoinKeyKind Kind, string Value);

/// <summary>
/// Why an alert is in its event: the key it shared and the event it joined, or that it opened the event. Stored with
/// the alert's membership so the console can explain every grouping.
/// </summary>
public sealed record JoinReason(JoinKey? SharedKey, DateTimeOffset EventLastSeenBefore, TimeSpan Window, bool OpenedEvent);

public sealed class CorrelationOptions
{
    /// <summary>An alert joins an open event that shares a key with it when its first-seen time is within this window of the event's last-seen time.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The kinds of keys that join alerts into one event.</summary>
    public IReadOnlyList<JoinKeyKind> JoinOn { get; set; } = [JoinKeyKind.Ip, JoinKeyKind.AccountUser, JoinKeyKind.AccountAccessKey];

    /// <summary>An event holds at most this many alerts; the next one starts a new event.</summary>
    public int MaxAlertsPerEvent { get; set; } = 10_000;
}
