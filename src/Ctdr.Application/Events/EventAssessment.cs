using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;

namespace Ctdr.Application.Events;

/// <summary>An event's figures recomputed from its alerts: counts, times, providers, accounts, keys, title, threat level and score.</summary>
public static class EventAssessment
{
    public static void Recompute(SecurityEvent ev, IReadOnlyList<Alert> alerts, CorrelationOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(options);
        ev.Reset(alerts.Count == 0 ? ev.FirstSeen : alerts.Min(a => a.FirstSeen), now);
        foreach (var alert in alerts.OrderBy(a => a.Id))
        {
            var input = ToInput(alert);
            ev.Add(alert.FirstSeen, alert.LastSeen, alert.Provider.ToString(), alert.AccountUid, EventCorrelator.JoinKeysOf(input, options.JoinOn), now);
        }

        var scored = alerts.Select(a => new ScoredAlert(a.RuleKey, a.Severity, a.Tactic, a.Asset)).ToList();
        ev.Assess(TitleOf(ev, alerts), ThreatScore.ThreatLevelOf(scored), ThreatScore.Compute(scored), now);
    }

    /// <summary>"&lt;worst alert's rule&gt;" for one alert; for several, who it is about and how many alerts.</summary>
    public static string TitleOf(SecurityEvent ev, IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(alerts);
        var worst = alerts.OrderByDescending(a => a.Severity).ThenBy(a => a.FirstSeen).Select(a => a.RuleTitle).FirstOrDefault() ?? ev.Title;
        if (alerts.Count <= 1)
        {
            return worst;
        }

        var ip = ev.Keys.FirstOrDefault(k => k.Kind == JoinKeyKind.Ip)?.Value;
        var user = ev.Keys.FirstOrDefault(k => k.Kind is JoinKeyKind.AccountUser)?.Value;
        var who = ip is not null ? $"from {ip}" : user is not null ? $"by {user}" : null;
        return who is null ? $"{worst} and {alerts.Count - 1} more alerts" : $"{alerts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} alerts {who}: {worst}";
    }

    public static CorrelationAlert ToInput(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(
            alert.Id,
            alert.RuleKey,
            alert.Severity,
            alert.Tactic,
            alert.Provider,
            alert.AccountUid,
            alert.FirstSeen,
            alert.LastSeen,
            alert.IsShadow,
            [.. Enum.GetValues<EntityKind>().Select(k => (Kind: k, Value: alert.EntityValue(k))).Where(e => e.Value is not null).Select(e => new AlertEntity(e.Kind, e.Value!))]);
    }
}
