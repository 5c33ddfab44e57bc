using System.Globalization;
using System.Text;

namespace Ctdr.Application.Detection.Text;

/// <summary>Writes rule models as canonical rule text (docs/rules.md): statements in table order, LF line ends.</summary>
internal static class RulePrinter
{
    private const string Indent = "  ";

    public static string Print(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder();
        Line(text, "rule " + rule.Id);
        Line(text, "title " + RuleLexer.Quote(rule.Title ?? string.Empty));
        if (rule.Description is not null)
        {
            Line(text, "description " + RuleLexer.Quote(rule.Description));
        }

        Line(text, "severity " + (Enum.IsDefined(rule.Severity) ? RuleSyntax.Name(rule.Severity) : rule.Severity.ToString()));
        if (rule.ThreatLevel is { } threat)
        {
            Line(text, "threat " + (Enum.IsDefined(threat) ? RuleSyntax.Name(threat) : threat.ToString()));
        }

        if (rule.Products is { Count: > 0 } products)
        {
            Line(text, "products " + string.Join(", ", products));
        }

        if (rule.Tactic is not null || rule.Technique is not null)
        {
            Line(text, string.Join(' ', new[] { "attack", rule.Tactic, rule.Technique }.OfType<string>()));
        }

        if (rule.Author is not null)
        {
            Line(text, "author " + RuleLexer.Quote(rule.Author));
        }

        if (rule.License is not null)
        {
            Line(text, "license " + RuleLexer.Quote(rule.License));
        }

        foreach (var reference in rule.References ?? ValueList<string>.Empty)
        {
            Line(text, "reference " + RuleLexer.Quote(reference));
        }

        if (rule.Condition is not null)
        {
            Where(text, rule.Condition);
        }

        if (rule.Aggregation is { } aggregation)
        {
            var distinct = aggregation.Function == AggregateFunction.DistinctCount ? $"distinct {aggregation.DistinctField} " : string.Empty;
            Line(text, string.Create(
                CultureInfo.InvariantCulture,
                $"count {distinct}by {string.Join(", ", aggregation.GroupBy)} within {RuleSyntax.FormatDuration(aggregation.Window)} >= {aggregation.Threshold}"));
        }

        if (rule.Sequence is { } sequence)
        {
            var ordered = sequence.Ordered ? "ordered " : string.Empty;
            Line(text, $"sequence {ordered}by {string.Join(", ", sequence.By)} within {RuleSyntax.FormatDuration(sequence.Window)}");
            foreach (var step in sequence.Steps)
            {
                Line(text, $"{Indent}step {step.Name}: {PrintCondition(step.Condition)}");
            }
        }

        if (rule.Entities is { Count: > 0 } entities)
        {
            Line(text, "entities " + string.Join(", ", entities.Select(e => $"{RuleSyntax.Name(e.Kind)} = {e.Field}")));
        }

        if (rule.Suppression is { } suppression)
        {
            var by = suppression.By is { Count: > 0 } kinds ? " by " + string.Join(", ", kinds.Select(RuleSyntax.Name)) : string.Empty;
            Line(text, $"suppress {RuleSyntax.FormatDuration(suppression.Period)}{by}");
        }

        if (rule.Recommendation is not null)
        {
            Line(text, "recommendation " + RuleLexer.Quote(rule.Recommendation));
        }

        foreach (var sample in rule.Samples ?? ValueList<RuleSample>.Empty)
        {
            var product = sample.Product is { } p ? " product " + p : string.Empty;
            Line(text, $"sample {(sample.ExpectMatch ? "match" : "nomatch")} {RuleLexer.Quote(sample.Name)}{product}");
            foreach (var record in sample.Records)
            {
                var repeat = record.Repeat != 1 || record.Every != TimeSpan.Zero
                    ? string.Create(CultureInfo.InvariantCulture, $" x {record.Repeat} every {RuleSyntax.FormatDuration(record.Every)}")
                    : string.Empty;
                Line(text, Indent + record.Json + repeat);
            }

            Line(text, "end");
        }

        return text.ToString();
    }

    public static string PrintAll(IEnumerable<RuleDefinition> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return string.Join("\n", rules.Select(Print));
    }

    public static string PrintCondition(RuleCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var text = new StringBuilder();
        Condition(text, condition);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    /// <summary>The top-level alternatives of 'where' go on continuation lines, as a reader would write them.</summary>
    private static void Where(StringBuilder text, RuleCondition condition)
    {
        text.Append("where ");
        if (condition is OrCondition { Items.Count: > 1 } or)
        {
            for (var i = 0; i < or.Items.Count; i++)
            {
                if (i > 0)
                {
                    text.Append('\n').Append(Indent).Append("or ");
                }

                Operand(text, or.Items[i], parentIsAnd: false);
            }
        }
        else
        {
            Condition(text, condition);
        }

        text.Append('\n');
    }

    private static void Condition(StringBuilder text, RuleCondition condition)
    {
        switch (condition)
        {
            case OrCondition or:
                Join(text, or.Items, " or ", parentIsAnd: false);
                break;
            case AndCondition and:
                Join(text, and.Items, " and ", parentIsAnd: true);
                break;
            case NotCondition not:
                text.Append("not ");
                if (not.Inner is AndCondition or OrCondition)
                {
                    Parenthesized(text, not.Inner);
                }
                else
                {
                    Condition(text, not.Inner);
                }

                break;
            case FieldCondition field:
                Field(text, field);
                break;
            default:
                throw new ArgumentException($"Unsupported condition {condition.GetType().Name}.", nameof(condition));
        }
    }

    private static void Join(StringBuilder text, ValueList<RuleCondition> items, string separator, bool parentIsAnd)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                text.Append(separator);
            }

            Operand(text, items[i], parentIsAnd);
        }
    }

    /// <summary>
    /// Parentheses only where needed: an 'or' inside an 'and' (precedence), and a group directly inside a group of
    /// the same kind, which the parser would otherwise flatten into its parent.
    /// </summary>
    private static void Operand(StringBuilder text, RuleCondition item, bool parentIsAnd)
    {
        var needsParentheses = item is OrCondition || (item is AndCondition && parentIsAnd);
        if (needsParentheses)
        {
            Parenthesized(text, item);
        }
        else
        {
            Condition(text, item);
        }
    }

    private static void Parenthesized(StringBuilder text, RuleCondition condition)
    {
        text.Append('(');
        Condition(text, condition);
        text.Append(')');
    }

    private static void Field(StringBuilder text, FieldCondition condition)
    {
        var values = condition.Values ?? ValueList<string>.Empty;
        var bareNumbers = RuleSyntax.IsNumeric(condition.Operator) || RuleSyntax.IsNumberField(condition.Field);
        text.Append(condition.Field).Append(' ');
        var cased = condition.CaseSensitive ? " cased" : string.Empty;
        switch (condition.Operator)
        {
            case MatchOperator.Equals or MatchOperator.NotEquals when values.Count == 1:
                text.Append(condition.Operator == MatchOperator.Equals ? "=" : "!=").Append(cased).Append(' ');
                Value(text, values[0], bareNumbers);
                break;
            case MatchOperator.Equals or MatchOperator.NotEquals:
                text.Append(condition.Operator == MatchOperator.Equals ? "in" : "not in").Append(cased).Append(' ');
                List(text, values, bareNumbers);
                break;
            case MatchOperator.Exists:
                text.Append("exists");
                break;
            default:
                text.Append(RuleSyntax.Name(condition.Operator));
                if (condition.MatchAllValues)
                {
                    text.Append(" all");
                }

                text.Append(cased).Append(' ');
                if (values.Count == 1)
                {
                    Value(text, values[0], bareNumbers);
                }
                else
                {
                    List(text, values, bareNumbers);
                }

                break;
        }
    }

    private static void List(StringBuilder text, ValueList<string> values, bool bareNumbers)
    {
        text.Append('(');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            Value(text, values[i], bareNumbers);
        }

        text.Append(')');
    }

    private static void Value(StringBuilder text, string value, bool bareNumbers) =>
        text.Append(bareNumbers && RuleLexer.IsIntegerLiteral(value) ? value : RuleLexer.Quote(value));
}
