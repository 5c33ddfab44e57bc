using Ctdr.Application.LogSources;

namespace Ctdr.Application.Detection;

/// <summary>How bad a rule's finding is. Values match OCSF <c>severity_id</c>.</summary>
public enum RuleSeverity
{
    Informational = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    Critical = 5,
}

/// <summary>The threat level shown on alerts and events (domain.md): serious, suspicious, remind.</summary>
public enum ThreatLevel
{
    Remind = 1,
    Suspicious = 2,
    Serious = 3,
}

/// <summary>What an alert is about. Entities link alerts into security events.</summary>
public enum EntityKind
{
    /// <summary>The attacker's (source) IP address.</summary>
    Ip,

    /// <summary>The targeted asset: a protected domain, a host, a public IP.</summary>
    Asset,

    /// <summary>A cloud account (account id).</summary>
    Account,

    /// <summary>A user of a cloud account.</summary>
    User,

    /// <summary>An access key (credential id).</summary>
    AccessKey,
}

/// <summary>How a <see cref="FieldCondition"/> compares a field with its values.</summary>
public enum MatchOperator
{
    /// <summary>Equal to one of the values (one value: "="; several: "in").</summary>
    Equals,

    /// <summary>Equal to none of the values ("!=", "not in"). An absent field is not equal to anything, so it matches.</summary>
    NotEquals,
    Contains,
    StartsWith,
    EndsWith,

    /// <summary>A .NET regular expression (run without backtracking or with a match timeout).</summary>
    Regex,

    /// <summary>An IPv4 or IPv6 address inside one of the CIDR ranges.</summary>
    Cidr,

    /// <summary>The field is present and not empty. No values.</summary>
    Exists,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// <summary>A rule's condition: a tree of field tests combined with and/or/not.</summary>
public abstract record RuleCondition;

/// <summary>All items hold.</summary>
public sealed record AndCondition(ValueList<RuleCondition> Items) : RuleCondition;

/// <summary>At least one item holds.</summary>
public sealed record OrCondition(ValueList<RuleCondition> Items) : RuleCondition;

public sealed record NotCondition(RuleCondition Inner) : RuleCondition;

/// <summary>
/// A test of one field against values. <see cref="Field"/> is a dotted OCSF path from
/// <see cref="Logs.SecurityLogFields"/>, a path into the original record prefixed <c>raw.</c>
/// (<c>raw.event.additionalEventData.MFAUsed</c>), or <c>*</c> for any text field (keyword search).
/// Several values are alternatives (any one matches) unless <see cref="MatchAllValues"/> is set.
/// Text comparisons ignore case unless <see cref="CaseSensitive"/> is set.
/// </summary>
public sealed record FieldCondition(
    string Field,
    MatchOperator Operator,
    ValueList<string> Values,
    bool CaseSensitive = false,
    bool MatchAllValues = false) : RuleCondition;

public enum AggregateFunction
{
    /// <summary>The number of matching records.</summary>
    Count,

    /// <summary>The number of distinct values of <see cref="Aggregation.DistinctField"/> among matching records.</summary>
    DistinctCount,
}

/// <summary>
/// Threshold over a sliding window: alert when, for one combination of <see cref="GroupBy"/> values, the
/// aggregate of the records matching the rule's condition within <see cref="Window"/> reaches
/// <see cref="Threshold"/> (value ≥ threshold).
/// </summary>
public sealed record Aggregation(
    ValueList<string> GroupBy,
    TimeSpan Window,
    AggregateFunction Function,
    string? DistinctField,
    long Threshold);

/// <summary>One step of a <see cref="Sequence"/>: a named condition.</summary>
public sealed record SequenceStep(string Name, RuleCondition Condition);

/// <summary>
/// Records matching every step, with equal <see cref="By"/> values, within <see cref="Window"/>; when
/// <see cref="Ordered"/>, in the order of the steps. The alert is raised by the record that completes it.
/// </summary>
public sealed record Sequence(ValueList<SequenceStep> Steps, ValueList<string> By, TimeSpan Window, bool Ordered);

/// <summary>Which field of a matching record names an entity of the alert.</summary>
public sealed record EntityMapping(EntityKind Kind, string Field);

/// <summary>
/// Folds repeats: matches with the same values of the entities <see cref="By"/> (all mapped entities when empty)
/// within one period (periods aligned to the Unix epoch) become one alert whose count grows.
/// </summary>
public sealed record Suppression(TimeSpan Period, ValueList<EntityKind> By);

/// <summary>One record of a sample: a provider record as JSON, optionally repeated (uid suffixed, time shifted).</summary>
public sealed record SampleRecord(string Json, int Repeat = 1, TimeSpan Every = default);

/// <summary>
/// Sample records that must raise the rule (<see cref="ExpectMatch"/>) or must not. The records are one stream,
/// normalised as <see cref="Product"/> (the rule's first product when null) and evaluated in order.
/// </summary>
public sealed record RuleSample(string Name, bool ExpectMatch, LogProduct? Product, ValueList<SampleRecord> Records);

/// <summary>
/// A detection rule as written (in the rule text syntax, the builder, or imported from Sigma). A rule has a
/// <see cref="Condition"/>, optionally with an <see cref="Aggregation"/>; or a <see cref="Sequence"/> (then
/// the condition, if any, applies to every step).
/// </summary>
public sealed record RuleDefinition
{
    /// <summary>Stable key: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public RuleSeverity Severity { get; init; } = RuleSeverity.Medium;

    /// <summary>Null: derived from the severity (<see cref="RuleDefinitions.ThreatLevelOf"/>).</summary>
    public ThreatLevel? ThreatLevel { get; init; }

    /// <summary>The log products the rule applies to; empty = all.</summary>
    public ValueList<LogProduct> Products { get; init; } = ValueList<LogProduct>.Empty;

    /// <summary>MITRE ATT&amp;CK tactic id, e.g. <c>TA0001</c>.</summary>
    public string? Tactic { get; init; }

    /// <summary>MITRE ATT&amp;CK technique id, e.g. <c>T1190</c> or <c>T1110.001</c>.</summary>
    public string? Technique { get; init; }

    public RuleCondition? Condition { get; init; }

    public Aggregation? Aggregation { get; init; }

    public Sequence? Sequence { get; init; }

    public ValueList<EntityMapping> Entities { get; init; } = ValueList<EntityMapping>.Empty;

    public Suppression? Suppression { get; init; }

    /// <summary>Recommended handling, shown with the rule and its alerts.</summary>
    public string? Recommendation { get; init; }

    /// <summary>For imported rules: the author, shown with every alert the rule raises (Detection Rule License).</summary>
    public string? Author { get; init; }

    public string? License { get; init; }

    public ValueList<string> References { get; init; } = ValueList<string>.Empty;

    public ValueList<RuleSample> Samples { get; init; } = ValueList<RuleSample>.Empty;
}

public static class RuleDefinitions
{
    public static ThreatLevel ThreatLevelOf(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical or RuleSeverity.High => ThreatLevel.Serious,
        RuleSeverity.Medium => ThreatLevel.Suspicious,
        _ => ThreatLevel.Remind,
    };

    public static ThreatLevel EffectiveThreatLevel(this RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.ThreatLevel ?? ThreatLevelOf(rule.Severity);
    }
}
