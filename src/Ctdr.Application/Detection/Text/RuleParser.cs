using System.Globalization;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Detection.Text;

/// <summary>A statement as written: its first line (starting at column 1) and its indented continuation lines.</summary>
internal sealed class RawStatement(SourceLine first)
{
    public SourceLine First { get; } = first;

    public List<SourceLine> Continuations { get; } = [];

    public List<Token> Header { get; } = [];

    public RuleTextError? HeaderError { get; set; }

    public Token? Keyword => Header.Count > 0 && Header[0].Kind == TokenKind.Word && Header[0].Column == 1 ? Header[0] : null;

    public bool IsRule => Keyword?.IsWord("rule") == true;
}

/// <summary>Reads rule text (docs/rules.md) into rule models, reporting syntax and validation errors at their tokens.</summary>
internal static class RuleParser
{
    public static RuleParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<RuleTextError>();
        var statements = Group(RuleLexer.SplitLines(text), errors);
        var rules = new List<RuleDefinition>();
        var index = 0;
        if (index < statements.Count && !statements[index].IsRule)
        {
            errors.Add(Preamble(statements[index]));
        }

        while (index < statements.Count && !statements[index].IsRule)
        {
            index++;
        }

        while (index < statements.Count)
        {
            var start = index++;
            while (index < statements.Count && !statements[index].IsRule)
            {
                index++;
            }

            var reader = new RuleReader(statements[start]);
            for (var i = start + 1; i < index; i++)
            {
                reader.Statement(statements[i]);
            }

            var rule = reader.Finish(errors);
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return new RuleParseResult(rules, Sorted(errors));
    }

    public static (RuleCondition? Condition, IReadOnlyList<RuleTextError> Errors) ParseCondition(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>();
        var lines = RuleLexer.SplitLines(text);
        foreach (var line in lines)
        {
            if (RuleLexer.Lex(line, 0, tokens) is { } lexError)
            {
                return (null, [lexError]);
            }
        }

        var end = tokens.Count > 0 ? tokens[^1].EndOf() : new Token(TokenKind.End, string.Empty, 1, 1, 0);
        var positions = new PositionMap();
        var reader = new TokenReader(tokens, end);
        RuleCondition condition;
        try
        {
            condition = new ConditionParser(reader, positions).Parse();
            if (!reader.AtEnd)
            {
                throw TokenReader.Fail(reader.Peek, ConditionEndMessage(reader.Peek));
            }
        }
        catch (RuleSyntaxException e)
        {
            return (null, [e.ToError()]);
        }

        var errors = RuleValidator.CheckCondition(condition, "condition", "condition")
            .Select(issue => positions.Find(issue) is { } at ? new RuleTextError(at.Line, at.Column, issue.Message) : new RuleTextError(1, 1, issue.Message))
            .ToList();
        return errors.Count > 0 ? (null, Sorted(errors)) : (condition, []);
    }

    internal static string ConditionEndMessage(Token found, string expected = "'and', 'or' or the end of the condition")
    {
        var message = $"expected {expected}, found {found.Describe()}";
        return found.Kind == TokenKind.Word && found.Text is "AND" or "OR" or "NOT" or "And" or "Or" or "Not"
            ? message + " (keywords are lower case)"
            : message;
    }

    private static List<RuleTextError> Sorted(List<RuleTextError> errors) =>
        [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];

    private static List<RawStatement> Group(IReadOnlyList<SourceLine> lines, List<RuleTextError> errors)
    {
        var statements = new List<RawStatement>();
        RawStatement? current = null;
        foreach (var line in lines)
        {
            if (RuleLexer.IsBlank(line.Text))
            {
                continue;
            }

            if (char.IsWhiteSpace(line.Text[0]))
            {
                if (current is null)
                {
                    var column = line.Text.Length - line.Text.TrimStart().Length + 1;
                    errors.Add(new RuleTextError(line.Number, column, "this line is indented, so it continues a statement, but no statement comes before it"));
                }
                else
                {
                    current.Continuations.Add(line);
                }

                continue;
            }

            current = new RawStatement(line);
            current.HeaderError = RuleLexer.Lex(line, 0, current.Header);
            statements.Add(current);
        }

        return statements;
    }

    private static RuleTextError Preamble(RawStatement statement)
    {
        var at = statement.Header.Count > 0 ? statement.Header[0].Position : new TextPosition(statement.First.Number, 1);
        var message = statement.Keyword is { } keyword && RuleSyntax.Statements.Contains(keyword.Text)
            ? $"'{keyword.Text}' comes before any rule: a rule starts with 'rule <id>'"
            : "expected 'rule <id>' to start a rule";
        return new RuleTextError(at.Line, at.Column, message);
    }

    /// <summary>The statements of one rule, read in order into the parts of a <see cref="RuleDefinition"/>.</summary>
    private sealed class RuleReader
    {
        private static readonly HashSet<string> Repeatable = new(["reference", "sample", "end"], StringComparer.Ordinal);

        private readonly List<RuleTextError> errors = [];
        private readonly HashSet<string> failed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> seen = new(StringComparer.Ordinal);
        private readonly PositionMap positions = new();
        private readonly TextPosition start;

        private string id = string.Empty;
        private string? title;
        private string? description;
        private RuleSeverity? severity;
        private ThreatLevel? threat;
        private ValueList<LogProduct> products = ValueList<LogProduct>.Empty;
        private string? tactic;
        private string? technique;
        private string? author;
        private string? license;
        private readonly List<string> references = [];
        private RuleCondition? condition;
        private Aggregation? aggregation;
        private Sequence? sequence;
        private ValueList<EntityMapping> entities = ValueList<EntityMapping>.Empty;
        private Suppression? suppression;
        private string? recommendation;
        private readonly List<RuleSample> samples = [];

        /// <summary>A sample waiting for its 'end': the model (null when its text had errors) and its keyword.</summary>
        private (RuleSample? Sample, Token Keyword)? open;

        public RuleReader(RawStatement rule)
        {
            start = rule.Keyword!.Value.Position;
            Statement(rule);
        }

        public void Statement(RawStatement statement)
        {
            if (statement.Keyword is not { } keyword)
            {
                var found = statement.Header.Count > 0 ? statement.Header[0] : default;
                errors.Add(statement.Header.Count > 0
                    ? new RuleTextError(found.Line, found.Column, $"expected a statement keyword such as 'title' or 'where', found {found.Describe()}")
                    : statement.HeaderError!);
                return;
            }

            var name = keyword.Text;
            if (open is { } pending && statement.First.Text.StartsWith('{'))
            {
                errors.Add(new RuleTextError(keyword.Line, keyword.Column, "sample records are indented: start this line with a space"));
                open = (null, pending.Keyword);
                return;
            }

            if (open is not null && name != "end")
            {
                CloseWithoutEnd();
            }

            if (!RuleSyntax.Statements.Contains(name))
            {
                var meant = RuleSyntax.Statements.Contains(name.ToLowerInvariant())
                    ? name.ToLowerInvariant()
                    : Suggestions.Closest(name, RuleSyntax.Statements);
                var hint = meant is null ? string.Empty
                    : string.Equals(meant, name.ToLowerInvariant(), StringComparison.Ordinal) ? $" (keywords are lower case: '{meant}')"
                    : $" (did you mean '{meant}'?)";
                errors.Add(new RuleTextError(keyword.Line, keyword.Column, $"unknown statement '{name}'{hint}"));
                if (meant is not null)
                {
                    // The statement the writer meant is there, misspelt: do not also report it missing.
                    failed.Add(meant);
                }

                return;
            }

            if (!Repeatable.Contains(name) && seen.TryGetValue(name, out var firstLine))
            {
                errors.Add(new RuleTextError(keyword.Line, keyword.Column, $"duplicate '{name}' statement (the first is on line {firstLine})"));
                return;
            }

            seen.TryAdd(name, keyword.Line);
            positions.Statement(name, string.Empty, keyword);
            try
            {
                if (statement.HeaderError is { } headerError)
                {
                    throw new RuleSyntaxException(new TextPosition(headerError.Line, headerError.Column), headerError.Message);
                }

                switch (name)
                {
                    case "sample":
                        Sample(statement, keyword);
                        break;
                    case "end":
                        End(statement, keyword);
                        break;
                    default:
                        Read(name, keyword, Tokens(statement));
                        break;
                }
            }
            catch (RuleSyntaxException e)
            {
                errors.Add(e.ToError());
                if (name == "sample")
                {
                    // A sample with errors stays out of the model, so nothing else reports on it.
                    open = (null, keyword);
                }
                else
                {
                    failed.Add(name);
                }
            }
        }

        public RuleDefinition? Finish(List<RuleTextError> into)
        {
            if (open is not null)
            {
                CloseWithoutEnd();
            }

            if (severity is null && !failed.Contains("severity"))
            {
                errors.Add(new RuleTextError(start.Line, start.Column, "the rule needs a severity: severity critical, high, medium, low or informational"));
            }

            var rule = new RuleDefinition
            {
                Id = id,
                Title = title ?? string.Empty,
                Description = description,
                Severity = severity ?? RuleSeverity.Medium,
                ThreatLevel = threat,
                Products = products,
                Tactic = tactic,
                Technique = technique,
                Author = author,
                License = license,
                References = references.ToValueList(),
                Condition = condition,
                Aggregation = aggregation,
                Sequence = sequence,
                Entities = entities,
                Suppression = suppression,
                Recommendation = recommendation,
                Samples = samples.ToValueList(),
            };

            foreach (var issue in RuleValidator.Check(rule))
            {
                if (failed.Contains(issue.Keyword)
                    || (issue.Message == RuleValidator.MissingConditionMessage && failed.Contains("sequence")))
                {
                    continue;
                }

                var at = positions.Find(issue) ?? start;
                errors.Add(new RuleTextError(at.Line, at.Column, issue.Message));
            }

            into.AddRange(errors);
            return errors.Count == 0 ? rule : null;
        }

        private void CloseWithoutEnd()
        {
            var keyword = open!.Value.Keyword;
            errors.Add(new RuleTextError(keyword.Line, keyword.Column, "this sample is not closed: add a line 'end' after its records"));
            open = null;
        }

        private static List<Token> Tokens(RawStatement statement)
        {
            var tokens = new List<Token>(statement.Header);
            foreach (var line in statement.Continuations)
            {
                if (RuleLexer.Lex(line, 0, tokens) is { } error)
                {
                    throw new RuleSyntaxException(new TextPosition(error.Line, error.Column), error.Message);
                }
            }

            return tokens;
        }

        private static TokenReader ReaderAfterKeyword(List<Token> tokens) =>
            new(tokens.Skip(1).ToList(), tokens[^1].EndOf());

        private void Read(string name, Token keyword, List<Token> tokens)
        {
            var reader = ReaderAfterKeyword(tokens);
            switch (name)
            {
                case "rule":
                    var idToken = reader.Next();
                    if (idToken.Kind != TokenKind.Word)
                    {
                        throw TokenReader.Fail(idToken, $"expected the rule id after 'rule', e.g. rule waf-sqli, found {idToken.Describe()}");
                    }

                    positions.Statement("rule", "id", idToken);
                    id = idToken.Text;
                    reader.ExpectEnd("the rule id");
                    break;
                case "title":
                    title = Text(reader, name);
                    break;
                case "description":
                    description = Text(reader, name);
                    break;
                case "author":
                    author = Text(reader, name);
                    break;
                case "license":
                    license = Text(reader, name);
                    break;
                case "recommendation":
                    recommendation = Text(reader, name);
                    break;
                case "reference":
                    references.Add(Text(reader, name, references.Count.ToString(CultureInfo.InvariantCulture)));
                    break;
                case "severity":
                    severity = Choice(reader, name, RuleSyntax.Severities);
                    break;
                case "threat":
                    threat = Choice(reader, name, RuleSyntax.Threats);
                    break;
                case "products":
                    products = Products(reader);
                    break;
                case "attack":
                    Attack(reader);
                    break;
                case "where":
                    condition = new ConditionParser(reader, positions).Parse();
                    if (!reader.AtEnd)
                    {
                        throw TokenReader.Fail(reader.Peek, ConditionEndMessage(reader.Peek));
                    }

                    break;
                case "count":
                    aggregation = Count(reader, keyword);
                    break;
                case "sequence":
                    sequence = Sequence(reader, keyword);
                    break;
                case "entities":
                    entities = Entities(reader);
                    break;
                case "suppress":
                    suppression = Suppress(reader, keyword);
                    break;
                default:
                    throw TokenReader.Fail(keyword, $"unknown statement '{name}'");
            }
        }

        private string Text(TokenReader reader, string name, string part = "value")
        {
            var token = reader.Next();
            if (token.Kind != TokenKind.String)
            {
                throw TokenReader.Fail(token, $"expected text in double quotes after '{name}', found {token.Describe()}");
            }

            positions.Statement(name, part, token);
            reader.ExpectEnd($"the {name}");
            return token.Text;
        }

        /// <summary>"a, b or c".</summary>
        private static string OneOf(List<string> names) =>
            names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];

        private static T Choice<T>(TokenReader reader, string name, IReadOnlyList<(T Value, string Name)> choices)
        {
            var token = reader.Next();
            var names = OneOf(choices.Select(c => c.Name).ToList());
            if (token.Kind != TokenKind.Word)
            {
                throw TokenReader.Fail(token, $"expected {names} after '{name}', found {token.Describe()}");
            }

            foreach (var choice in choices)
            {
                if (string.Equals(choice.Name, token.Text, StringComparison.Ordinal))
                {
                    reader.ExpectEnd($"the {name}");
                    return choice.Value;
                }
            }

            var hint = choices.Any(c => string.Equals(c.Name, token.Text, StringComparison.OrdinalIgnoreCase))
                ? $" (keywords are lower case: '{token.Text.ToLowerInvariant()}')"
                : Suggestions.Hint(token.Text, choices.Select(c => c.Name));
            throw TokenReader.Fail(token, $"unknown {name} '{token.Text}'{hint}; use {names}");
        }

        private ValueList<LogProduct> Products(TokenReader reader)
        {
            var list = new List<LogProduct>();
            do
            {
                var token = reader.Next();
                if (token.Kind != TokenKind.Word)
                {
                    throw TokenReader.Fail(token, $"expected a log product after {reader.Previous.Describe()}, found {token.Describe()}");
                }

                positions.Statement("products", "p" + list.Count.ToString(CultureInfo.InvariantCulture), token);
                list.Add(Product(token));
            }
            while (reader.TrySymbol(","));
            reader.ExpectEnd("the products");
            return list.ToValueList();
        }

        private static LogProduct Product(Token token)
        {
            if (Enum.GetNames<LogProduct>().Contains(token.Text, StringComparer.Ordinal))
            {
                return Enum.Parse<LogProduct>(token.Text);
            }

            throw TokenReader.Fail(token, $"unknown product '{token.Text}'{Suggestions.Hint(token.Text, RuleSyntax.ProductNames)}; products are {string.Join(", ", RuleSyntax.ProductNames)}");
        }

        private void Attack(TokenReader reader)
        {
            var first = reader.Next();
            if (first.Kind != TokenKind.Word)
            {
                throw TokenReader.Fail(first, $"expected an ATT&CK tactic id after 'attack', e.g. attack TA0001 T1190, found {first.Describe()}");
            }

            positions.Statement("attack", "tactic", first);
            tactic = first.Text;
            if (!reader.AtEnd)
            {
                var second = reader.Next();
                if (second.Kind != TokenKind.Word)
                {
                    throw TokenReader.Fail(second, $"expected an ATT&CK technique id after the tactic, e.g. T1190, found {second.Describe()}");
                }

                positions.Statement("attack", "technique", second);
                technique = second.Text;
            }

            reader.ExpectEnd("the ATT&CK ids");
        }

        private static Token FieldName(TokenReader reader, string after)
        {
            var token = reader.Next();
            return token.Kind switch
            {
                TokenKind.Word => token,
                TokenKind.String => throw TokenReader.Fail(token, $"expected a field name after {after}, found {token.Describe()} (field names are not quoted)"),
                _ => throw TokenReader.Fail(token, $"expected a field name after {after}, found {token.Describe()}"),
            };
        }

        private static (TimeSpan Duration, Token Token) Duration(TokenReader reader)
        {
            var after = reader.Previous.Describe();
            var token = reader.Next();
            if (token.Kind == TokenKind.End)
            {
                throw TokenReader.Fail(token, $"expected a duration such as 5m after {after}");
            }

            if (token.Kind != TokenKind.Word || !RuleSyntax.TryParseDuration(token.Text, out var duration))
            {
                throw TokenReader.Fail(token, $"{token.Describe()} is not a duration: write a whole number and a unit s, m, h or d, e.g. 30s, 5m, 1h, 7d");
            }

            return (duration, token);
        }

        private static List<Token> ByFields(TokenReader reader, string statement)
        {
            reader.ExpectWord("by", $"expected 'by' and the fields that group records in '{statement}'");
            var fields = new List<Token> { FieldName(reader, "'by'") };
            while (reader.TrySymbol(","))
            {
                fields.Add(FieldName(reader, "','"));
            }

            return fields;
        }

        private Aggregation Count(TokenReader reader, Token keyword)
        {
            Token? distinct = reader.TryWord("distinct") ? FieldName(reader, "'distinct'") : null;
            var by = ByFields(reader, "count");
            reader.ExpectWord("within", "expected 'within' and the window, e.g. within 5m");
            var (window, windowToken) = Duration(reader);
            var comparison = reader.Next();
            if (!comparison.IsSymbol(">=") && !comparison.IsSymbol(">"))
            {
                throw TokenReader.Fail(comparison, $"expected '>=' and the threshold after the window, found {comparison.Describe()}");
            }

            var number = reader.Next();
            if (number.Kind != TokenKind.Word || !RuleLexer.IsIntegerLiteral(number.Text)
                || !long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var threshold)
                || (comparison.Text == ">" && threshold == long.MaxValue))
            {
                throw TokenReader.Fail(number, $"expected the threshold, a whole number, after '{comparison.Text}', found {number.Describe()}");
            }

            reader.ExpectEnd("the threshold");
            var aggregation = new Aggregation(
                by.Select(t => t.Text).ToValueList(),
                window,
                distinct is null ? AggregateFunction.Count : AggregateFunction.DistinctCount,
                distinct?.Text,
                comparison.Text == ">" ? threshold + 1 : threshold);
            positions.Node(aggregation, string.Empty, keyword);
            if (distinct is { } distinctToken)
            {
                positions.Node(aggregation, "distinct", distinctToken);
            }

            AddParts(aggregation, "by", by);
            positions.Node(aggregation, "window", windowToken);
            positions.Node(aggregation, "threshold", number);
            return aggregation;
        }

        private Sequence Sequence(TokenReader reader, Token keyword)
        {
            var ordered = reader.TryWord("ordered");
            var by = ByFields(reader, "sequence");
            reader.ExpectWord("within", "expected 'within' and the window, e.g. within 10m");
            var (window, windowToken) = Duration(reader);
            var steps = new List<SequenceStep>();
            while (!reader.AtEnd)
            {
                var stepToken = reader.Next();
                if (!stepToken.IsWord("step"))
                {
                    var message = steps.Count == 0
                        ? $"expected the steps after the window, each on an indented line 'step <name>: <condition>', found {stepToken.Describe()}"
                        : ConditionEndMessage(stepToken, "'and', 'or', 'step' or the end of the sequence");
                    throw TokenReader.Fail(stepToken, message);
                }

                var nameToken = reader.Next();
                if (nameToken.Kind != TokenKind.Word)
                {
                    throw TokenReader.Fail(nameToken, $"expected the step's name after 'step', found {nameToken.Describe()}");
                }

                reader.ExpectSymbol(":", $"expected ':' after the step name '{nameToken.Text}'");
                var step = new SequenceStep(nameToken.Text, new ConditionParser(reader, positions).Parse());
                positions.Node(step, string.Empty, stepToken);
                positions.Node(step, "name", nameToken);
                steps.Add(step);
            }

            var model = new Sequence(steps.ToValueList(), by.Select(t => t.Text).ToValueList(), window, ordered);
            positions.Node(model, string.Empty, keyword);
            AddParts(model, "by", by);
            positions.Node(model, "window", windowToken);
            return model;
        }

        private ValueList<EntityMapping> Entities(TokenReader reader)
        {
            var list = new List<EntityMapping>();
            do
            {
                var kindToken = reader.Next();
                var kind = RuleSyntax.EntityKinds.FirstOrDefault(k => k.Name == kindToken.Text && kindToken.Kind == TokenKind.Word);
                if (kind.Name is null)
                {
                    var names = string.Join(", ", RuleSyntax.EntityKinds.Select(k => k.Name));
                    throw kindToken.Kind == TokenKind.Word
                        ? TokenReader.Fail(kindToken, $"unknown entity kind '{kindToken.Text}'{Suggestions.Hint(kindToken.Text, RuleSyntax.EntityKinds.Select(k => k.Name))}; kinds are {names}")
                        : TokenReader.Fail(kindToken, $"expected an entity kind ({names}) after {reader.Previous.Describe()}, found {kindToken.Describe()}");
                }

                reader.ExpectSymbol("=", $"expected '=' after '{kindToken.Text}', as in ip = src_endpoint.ip");
                var fieldToken = FieldName(reader, $"'{kindToken.Text} ='");
                var mapping = new EntityMapping(kind.Value, fieldToken.Text);
                positions.Node(mapping, string.Empty, kindToken);
                positions.Node(mapping, "kind", kindToken);
                positions.Node(mapping, "field", fieldToken);
                list.Add(mapping);
            }
            while (reader.TrySymbol(","));
            reader.ExpectEnd("the entities");
            return list.ToValueList();
        }

        private Suppression Suppress(TokenReader reader, Token keyword)
        {
            var (period, periodToken) = Duration(reader);
            var kinds = new List<(EntityKind Kind, Token Token)>();
            if (reader.TryWord("by"))
            {
                do
                {
                    var token = reader.Next();
                    var kind = RuleSyntax.EntityKinds.FirstOrDefault(k => k.Name == token.Text && token.Kind == TokenKind.Word);
                    if (kind.Name is null)
                    {
                        throw TokenReader.Fail(token, $"expected an entity kind ({string.Join(", ", RuleSyntax.EntityKinds.Select(k => k.Name))}) after {reader.Previous.Describe()}, found {token.Describe()}");
                    }

                    kinds.Add((kind.Value, token));
                }
                while (reader.TrySymbol(","));
            }

            reader.ExpectEnd("the suppression");
            var model = new Suppression(period, kinds.Select(k => k.Kind).ToValueList());
            positions.Node(model, string.Empty, keyword);
            positions.Node(model, "period", periodToken);
            AddParts(model, "by", kinds.Select(k => k.Token).ToList());
            return model;
        }

        private void AddParts(object node, string prefix, List<Token> tokens)
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                positions.Node(node, prefix + i.ToString(CultureInfo.InvariantCulture), tokens[i]);
            }
        }

        private void Sample(RawStatement statement, Token keyword)
        {
            var reader = ReaderAfterKeyword(statement.Header);
            var kind = reader.Next();
            if (!kind.IsWord("match") && !kind.IsWord("nomatch"))
            {
                throw TokenReader.Fail(kind, $"expected 'match' or 'nomatch' after 'sample', found {kind.Describe()}");
            }

            var nameToken = reader.Next();
            if (nameToken.Kind != TokenKind.String)
            {
                throw TokenReader.Fail(nameToken, $"expected the sample's name in double quotes after '{kind.Text}', found {nameToken.Describe()}");
            }

            LogProduct? product = null;
            Token? productToken = null;
            if (reader.TryWord("product"))
            {
                productToken = reader.Next();
                if (productToken.Value.Kind != TokenKind.Word)
                {
                    throw TokenReader.Fail(productToken.Value, $"expected a log product after 'product', found {productToken.Value.Describe()}");
                }

                product = Product(productToken.Value);
            }

            reader.ExpectEnd("the sample's name and product");

            var records = new List<SampleRecord>();
            var recordErrors = 0;
            foreach (var line in statement.Continuations)
            {
                try
                {
                    records.Add(Record(line));
                }
                catch (RuleSyntaxException e)
                {
                    errors.Add(e.ToError());
                    recordErrors++;
                }
            }

            var sample = new RuleSample(nameToken.Text, kind.IsWord("match"), product, records.ToValueList());
            positions.Node(sample, string.Empty, keyword);
            positions.Node(sample, "name", nameToken);
            if (productToken is { } p)
            {
                positions.Node(sample, "product", p);
            }

            // Records that read well are still checked (their JSON, their repetition), so one bad line does not hide
            // the problems of the others; the rule is left out either way.
            open = (records.Count > 0 || recordErrors == 0 ? sample : null, keyword);
        }

        /// <summary>One indented line of a sample: a JSON object, then optionally "x &lt;n&gt; every &lt;duration&gt;".</summary>
        private SampleRecord Record(SourceLine line)
        {
            var text = line.Text;
            var begin = text.Length - text.TrimStart().Length;
            var brace = new Token(TokenKind.Symbol, "{", line.Number, begin + 1, 1);
            if (text[begin] != '{')
            {
                throw TokenReader.Fail(brace, "expected a sample record: a JSON object on one indented line, starting with '{'");
            }

            var end = JsonEnd(text, begin);
            if (end < 0)
            {
                throw TokenReader.Fail(brace, "the JSON record does not end on this line: write each sample record on one line");
            }

            var json = text[begin..(end + 1)];
            var rest = new List<Token>();
            if (RuleLexer.Lex(line, end + 1, rest) is { } lexError)
            {
                throw new RuleSyntaxException(new TextPosition(lexError.Line, lexError.Column), lexError.Message);
            }

            var reader = new TokenReader(rest, rest.Count > 0 ? rest[^1].EndOf() : new Token(TokenKind.End, string.Empty, line.Number, end + 2, 0));
            SampleRecord record;
            Token? repeatToken = null;
            Token? everyToken = null;
            if (reader.AtEnd)
            {
                record = new SampleRecord(json);
            }
            else
            {
                reader.ExpectWord("x", "expected 'x <n> every <duration>' or the end of the line after the JSON record");
                var count = reader.Next();
                if (count.Kind != TokenKind.Word || !int.TryParse(count.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var repeat) || !RuleLexer.IsIntegerLiteral(count.Text))
                {
                    throw TokenReader.Fail(count, $"expected how many copies after 'x' (1 to {RuleValidator.MaxRepeat}), found {count.Describe()}");
                }

                reader.ExpectWord("every", $"expected 'every <duration>' after 'x {count.Text}'");
                var (every, durationToken) = Duration(reader);
                reader.ExpectEnd("the repetition");
                record = new SampleRecord(json, repeat, every);
                repeatToken = count;
                everyToken = durationToken;
            }

            positions.Node(record, string.Empty, brace);
            positions.Node(record, "json", brace);
            if (repeatToken is { } r)
            {
                positions.Node(record, "repeat", r);
            }

            if (everyToken is { } e)
            {
                positions.Node(record, "every", e);
            }

            return record;
        }

        /// <summary>The index of the '}' closing the object that starts at <paramref name="begin"/>, or -1.</summary>
        private static int JsonEnd(string text, int begin)
        {
            var depth = 0;
            var inString = false;
            for (var i = begin; i < text.Length; i++)
            {
                var c = text[i];
                if (inString)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                switch (c)
                {
                    case '"':
                        inString = true;
                        break;
                    case '{' or '[':
                        depth++;
                        break;
                    case '}' or ']':
                        depth--;
                        if (depth == 0)
                        {
                            return c == '}' ? i : -1;
                        }

                        break;
                    default:
                        break;
                }
            }

            return -1;
        }

        private void End(RawStatement statement, Token keyword)
        {
            if (open is null)
            {
                throw TokenReader.Fail(keyword, "'end' without a 'sample' before it");
            }

            var (sample, _) = open.Value;
            open = null;
            var reader = ReaderAfterKeyword(Tokens(statement));
            reader.ExpectEnd("'end'");
            if (sample is not null)
            {
                samples.Add(sample);
            }
        }
    }
}
