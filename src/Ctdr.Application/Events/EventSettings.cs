namespace Ctdr.Application.Events;

/// <summary>Configuration section <c>Events</c>: how alerts are grouped into security events (docs/events.md).</summary>
public sealed class EventSettings
{
    public const string SectionName = "Events";

    /// <summary>The most alerts one event may hold (the domain's bound).</summary>
    public const int MaxAlertsLimit = 10_000;

    /// <summary>An alert joins an open event that shares a key with it within this many minutes of the event's last activity.</summary>
    public int WindowMinutes { get; set; } = 30;

    /// <summary>The kinds of keys that join alerts, comma-separated: <c>Ip</c>, <c>Asset</c>, <c>AccountUser</c>, <c>AccountAccessKey</c>.</summary>
    public string JoinOn { get; set; } = "Ip,AccountUser,AccountAccessKey";

    /// <summary>An event holds at most this many alerts; the next one starts a new event.</summary>
    public int MaxAlertsPerEvent { get; set; } = MaxAlertsLimit;

    /// <summary>The join kinds named by <see cref="JoinOn"/>; null when one of them is not a kind.</summary>
    public IReadOnlyList<JoinKeyKind>? ParseJoinOn()
    {
        var kinds = new List<JoinKeyKind>();
        foreach (var name in JoinOn.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<JoinKeyKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                return null;
            }

            if (!kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds;
    }

    public CorrelationOptions ToCorrelationOptions() => new()
    {
        Window = TimeSpan.FromMinutes(WindowMinutes),
        JoinOn = ParseJoinOn() ?? throw new InvalidOperationException($"Events:JoinOn names an unknown kind: '{JoinOn}'."),
        MaxAlertsPerEvent = MaxAlertsPerEvent,
    };
}
