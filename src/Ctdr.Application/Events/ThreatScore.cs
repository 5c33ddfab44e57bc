using Ctdr.Application.Detection;

namespace Ctdr.Application.Events;

/// <summary>What the threat score needs of one alert of an event.</summary>
public sealed record ScoredAlert(string RuleKey, RuleSeverity Severity, string? Tactic, string? Asset)
{
    public static ScoredAlert From(CorrelationAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var asset = alert.Entities.FirstOrDefault(e => e.Kind == EntityKind.Asset && !string.IsNullOrWhiteSpace(e.Value))?.Value;
        return new(alert.RuleKey, alert.Severity, alert.Tactic, asset);
    }
}

/// <summary>
/// The threat score (0–100) and threat level of a security event, from its alerts. Documented with worked examples in
/// docs/events.md, section "Threat score".
/// </summary>
/// <remarks>
/// score = min(100, base + progression + success + assets), where
/// <list type="bullet">
/// <item><description>base, from the highest severity: Critical 60, High 45, Medium 30, Low 15, Informational 5;</description></item>
/// <item><description>progression: +8 for each distinct ATT&amp;CK tactic beyond the first, at most +24 (tactics
/// given by id, e.g. TA0001, or by name; unknown ones are not counted);</description></item>
/// <item><description>success: +15 once when any alert comes from a rule in <see cref="SuccessIndicatorRules"/> or has a
/// tactic after Initial Access in kill-chain order (Execution onwards);</description></item>
/// <item><description>assets: +5 for each distinct asset beyond the first (compared ignoring case), at most +15.</description></item>
/// </list>
/// An event without alerts scores 0.
/// </remarks>
public static class ThreatScore
{
    public const int SuccessBonus = 15;

    /// <summary>
    /// Predefined rules whose alert means an attack was answered with success (a 2xx after or despite an attack). Huawei
    /// Cloud and Tencent Cloud have no such predefined rule yet; their successes count through later tactics.
    /// </summary>
    public static IReadOnlySet<string> SuccessIndicatorRules { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "alibaba-waf-success-after-attack",
        "alibaba-waf-attack-payload-allowed",
    };

    public static int BaseOf(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical => 60,
        RuleSeverity.High => 45,
        RuleSeverity.Medium => 30,
        RuleSeverity.Low => 15,
        _ => 5,
    };

    public static int Compute(IReadOnlyCollection<ScoredAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return 0;
        }

        var tactics = alerts.Select(a => TacticOf(a.Tactic)).OfType<AttackTactic>().DistinctBy(t => t.Id).ToList();
        var initialAccess = Attack.Tactic("TA0001")!.Order;
        var success = alerts.Any(a => SuccessIndicatorRules.Contains(a.RuleKey)) || tactics.Any(t => t.Order > initialAccess);
        var assets = alerts.Select(a => a.Asset).Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.OrdinalIgnoreCase).Count();

        var score = BaseOf(alerts.Max(a => a.Severity))
            + Math.Min(24, 8 * Math.Max(0, tactics.Count - 1))
            + (success ? SuccessBonus : 0)
            + Math.Min(15, 5 * Math.Max(0, assets - 1));
        return Math.Min(100, score);
    }

    /// <summary>Serious, suspicious or remind from the highest severity, as for rules (<see cref="RuleDefinitions.ThreatLevelOf"/>); remind without alerts.</summary>
    public static ThreatLevel ThreatLevelOf(IReadOnlyCollection<ScoredAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return alerts.Count == 0 ? ThreatLevel.Remind : RuleDefinitions.ThreatLevelOf(alerts.Max(a => a.Severity));
    }

    private static AttackTactic? TacticOf(string? tactic) =>
        string.IsNullOrWhiteSpace(tactic) ? null : Attack.Tactic(tactic) ?? Attack.TacticByName(tactic);
}
