using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ctdr.Application.LogSources;
using LogFieldKind = Ctdr.Application.Logs.LogFieldKind;
using SecurityLogFields = Ctdr.Application.Logs.SecurityLogFields;

namespace Ctdr.Application.Detection.Text;

/// <summary>
/// One problem found by <see cref="RuleValidator"/>, with what the parser needs to place it in the text:
/// the statement keyword, the model node (by reference) and the part of it (e.g. "field", "v2", "window").
/// </summary>
internal sealed record RuleIssue(string Statement, string Message, string Keyword, object? Node = null, string Part = "", int Offset = 0);

/// <summary>
/// The semantic checks of a rule model, shared by the rule text parser, the Sigma importer and the rule builder.
/// A rule without errors prints to text that parses back to an equal rule.
/// </summary>
public static partial class RuleValidator
{
    public const int MaxIdLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxRepeat = 100_000;

    /// <summary>How deeply and/or/not may nest; deeper trees are refused so evaluation and printing cannot overflow the stack.</summary>
    public const int MaxConditionDepth = 64;

    public static TimeSpan MinWindow { get; } = TimeSpan.FromSeconds(1);

    public static TimeSpan MaxWindow { get; } = TimeSpan.FromDays(1);

    public static TimeSpan MaxSuppression { get; } = TimeSpan.FromDays(7);

    public static TimeSpan MaxEvery { get; } = TimeSpan.FromDays(1);

    internal const string MissingConditionMessage = "the rule needs a 'where' condition or a 'sequence'";

    public static IReadOnlyList<RuleValidationError> Validate(RuleDefinition rule) =>
        [.. Check(rule).Select(i => new RuleValidationError(i.Statement, i.Message))];

    /// <summary>Checks a condition on its own (allow-list entries, the builder's condition editor).</summary>
    public static IReadOnlyList<RuleValidationError> ValidateCondition(RuleCondition condition) =>
        [.. CheckCondition(condition, "condition", "condition").Select(i => new RuleValidationError(i.Statement, i.Message))];

    /// <summary>True for a field a rule may name: an OCSF path of <c>SecurityLogFields</c> or <c>raw.</c> and a path.</summary>
    public static bool IsValidField(string field) => FieldProblem(field) is null;

    internal static List<RuleIssue> Check(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var checker = new Checker();
        checker.Rule(rule);
        return checker.Issues;
    }

    internal static List<RuleIssue> CheckCondition(RuleCondition condition, string statement, string keyword)
    {
        var checker = new Checker();
        checker.Condition(condition, statement, keyword, 1);
        return checker.Issues;
    }

    /// <summary>Why <paramref name="field"/> is not a field (null when it is one); '*' is handled by the caller.</summary>
    private static string? FieldProblem(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "a field is missing";
        }

        if (field.StartsWith("raw.", StringComparison.Ordinal))
        {
            var path = field[4..];
            if (path.Length == 0)
            {
                return "'raw.' needs a path into the original record, e.g. raw.event.additionalEventData.MFAUsed";
            }

            if (path.Split('.').Any(member => member.Length == 0))
            {
                return $"'{field}' has an empty member name";
            }

            var bad = path.FirstOrDefault(c => !RuleLexer.IsWordChar(c));
            return bad == default ? null : $"'{field}' holds '{bad}', which a field path cannot contain";
        }

        if (SecurityLogFields.TryGet(field, out _))
        {
            return null;
        }

        if (string.Equals(field, "raw", StringComparison.Ordinal))
        {
            return "'raw' needs a path into the original record, e.g. raw.event.additionalEventData.MFAUsed";
        }

        return $"unknown field '{field}'{Suggestions.Hint(field, SecurityLogFields.All.Select(f => f.Path))}";
    }

    private static bool IsWholeSeconds(TimeSpan duration) => duration.Ticks % TimeSpan.TicksPerSecond == 0;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex StepNamePattern();

    private sealed class Checker
    {
        public List<RuleIssue> Issues { get; } = [];

        private void Add(string statement, string keyword, string message, object? node = null, string part = "", int offset = 0) =>
            Issues.Add(new RuleIssue(statement, message, keyword, node, part, offset));

        public void Rule(RuleDefinition rule)
        {
            Id(rule.Id);
            Title(rule.Title);
            Text("description", "description", rule.Description);
            if (!Enum.IsDefined(rule.Severity))
            {
                Add("severity", "severity", $"unknown severity {(int)rule.Severity}");
            }

            if (rule.ThreatLevel is { } threat && !Enum.IsDefined(threat))
            {
                Add("threat", "threat", $"unknown threat level {(int)threat}");
            }

            Products(rule.Products ?? ValueList<LogProduct>.Empty);
            AttackIds(rule.Tactic, rule.Technique);
            Text("author", "author", rule.Author);
            Text("license", "license", rule.License);
            References(rule.References ?? ValueList<string>.Empty);

            if (rule.Condition is not null)
            {
                Condition(rule.Condition, "where", "where", 1);
            }

            if (rule.Aggregation is not null)
            {
                Aggregation(rule.Aggregation);
            }

            if (rule.Sequence is not null)
            {
                Sequence(rule.Sequence);
            }

            if (rule.Condition is null && rule.Sequence is null)
            {
                Add("where", "where", MissingConditionMessage);
            }

            if (rule.Aggregation is not null && rule.Sequence is not null)
            {
                Add("count", "count", "a rule has either 'count' or 'sequence', not both");
            }

            var entities = rule.Entities ?? ValueList<EntityMapping>.Empty;
            Entities(entities);
            if (rule.Suppression is not null)
            {
                Suppression(rule.Suppression, entities);
            }

            Text("recommendation", "recommendation", rule.Recommendation);
            Samples(rule.Samples ?? ValueList<RuleSample>.Empty, rule.Products ?? ValueList<LogProduct>.Empty);
        }

        private void Id(string? id)
        {
            if (string.IsNullOrEmpty(id))
            {
                Add("rule", "rule", "the rule needs an id", part: "id");
            }
            else if (id.Length > MaxIdLength)
            {
                Add("rule", "rule", $"the rule id is {id.Length} characters long; at most {MaxIdLength} are allowed", part: "id");
            }
            else if (!IdPattern().IsMatch(id))
            {
                Add("rule", "rule", $"rule id '{id}' may only hold lower-case letters, digits, '-', '_' and '.', and must start with a letter or digit", part: "id");
            }
        }

        private void Title(string? title)
        {
            if (string.IsNullOrWhiteSpace(title))
            {
                Add("title", "title", "the rule needs a title", part: "value");
                return;
            }

            if (title.Contains('\n', StringComparison.Ordinal))
            {
                Add("title", "title", "the title must be one line", part: "value");
            }
            else if (title.Length > MaxTitleLength)
            {
                Add("title", "title", $"the title is {title.Length} characters long; at most {MaxTitleLength} are allowed", part: "value");
            }

            Text("title", "title", title);
        }

        /// <summary>Strings print between quotes with \n and \t escaped; other control characters have no spelling.</summary>
        private void Text(string statement, string keyword, string? text, object? node = null, string part = "value")
        {
            if (text is null)
            {
                return;
            }

            var control = text.FirstOrDefault(c => char.IsControl(c) && c is not '\n' and not '\t');
            if (control != default)
            {
                Add(statement, keyword, $"the text holds the control character U+{(int)control:X4}, which rule text cannot hold", node, part);
            }
        }

        private void Products(ValueList<LogProduct> products)
        {
            var seen = new HashSet<LogProduct>();
            for (var i = 0; i < products.Count; i++)
            {
                var part = "p" + i.ToString(CultureInfo.InvariantCulture);
                if (!Enum.IsDefined(products[i]))
                {
                    Add("products", "products", $"unknown product {(int)products[i]}", part: part);
                }
                else if (!seen.Add(products[i]))
                {
                    Add("products", "products", $"product '{products[i]}' is named twice", part: part);
                }
            }
        }

        private void AttackIds(string? tactic, string? technique)
        {
            if (tactic is not null)
            {
                var known = Attack.Tactic(tactic);
                if (known is null)
                {
                    Add("attack", "attack", $"unknown ATT&CK tactic '{tactic}' (tactics are TA0001 to TA0043, e.g. TA0001 Initial Access)", part: "tactic");
                }
                else if (!string.Equals(known.Id, tactic, StringComparison.Ordinal))
                {
                    Add("attack", "attack", $"write the ATT&CK tactic as '{known.Id}'", part: "tactic");
                }
            }

            if (technique is not null)
            {
                if (!Attack.IsTechniqueId(technique))
                {
                    Add("attack", "attack", $"'{technique}' is not an ATT&CK technique id such as T1190 or T1110.001", part: "technique");
                }
                else if (technique[0] != 'T')
                {
                    Add("attack", "attack", $"write the ATT&CK technique as 'T{technique[1..]}'", part: "technique");
                }

                if (tactic is null)
                {
                    Add("attack", "attack", "an ATT&CK technique needs a tactic (attack <tactic> <technique>)", part: "technique");
                }
            }
        }

        private void References(ValueList<string> references)
        {
            for (var i = 0; i < references.Count; i++)
            {
                var part = i.ToString(CultureInfo.InvariantCulture);
                if (string.IsNullOrWhiteSpace(references[i]))
                {
                    Add("reference", "reference", "the reference is empty", part: part);
                }
                else
                {
                    Text("reference", "reference", references[i], part: part);
                }
            }
        }

        public void Condition(RuleCondition? condition, string statement, string keyword, int depth)
        {
            if (depth > MaxConditionDepth)
            {
                Add(statement, keyword, $"the condition nests more than {MaxConditionDepth} levels deep", condition);
                return;
            }

            switch (condition)
            {
                case null:
                    Add(statement, keyword, "a condition is missing");
                    break;
                case AndCondition and:
                    Group(and.Items, "and", statement, keyword, depth, and);
                    break;
                case OrCondition or:
                    Group(or.Items, "or", statement, keyword, depth, or);
                    break;
                case NotCondition not:
                    Condition(not.Inner, statement, keyword, depth + 1);
                    break;
                case FieldCondition field:
                    Field(field, statement, keyword);
                    break;
                default:
                    Add(statement, keyword, $"unsupported condition {condition.GetType().Name}", condition);
                    break;
            }
        }

        private void Group(ValueList<RuleCondition>? items, string word, string statement, string keyword, int depth, RuleCondition node)
        {
            if (items is null || items.Count < 2)
            {
                // One item would print without its group and parse back as the bare item.
                Add(statement, keyword, $"an '{word}' needs at least two conditions", node);
            }

            foreach (var item in items ?? ValueList<RuleCondition>.Empty)
            {
                Condition(item, statement, keyword, depth + 1);
            }
        }

        private void Field(FieldCondition condition, string statement, string keyword)
        {
            var op = condition.Operator;
            if (!Enum.IsDefined(op))
            {
                Add(statement, keyword, $"unknown operator {(int)op}", condition, "op");
                return;
            }

            var name = RuleSyntax.Name(op);
            var field = condition.Field;
            var values = condition.Values ?? ValueList<string>.Empty;
            var anyField = string.Equals(field, "*", StringComparison.Ordinal);
            if (anyField)
            {
                if (op is not (MatchOperator.Equals or MatchOperator.Contains or MatchOperator.StartsWith or MatchOperator.EndsWith or MatchOperator.Regex))
                {
                    Add(statement, keyword, $"'*' (any text field) works only with '=', 'in', 'contains', 'startswith', 'endswith' and 'matches', not with '{name}'", condition, "op");
                }
            }
            else if (FieldProblem(field) is { } problem)
            {
                Add(statement, keyword, problem, condition, "field");
            }

            if (op == MatchOperator.Exists)
            {
                if (values.Count > 0)
                {
                    Add(statement, keyword, "'exists' takes no values", condition, "op");
                }
            }
            else if (values.Count == 0)
            {
                Add(statement, keyword, $"'{name}' needs a value", condition, "op");
            }
            else if (RuleSyntax.IsNumeric(op) && values.Count > 1)
            {
                Add(statement, keyword, $"'{name}' takes one number", condition, "op");
            }

            if (condition.CaseSensitive && op is not (MatchOperator.Equals or MatchOperator.NotEquals or MatchOperator.Contains or MatchOperator.StartsWith or MatchOperator.EndsWith or MatchOperator.Regex))
            {
                Add(statement, keyword, $"'cased' does not apply to '{name}'", condition, "op");
            }

            if (condition.MatchAllValues && op is not (MatchOperator.Contains or MatchOperator.StartsWith or MatchOperator.EndsWith))
            {
                Add(statement, keyword, $"'all' does not apply to '{name}'; it goes with contains, startswith and endswith", condition, "op");
            }

            var numberField = field is not null && RuleSyntax.IsNumberField(field);
            var knownField = field is not null && SecurityLogFields.TryGet(field, out _);
            if (RuleSyntax.IsNumeric(op) && knownField && !numberField)
            {
                Add(statement, keyword, $"'{name}' compares numbers, and '{field}' is not a number or time field", condition, "op");
            }

            if (op == MatchOperator.Cidr && numberField)
            {
                Add(statement, keyword, $"'cidr' compares IP addresses, and '{field}' is a number or time field", condition, "op");
            }

            for (var i = 0; i < values.Count; i++)
            {
                Value(values[i], op, name, condition, "v" + i.ToString(CultureInfo.InvariantCulture), statement, keyword);
            }
        }

        private void Value(string? value, MatchOperator op, string name, FieldCondition condition, string part, string statement, string keyword)
        {
            if (value is null)
            {
                Add(statement, keyword, "a value is missing", condition, part);
                return;
            }

            Text(statement, keyword, value, condition, part);
            switch (op)
            {
                case MatchOperator.GreaterThan or MatchOperator.GreaterOrEqual or MatchOperator.LessThan or MatchOperator.LessOrEqual:
                    if (!RuleLexer.IsIntegerLiteral(value) || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        Add(statement, keyword, $"'{name}' needs a whole number, and '{value}' is not one", condition, part);
                    }

                    break;
                case MatchOperator.Cidr:
                    if (!IPNetwork.TryParse(value, out _))
                    {
                        Add(statement, keyword, $"'{value}' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32", condition, part);
                    }

                    break;
                case MatchOperator.Regex:
                    if (value.Length == 0)
                    {
                        Add(statement, keyword, "an empty pattern matches every record", condition, part);
                    }
                    else if (RegexProblem(value, condition.CaseSensitive) is { } problem)
                    {
                        Add(statement, keyword, problem, condition, part);
                    }

                    break;
                case MatchOperator.Contains or MatchOperator.StartsWith or MatchOperator.EndsWith:
                    if (value.Length == 0)
                    {
                        Add(statement, keyword, $"'{name}' with an empty value matches every record", condition, part);
                    }

                    break;
                default:
                    break;
            }
        }

        /// <summary>
        /// Rule patterns must run on the non-backtracking engine, whose time is linear in the input: a pattern that needs
        /// backtracking can take exponential time on a field the attacker writes. (The engine still runs such a pattern,
        /// should one reach it, with a match timeout.)
        /// </summary>
        private static string? RegexProblem(string pattern, bool caseSensitive)
        {
            var options = RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
            try
            {
                _ = new Regex(pattern, options | RegexOptions.NonBacktracking);
                return null;
            }
            catch (NotSupportedException)
            {
                return $"'{pattern}' needs backtracking (a backreference, lookaround, atomic group or conditional), which can take exponential time on attacker input; write it without";
            }
            catch (ArgumentException e)
            {
                return $"invalid regular expression: {e.Message}";
            }
        }

        /// <summary>A field named outside a condition (group-by, distinct, entity, sequence key).</summary>
        private void PlainField(string? field, string statement, string keyword, object node, string part)
        {
            if (string.Equals(field, "*", StringComparison.Ordinal))
            {
                Add(statement, keyword, "'*' (any field) is only for conditions; name one field", node, part);
            }
            else if (FieldProblem(field) is { } problem)
            {
                Add(statement, keyword, problem, node, part);
            }
        }

        private void FieldList(ValueList<string>? fields, string statement, string keyword, object node, string what)
        {
            if (fields is null || fields.Count == 0)
            {
                Add(statement, keyword, $"'{what}' needs 'by' and at least one field", node);
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++)
            {
                var part = "by" + i.ToString(CultureInfo.InvariantCulture);
                PlainField(fields[i], statement, keyword, node, part);
                if (fields[i] is not null && !seen.Add(fields[i]))
                {
                    Add(statement, keyword, $"'{fields[i]}' is named twice after 'by'", node, part);
                }
            }
        }

        private void Window(TimeSpan window, TimeSpan max, string statement, string keyword, object node, string part, string what)
        {
            if (!IsWholeSeconds(window))
            {
                Add(statement, keyword, $"the {what} must be a whole number of seconds", node, part);
            }
            else if (window < MinWindow || window > max)
            {
                Add(statement, keyword, $"the {what} must be between {RuleSyntax.FormatDuration(MinWindow)} and {RuleSyntax.FormatDuration(max)}", node, part);
            }
        }

        private void Aggregation(Aggregation aggregation)
        {
            switch (aggregation.Function)
            {
                case AggregateFunction.Count when aggregation.DistinctField is not null:
                    Add("count", "count", "a plain count has no distinct field; use 'count distinct <field>'", aggregation, "distinct");
                    break;
                case AggregateFunction.DistinctCount when aggregation.DistinctField is null:
                    Add("count", "count", "'count distinct' needs a field", aggregation);
                    break;
                case AggregateFunction.DistinctCount:
                    PlainField(aggregation.DistinctField, "count", "count", aggregation, "distinct");
                    break;
                case AggregateFunction.Count:
                    break;
                default:
                    Add("count", "count", $"unknown aggregate function {(int)aggregation.Function}", aggregation);
                    break;
            }

            FieldList(aggregation.GroupBy, "count", "count", aggregation, "count");
            Window(aggregation.Window, MaxWindow, "count", "count", aggregation, "window", "window");
            if (aggregation.Threshold < 1)
            {
                Add("count", "count", "the threshold must be at least 1", aggregation, "threshold");
            }
        }

        private void Sequence(Sequence sequence)
        {
            var steps = sequence.Steps ?? ValueList<SequenceStep>.Empty;
            FieldList(sequence.By, "sequence", "sequence", sequence, "sequence");
            Window(sequence.Window, MaxWindow, "sequence", "sequence", sequence, "window", "window");
            if (steps.Count < 2)
            {
                Add("sequence", "sequence", "a sequence needs at least two steps (step <name>: <condition>)", sequence);
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var step in steps)
            {
                if (step is null)
                {
                    Add("sequence", "sequence", "a step is missing", sequence);
                    continue;
                }

                var statement = $"step '{step.Name}'";
                if (string.IsNullOrEmpty(step.Name))
                {
                    Add(statement, "sequence", "a step needs a name", step, "name");
                }
                else if (!StepNamePattern().IsMatch(step.Name))
                {
                    Add(statement, "sequence", $"step name '{step.Name}' may only hold letters, digits, '-', '_' and '.'", step, "name");
                }
                else if (!names.Add(step.Name))
                {
                    Add(statement, "sequence", $"two steps are named '{step.Name}'", step, "name");
                }

                Condition(step.Condition, statement, "sequence", 1);
            }
        }

        private void Entities(ValueList<EntityMapping> entities)
        {
            var kinds = new HashSet<EntityKind>();
            foreach (var mapping in entities)
            {
                if (mapping is null)
                {
                    Add("entities", "entities", "an entity mapping is missing");
                    continue;
                }

                if (!Enum.IsDefined(mapping.Kind))
                {
                    Add("entities", "entities", $"unknown entity kind {(int)mapping.Kind}", mapping, "kind");
                }
                else if (!kinds.Add(mapping.Kind))
                {
                    Add("entities", "entities", $"the entity '{RuleSyntax.Name(mapping.Kind)}' is mapped twice", mapping, "kind");
                }

                PlainField(mapping.Field, "entities", "entities", mapping, "field");
            }
        }

        private void Suppression(Suppression suppression, ValueList<EntityMapping> entities)
        {
            Window(suppression.Period, MaxSuppression, "suppress", "suppress", suppression, "period", "suppression period");
            var by = suppression.By ?? ValueList<EntityKind>.Empty;
            var seen = new HashSet<EntityKind>();
            for (var i = 0; i < by.Count; i++)
            {
                var part = "by" + i.ToString(CultureInfo.InvariantCulture);
                if (!Enum.IsDefined(by[i]))
                {
                    Add("suppress", "suppress", $"unknown entity kind {(int)by[i]}", suppression, part);
                }
                else if (!seen.Add(by[i]))
                {
                    Add("suppress", "suppress", $"'{RuleSyntax.Name(by[i])}' is named twice after 'by'", suppression, part);
                }
                else if (!entities.Any(e => e?.Kind == by[i]))
                {
                    var kind = RuleSyntax.Name(by[i]);
                    Add("suppress", "suppress", $"suppress by '{kind}', but 'entities' maps no {kind}", suppression, part);
                }
            }
        }

        private void Samples(ValueList<RuleSample> samples, ValueList<LogProduct> products)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sample in samples)
            {
                if (sample is null)
                {
                    Add("sample", "sample", "a sample is missing");
                    continue;
                }

                var statement = $"sample '{sample.Name}'";
                if (string.IsNullOrWhiteSpace(sample.Name))
                {
                    Add(statement, "sample", "a sample needs a name", sample, "name");
                }
                else if (!names.Add(sample.Name))
                {
                    Add(statement, "sample", $"two samples are named '{sample.Name}'", sample, "name");
                }
                else
                {
                    Text(statement, "sample", sample.Name, sample, "name");
                }

                if (sample.Product is { } product && !Enum.IsDefined(product))
                {
                    Add(statement, "sample", $"unknown product {(int)product}", sample, "product");
                }
                else if (sample.Product is null && products.Count == 0)
                {
                    Add(statement, "sample", "the sample needs a product (sample ... product <LogProduct>) because the rule names no products", sample);
                }

                var records = sample.Records ?? ValueList<SampleRecord>.Empty;
                if (records.Count == 0)
                {
                    Add(statement, "sample", "the sample has no records (one JSON object per indented line before 'end')", sample);
                }

                foreach (var record in records)
                {
                    if (record is null)
                    {
                        Add(statement, "sample", "a sample record is missing", sample);
                        continue;
                    }

                    Record(record, statement);
                }
            }
        }

        private void Record(SampleRecord record, string statement)
        {
            var json = record.Json ?? string.Empty;
            if (json.Contains('\n', StringComparison.Ordinal) || json.Contains('\r', StringComparison.Ordinal))
            {
                Add(statement, "sample", "a sample record is one line of JSON", record, "json");
            }
            else if (!json.StartsWith('{') || !json.EndsWith('}'))
            {
                Add(statement, "sample", "a sample record is a JSON object: it starts with '{' and ends with '}'", record, "json");
            }
            else
            {
                try
                {
                    using var document = JsonDocument.Parse(json);
                }
                catch (JsonException e)
                {
                    var bytes = Encoding.UTF8.GetBytes(json);
                    var at = (int)Math.Min(e.BytePositionInLine ?? 0, bytes.Length);
                    var offset = Encoding.UTF8.GetCharCount(bytes, 0, at);
                    var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd(' ', '|');
                    Add(statement, "sample", $"the sample record is not valid JSON at character {offset + 1}: {reason}", record, "json", offset);
                }
            }

            if (record.Repeat is < 1 or > MaxRepeat)
            {
                Add(statement, "sample", $"a record repeats 1 to {MaxRepeat} times", record, "repeat");
            }

            if (!IsWholeSeconds(record.Every))
            {
                Add(statement, "sample", "'every' must be a whole number of seconds", record, "every");
            }
            else if (record.Every < TimeSpan.Zero || record.Every > MaxEvery)
            {
                Add(statement, "sample", $"'every' must be between 0s and {RuleSyntax.FormatDuration(MaxEvery)}", record, "every");
            }
        }
    }
}
