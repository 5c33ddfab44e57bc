namespace Ctdr.Application.Detection.Text;

/// <summary>
/// The rule text syntax of docs/rules.md: parsing text into <see cref="RuleDefinition"/>s (with errors at their line and
/// column) and printing models as canonical text. For every rule <c>RuleValidator.Validate</c> accepts,
/// <c>ParseSingle(Print(rule)).Rule</c> equals the rule.
/// </summary>
public static class RuleText
{
    /// <summary>Reads every rule of a text (a library file holds several). A rule with errors is left out; the errors of one rule do not hide those of the next.</summary>
    public static RuleParseResult Parse(string text) => RuleParser.Parse(text);

    /// <summary>Reads a text that holds exactly one rule; the rule is null when there is any error.</summary>
    public static (RuleDefinition? Rule, IReadOnlyList<RuleTextError> Errors) ParseSingle(string text)
    {
        var result = RuleParser.Parse(text);
        var errors = result.Errors.ToList();
        var starts = RuleLexer.SplitLines(text)
            .Where(l => l.Text.StartsWith("rule", StringComparison.Ordinal) && (l.Text.Length == 4 || char.IsWhiteSpace(l.Text[4])))
            .ToList();
        if (starts.Count == 0)
        {
            if (errors.Count == 0)
            {
                errors.Add(new RuleTextError(1, 1, "expected a rule: rule <id>, then its statements"));
            }
        }
        else if (starts.Count > 1)
        {
            errors.Add(new RuleTextError(starts[1].Number, 1, "expected one rule, but a second rule starts here"));
            errors = [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
        }

        return errors.Count == 0 ? (result.Rules[0], errors) : (null, errors);
    }

    /// <summary>Reads a condition expression on its own (allow-list entries, the builder's condition editor).</summary>
    public static (RuleCondition? Condition, IReadOnlyList<RuleTextError> Errors) ParseCondition(string text) =>
        RuleParser.ParseCondition(text);

    /// <summary>The canonical text of a rule: statements in the documented order, LF line ends, a final line break.</summary>
    public static string Print(RuleDefinition rule) => RulePrinter.Print(rule);

    /// <summary>Several rules in one file, separated by blank lines.</summary>
    public static string PrintAll(IEnumerable<RuleDefinition> rules) => RulePrinter.PrintAll(rules);

    /// <summary>A condition on one line, with parentheses only where needed.</summary>
    public static string PrintCondition(RuleCondition condition) => RulePrinter.PrintCondition(condition);

    /// <summary>A duration as the syntax writes it, in the largest unit that divides it (<c>90s</c>, <c>5m</c>, <c>1h</c>, <c>7d</c>).</summary>
    public static string FormatDuration(TimeSpan duration) => RuleSyntax.FormatDuration(duration);

    /// <summary>Reads a duration: a whole number and a unit s, m, h or d.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RuleSyntax.TryParseDuration(text, out duration);
    }

    /// <summary>A string literal of the syntax: in double quotes, with \" \\ \n and \t escapes.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RuleLexer.Quote(text);
    }
}
