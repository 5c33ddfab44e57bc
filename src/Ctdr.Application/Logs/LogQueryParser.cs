using System.Globalization;
using Ctdr.Application.Common;

namespace Ctdr.Application.Logs;

/// <summary>
/// Parses field conditions typed by a user, one per line: <c>&lt;path&gt; &lt;operator&gt; &lt;value&gt;</c> with
/// operators <c>=</c>, <c>!=</c>, <c>contains</c>, <c>startswith</c>, <c>&gt;</c>, <c>&lt;</c>. The value is the
/// rest of the line, optionally in double quotes. Unknown fields and operators that do not suit the field's
/// kind are reported by line.
/// </summary>
public static class LogQueryParser
{
    private static readonly (string Token, ConditionOperator Operator)[] Operators =
    [
        ("!=", ConditionOperator.NotEquals),
        ("=", ConditionOperator.Equals),
        (">", ConditionOperator.GreaterThan),
        ("<", ConditionOperator.LessThan),
        ("contains", ConditionOperator.Contains),
        ("startswith", ConditionOperator.StartsWith),
    ];

    public const int MaxConditions = 20;

    /// <summary>How an operator is written in a condition line (what <see cref="TryParseLine"/> reads back).</summary>
    public static string TokenOf(ConditionOperator op)
    {
        foreach (var (token, known) in Operators)
        {
            if (known == op)
            {
                return token;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(op), op, "Not an operator.");
    }

    public static (IReadOnlyList<FieldCondition> Conditions, ValidationErrors Errors) Parse(string? text)
    {
        var conditions = new List<FieldCondition>();
        var errors = new ValidationErrors();
        var lines = (text ?? string.Empty).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParseLine(line, out var condition, out var error))
            {
                conditions.Add(condition!);
            }
            else
            {
                errors.Add("Conditions", $"Line {i + 1}: {error}");
            }
        }

        if (conditions.Count > MaxConditions)
        {
            errors.Add("Conditions", $"At most {MaxConditions} conditions.");
        }

        return (conditions, errors);
    }

    public static bool TryParseLine(string line, out FieldCondition? condition, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        condition = null;
        var space = line.IndexOfAny([' ', '\t', '=', '!', '<', '>']);
        if (space <= 0)
        {
            error = "write <field> <operator> <value>, e.g. src_endpoint.ip = 203.0.113.7";
            return false;
        }

        var path = line[..space];
        if (!SecurityLogFields.TryGet(path, out var field))
        {
            error = $"unknown field '{path}'.";
            return false;
        }

        var rest = line[space..].TrimStart();
        var match = Operators.FirstOrDefault(o => rest.StartsWith(o.Token, StringComparison.OrdinalIgnoreCase)
            && (o.Token.Length <= 2 || rest.Length == o.Token.Length || char.IsWhiteSpace(rest[o.Token.Length])));
        if (match.Token is null)
        {
            error = "the operator must be one of =, !=, contains, startswith, >, <.";
            return false;
        }

        var value = rest[match.Token.Length..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        if (value.Length == 0)
        {
            error = $"give a value after '{match.Token}'.";
            return false;
        }

        var numeric = field.Kind is LogFieldKind.Number;
        var ordering = match.Operator is ConditionOperator.GreaterThan or ConditionOperator.LessThan;
        var textual = match.Operator is ConditionOperator.Contains or ConditionOperator.StartsWith;
        if (numeric && textual)
        {
            error = $"'{path}' is a number; use =, !=, > or <.";
            return false;
        }

        if (ordering && field.Kind is not (LogFieldKind.Number or LogFieldKind.Time))
        {
            error = $"'{path}' is text; > and < apply to numbers and times.";
            return false;
        }

        if (numeric && !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            error = $"'{path}' is a number; '{value}' is not.";
            return false;
        }

        if (field.Kind == LogFieldKind.Time && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            error = $"'{value}' is not a time; write e.g. 2026-11-28T08:00:00Z.";
            return false;
        }

        condition = new FieldCondition(path, match.Operator, value);
        error = null;
        return true;
    }
}
