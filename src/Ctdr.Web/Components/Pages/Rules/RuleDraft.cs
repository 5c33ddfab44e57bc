using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Web.Components.Pages.Rules;

/// <summary>
/// The rule builder's editable copy of a <see cref="RuleDefinition"/>. Built from a parsed rule and turned back into
/// one, so that the builder and the text are two views of the same rule; what the builder does not show (samples,
/// references, author) passes through untouched.
/// </summary>
public sealed class RuleDraft
{
    private RuleDefinition _original = new() { Id = "new-rule", Title = "New rule" };

    public string Id { get; set; } = "new-rule";

    public string Title { get; set; } = string.Empty;

    public string? Description { get; set; }

    public RuleSeverity Severity { get; set; } = RuleSeverity.Medium;

    public ThreatLevel? ThreatLevel { get; set; }

    public IReadOnlyCollection<LogProduct> Products { get; set; } = [];

    public string? Tactic { get; set; }

    public string? Technique { get; set; }

    public string? Recommendation { get; set; }

    /// <summary>"where", "count" (where + aggregation) or "sequence".</summary>
    public string Shape { get; set; } = "where";

    public ConditionNode Where { get; set; } = ConditionNode.NewGroup();

    public bool HasWhere { get; set; } = true;

    // aggregation
    public string GroupBy { get; set; } = "src_endpoint.ip";

    public string Window { get; set; } = "5m";

    public AggregateFunction Function { get; set; } = AggregateFunction.Count;

    public string? DistinctField { get; set; }

    public long Threshold { get; set; } = 10;

    // sequence
    public string SequenceBy { get; set; } = "src_endpoint.ip";

    public bool Ordered { get; set; } = true;

    public List<StepDraft> Steps { get; } = [];

    public List<EntityDraft> Entities { get; } = [];

    public string? SuppressPeriod { get; set; }

    public IReadOnlyCollection<EntityKind> SuppressBy { get; set; } = [];

    public static RuleDraft From(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var draft = new RuleDraft
        {
            _original = rule,
            Id = rule.Id,
            Title = rule.Title,
            Description = rule.Description,
            Severity = rule.Severity,
            ThreatLevel = rule.ThreatLevel,
            Products = [.. rule.Products],
            Tactic = rule.Tactic,
            Technique = rule.Technique,
            Recommendation = rule.Recommendation,
            HasWhere = rule.Condition is not null,
            Where = rule.Condition is null ? ConditionNode.NewGroup() : ConditionNode.From(rule.Condition),
        };
        if (rule.Aggregation is { } aggregation)
        {
            draft.Shape = "count";
            draft.GroupBy = string.Join(", ", aggregation.GroupBy);
            draft.Window = RuleText.FormatDuration(aggregation.Window);
            draft.Function = aggregation.Function;
            draft.DistinctField = aggregation.DistinctField;
            draft.Threshold = aggregation.Threshold;
        }
        else if (rule.Sequence is { } sequence)
        {
            draft.Shape = "sequence";
            draft.SequenceBy = string.Join(", ", sequence.By);
            draft.Window = RuleText.FormatDuration(sequence.Window);
            draft.Ordered = sequence.Ordered;
            draft.Steps.AddRange(sequence.Steps.Select(s => new StepDraft { Name = s.Name, Condition = ConditionNode.From(s.Condition) }));
        }

        draft.Entities.AddRange(rule.Entities.Select(e => new EntityDraft { Kind = e.Kind, Field = e.Field }));
        if (rule.Suppression is { } suppression)
        {
            draft.SuppressPeriod = RuleText.FormatDuration(suppression.Period);
            draft.SuppressBy = [.. suppression.By];
        }

        return draft;
    }

    /// <summary>The rule as edited; the problems found while reading durations and lists (the validator checks the rest).</summary>
    public (RuleDefinition? Rule, IReadOnlyList<string> Problems) ToDefinition()
    {
        var problems = new List<string>();
        Aggregation? aggregation = null;
        Sequence? sequence = null;
        if (Shape == "count")
        {
            aggregation = new Aggregation(Fields(GroupBy), Duration(Window, "window", problems), Function, Function == AggregateFunction.DistinctCount ? DistinctField : null, Threshold);
        }
        else if (Shape == "sequence")
        {
            sequence = new Sequence(
                [.. Steps.Select(s => new SequenceStep(s.Name.Trim(), s.Condition.ToCondition() ?? new AndCondition([])))],
                Fields(SequenceBy),
                Duration(Window, "window", problems),
                Ordered);
        }

        Suppression? suppression = string.IsNullOrWhiteSpace(SuppressPeriod) ? null : new Suppression(Duration(SuppressPeriod, "suppression period", problems), KeepOrder(SuppressBy, _original.Suppression?.By));
        var condition = Shape == "sequence" && !HasWhere ? null : Where.ToCondition();
        if (condition is null && Shape != "sequence")
        {
            problems.Add("Add at least one condition.");
        }

        var rule = _original with
        {
            Id = Id.Trim(),
            Title = Title.Trim(),
            Description = Blank(Description),
            Severity = Severity,
            ThreatLevel = ThreatLevel,
            Products = KeepOrder(Products, _original.Products),
            Tactic = Blank(Tactic),
            Technique = Blank(Technique),
            Recommendation = Blank(Recommendation),
            Condition = condition,
            Aggregation = aggregation,
            Sequence = sequence,
            Entities = [.. Entities.Where(e => !string.IsNullOrWhiteSpace(e.Field)).Select(e => new EntityMapping(e.Kind, e.Field.Trim()))],
            Suppression = suppression,
        };
        return (problems.Count == 0 ? rule : null, problems);
    }

    /// <summary>The chosen items in the order the rule had them (a multi-select returns a set); new choices after them.</summary>
    private static ValueList<T> KeepOrder<T>(IReadOnlyCollection<T> chosen, IReadOnlyList<T>? original)
        where T : struct, Enum
    {
        var kept = (original ?? []).Where(chosen.Contains).ToList();
        kept.AddRange(chosen.Where(c => !kept.Contains(c)).Order());
        return [.. kept];
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static ValueList<string> Fields(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static TimeSpan Duration(string? text, string what, List<string> problems)
    {
        if (RuleText.TryParseDuration(text?.Trim() ?? string.Empty, out var span))
        {
            return span;
        }

        problems.Add($"Write the {what} as a number and a unit (30s, 5m, 1h, 1d).");
        return TimeSpan.Zero;
    }
}

public sealed class StepDraft
{
    public string Name { get; set; } = "step";

    public ConditionNode Condition { get; set; } = ConditionNode.NewGroup();
}

public sealed class EntityDraft
{
    public EntityKind Kind { get; set; }

    public string Field { get; set; } = string.Empty;
}

/// <summary>One node of the builder's condition tree: a group (all / any of its children) or a field test; either may be negated.</summary>
public sealed class ConditionNode
{
    public bool IsGroup { get; set; }

    /// <summary>For groups: any child (or) rather than all (and).</summary>
    public bool Any { get; set; }

    public bool Negate { get; set; }

    public List<ConditionNode> Children { get; } = [];

    public string Field { get; set; } = "src_endpoint.ip";

    public MatchOperator Operator { get; set; } = MatchOperator.Equals;

    /// <summary>Values, one per line.</summary>
    public string Values { get; set; } = string.Empty;

    public bool CaseSensitive { get; set; }

    public bool MatchAll { get; set; }

    public static ConditionNode NewGroup() => new() { IsGroup = true };

    public static ConditionNode NewTest() => new() { IsGroup = false };

    public static ConditionNode From(RuleCondition condition)
    {
        switch (condition)
        {
            case NotCondition not:
                var inner = From(not.Inner);
                inner.Negate = !inner.Negate;
                return inner;
            case AndCondition and:
                var all = NewGroup();
                all.Children.AddRange(and.Items.Select(From));
                return all;
            case OrCondition or:
                var any = NewGroup();
                any.Any = true;
                any.Children.AddRange(or.Items.Select(From));
                return any;
            case FieldCondition test:
                return new ConditionNode
                {
                    Field = test.Field,
                    Operator = test.Operator,
                    Values = string.Join("\n", test.Values),
                    CaseSensitive = test.CaseSensitive,
                    MatchAll = test.MatchAllValues,
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown condition.");
        }
    }

    /// <summary>The condition; null for an empty group. A group of one is that one (as the text would read).</summary>
    public RuleCondition? ToCondition()
    {
        RuleCondition? condition;
        if (IsGroup)
        {
            var items = Children.Select(c => c.ToCondition()).OfType<RuleCondition>().ToList();
            condition = items.Count switch
            {
                0 => null,
                1 => items[0],
                _ => Any ? new OrCondition([.. items]) : new AndCondition([.. items]),
            };
        }
        else
        {
            var values = Operator == MatchOperator.Exists
                ? ValueList<string>.Empty
                : Values.Split('\n').Select(v => v.TrimEnd('\r')).Where(v => v.Length > 0).ToValueList();
            condition = new FieldCondition(Field.Trim(), Operator, values, CaseSensitive, MatchAll && values.Count > 1);
        }

        return condition is not null && Negate ? new NotCondition(condition) : condition;
    }
}
