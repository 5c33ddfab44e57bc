using System.Globalization;
using System.Text.Json;
using Ctdr.Application.Common;

namespace Ctdr.Application.Response;

/// <summary>What makes an automatic response rule look: a new or changed security event, or a new alert.</summary>
public enum ResponseTrigger
{
    Event,
    Alert,
}

/// <summary>What an automatic response rule does when its conditions hold.</summary>
public enum ResponseActionKind
{
    RunPlaybook,
    ChangeEventStatus,
    ChangeThreatLevel,
}

/// <summary>One condition on the triggering event's or alert's fields (see <see cref="ResponseSubject"/> for the fields).</summary>
public sealed record ResponseCondition(string Field, string Operator, string Value);

/// <summary>One action: a playbook to run (by id), or a status or threat level to set.</summary>
public sealed record ResponseAction(ResponseActionKind Kind, long? PlaybookId = null, string? Value = null);

/// <summary>The facts a rule's conditions are evaluated on, from an event (or an alert).</summary>
public sealed record ResponseSubject(
    string ThreatLevel,
    int ThreatScore,
    string Status,
    IReadOnlyList<string> RuleNames,
    IReadOnlyList<string> Providers,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> EntityTypes)
{
    public static readonly IReadOnlyList<string> Fields = ["threat_level", "threat_score", "status", "rule_name", "provider", "account", "entity_type"];

    public static readonly IReadOnlyList<string> Operators = ["=", "!=", ">=", "<=", "contains"];

    /// <summary>Whether the condition holds; list fields hold when any of their values does (for != : when none equals).</summary>
    public bool Holds(ResponseCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.Field == "threat_score")
        {
            if (!int.TryParse(condition.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            return condition.Operator switch
            {
                "=" => ThreatScore == number,
                "!=" => ThreatScore != number,
                ">=" => ThreatScore >= number,
                "<=" => ThreatScore <= number,
                _ => false,
            };
        }

        IReadOnlyList<string> values = condition.Field switch
        {
            "threat_level" => [ThreatLevel],
            "status" => [Status],
            "rule_name" => RuleNames,
            "provider" => Providers,
            "account" => Accounts,
            "entity_type" => EntityTypes,
            _ => [],
        };
        return condition.Operator switch
        {
            "=" => values.Any(v => string.Equals(v, condition.Value, StringComparison.OrdinalIgnoreCase)),
            "!=" => !values.Any(v => string.Equals(v, condition.Value, StringComparison.OrdinalIgnoreCase)),
            "contains" => values.Any(v => v.Contains(condition.Value, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }
}

/// <summary>
/// An automatic response rule: on a trigger, when its conditions hold (all, or any), run its actions in order. Rules
/// are evaluated by <see cref="Order"/>; each fires at most once per event or alert. Dry run and an approval gate are
/// per rule; counters say how often it fired.
/// </summary>
public sealed class ResponseRule
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ResponseRule()
    {
    }

    public long Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public int Order { get; private set; }

    public bool Enabled { get; private set; }

    public ResponseTrigger Trigger { get; private set; }

    /// <summary>True: all conditions must hold (and); false: any (or).</summary>
    public bool MatchAll { get; private set; } = true;

    public string ConditionsJson { get; private set; } = "[]";

    public string ActionsJson { get; private set; } = "[]";

    public bool DryRun { get; private set; }

    public bool RequireApproval { get; private set; }

    public int ApprovalMinutes { get; private set; } = 30;

    /// <summary>With an approval gate: what happens when nobody answers before the deadline.</summary>
    public bool ApproveOnTimeout { get; private set; }

    public long FiredCount { get; private set; }

    public DateTimeOffset? LastFiredAt { get; private set; }

    public string UpdatedBy { get; private set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<ResponseCondition> Conditions => JsonSerializer.Deserialize<List<ResponseCondition>>(ConditionsJson, Json) ?? [];

    public IReadOnlyList<ResponseAction> Actions => JsonSerializer.Deserialize<List<ResponseAction>>(ActionsJson, Json) ?? [];

    public static ResponseRule Create(ResponseRuleForm form, int order, string by, DateTimeOffset now)
    {
        var rule = new ResponseRule { Order = order };
        rule.Apply(form, by, now);
        return rule;
    }

    public void Apply(ResponseRuleForm form, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(form);
        Name = form.Name.Trim();
        Enabled = form.Enabled;
        Trigger = form.Trigger;
        MatchAll = form.MatchAll;
        ConditionsJson = JsonSerializer.Serialize(form.Conditions, Json);
        ActionsJson = JsonSerializer.Serialize(form.Actions, Json);
        DryRun = form.DryRun;
        RequireApproval = form.RequireApproval;
        ApprovalMinutes = form.ApprovalMinutes;
        ApproveOnTimeout = form.ApproveOnTimeout;
        UpdatedBy = by;
        UpdatedAt = now;
    }

    public void SetEnabled(bool enabled, string by, DateTimeOffset now)
    {
        Enabled = enabled;
        UpdatedBy = by;
        UpdatedAt = now;
    }

    public void MoveTo(int order) => Order = order;

    /// <summary>Whether the rule fires for the subject: all (or any) conditions hold; a rule without conditions fires for every subject.</summary>
    public bool Matches(ResponseSubject subject)
    {
        var conditions = Conditions;
        if (conditions.Count == 0)
        {
            return true;
        }

        return MatchAll ? conditions.All(subject.Holds) : conditions.Any(subject.Holds);
    }

    public void Fired(DateTimeOffset now)
    {
        FiredCount++;
        LastFiredAt = now;
    }
}

/// <summary>What an analyst enters for an automatic response rule.</summary>
public sealed record ResponseRuleForm(
    string Name,
    bool Enabled,
    ResponseTrigger Trigger,
    bool MatchAll,
    IReadOnlyList<ResponseCondition> Conditions,
    IReadOnlyList<ResponseAction> Actions,
    bool DryRun = false,
    bool RequireApproval = false,
    int ApprovalMinutes = 30,
    bool ApproveOnTimeout = false)
{
    /// <summary>Checks the form; the result names each problem.</summary>
    public Result Validate(IReadOnlyCollection<long> playbookIds)
    {
        ArgumentNullException.ThrowIfNull(playbookIds);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 100)
        {
            errors["Name"] = ["Give the rule a name of at most 100 characters."];
        }

        var bad = Conditions.Where(c => !ResponseSubject.Fields.Contains(c.Field) || !ResponseSubject.Operators.Contains(c.Operator) || string.IsNullOrWhiteSpace(c.Value)
            || (c.Field == "threat_score" ? !int.TryParse(c.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || c.Operator == "contains" : c.Operator is ">=" or "<=")).ToList();
        if (bad.Count > 0)
        {
            errors["Conditions"] = [.. bad.Select(c => $"'{c.Field} {c.Operator} {c.Value}' is not a condition: fields {string.Join(", ", ResponseSubject.Fields)}; threat_score takes = != >= <= and a number, the others = != contains.")];
        }

        if (Actions.Count == 0)
        {
            errors["Actions"] = ["Choose at least one action."];
        }
        else if (Actions.Any(a => a.Kind == ResponseActionKind.RunPlaybook && (a.PlaybookId is not { } id || !playbookIds.Contains(id))))
        {
            errors["Actions"] = ["Choose an existing playbook for each 'run playbook' action."];
        }
        else if (Actions.Any(a => a.Kind != ResponseActionKind.RunPlaybook && string.IsNullOrWhiteSpace(a.Value)))
        {
            errors["Actions"] = ["Say which status or threat level to set."];
        }

        if (RequireApproval && ApprovalMinutes is < 1 or > 24 * 60)
        {
            errors["ApprovalMinutes"] = ["The approval deadline is between 1 minute and 24 hours."];
        }

        return errors.Count == 0 ? Result.Ok() : Result.Invalid(errors);
    }
}

/// <summary>That a rule fired for an event or an alert (unique: a rule fires once per subject, also across retries).</summary>
public sealed class ResponseRuleFiring
{
    private ResponseRuleFiring()
    {
    }

    public long Id { get; private set; }

    public long RuleId { get; private set; }

    public long? EventId { get; private set; }

    public long? AlertId { get; private set; }

    /// <summary><c>event:&lt;id&gt;</c> or <c>alert:&lt;id&gt;</c>; unique with the rule (nullable columns would not make a unique key).</summary>
    public string Subject { get; private set; } = string.Empty;

    public DateTimeOffset FiredAt { get; private set; }

    public static string SubjectOf(long? eventId, long? alertId) =>
        alertId is { } alert ? "alert:" + Invariant.Text(alert) : "event:" + Invariant.Text(eventId ?? 0);

    public static ResponseRuleFiring For(long ruleId, long? eventId, long? alertId, DateTimeOffset now) => new()
    {
        RuleId = ruleId,
        EventId = eventId,
        AlertId = alertId,
        Subject = SubjectOf(eventId, alertId),
        FiredAt = now,
    };
}
