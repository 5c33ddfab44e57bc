namespace Ctdr.Application.Detection.Text;

/// <summary>Recursive descent over the condition grammar of docs/rules.md: or, and, not, parentheses, field tests.</summary>
internal sealed class ConditionParser(TokenReader reader, PositionMap positions)
{
    /// <summary>A guard for the parser's own stack; the model's depth limit is the validator's.</summary>
    private const int MaxNesting = 256;

    private static readonly string[] OperatorWords = ["in", "contains", "startswith", "endswith", "matches", "cidr", "exists"];

    private static readonly HashSet<string> NotFields = new(["and", "or", "not", "step", "in"], StringComparer.Ordinal);

    public RuleCondition Parse() => ParseOr(0);

    private RuleCondition ParseOr(int depth)
    {
        var start = reader.Peek;
        var first = ParseAnd(depth);
        if (!reader.Peek.IsWord("or"))
        {
            return first;
        }

        var items = new List<RuleCondition> { first };
        while (reader.TryWord("or"))
        {
            items.Add(ParseAnd(depth));
        }

        var or = new OrCondition(items);
        positions.Node(or, string.Empty, start);
        return or;
    }

    private RuleCondition ParseAnd(int depth)
    {
        var start = reader.Peek;
        var first = ParseUnary(depth);
        if (!reader.Peek.IsWord("and"))
        {
            return first;
        }

        var items = new List<RuleCondition> { first };
        while (reader.TryWord("and"))
        {
            items.Add(ParseUnary(depth));
        }

        var and = new AndCondition(items);
        positions.Node(and, string.Empty, start);
        return and;
    }

    private RuleCondition ParseUnary(int depth)
    {
        var start = reader.Peek;
        if (depth > MaxNesting)
        {
            throw TokenReader.Fail(start, "the condition nests too deeply");
        }

        if (reader.TryWord("not"))
        {
            var not = new NotCondition(ParseUnary(depth + 1));
            positions.Node(not, string.Empty, start);
            return not;
        }

        if (reader.TrySymbol("("))
        {
            var inner = ParseOr(depth + 1);
            if (!reader.TrySymbol(")"))
            {
                throw TokenReader.Fail(reader.Peek, $"expected ')' to close the '(' at line {start.Line}, column {start.Column}, found {reader.Peek.Describe()}");
            }

            return inner;
        }

        return ParseTest();
    }

    private FieldCondition ParseTest()
    {
        var field = reader.Peek;
        switch (field.Kind)
        {
            case TokenKind.End:
                throw TokenReader.Fail(field, reader.Previous.Kind == TokenKind.End ? "expected a condition" : $"expected a condition after {reader.Previous.Describe()}");
            case TokenKind.String:
                throw TokenReader.Fail(field, $"expected a field name, found {field.Describe()} (field names are not quoted)");
            case TokenKind.Symbol:
                throw TokenReader.Fail(field, $"expected a field name, found {field.Describe()}");
            case TokenKind.Word when NotFields.Contains(field.Text):
                throw TokenReader.Fail(field, $"expected a field name, found {field.Describe()}");
            default:
                break;
        }

        reader.Next();
        var op = reader.Next();
        var values = new List<Token>();
        var cased = false;
        var all = false;
        MatchOperator matchOperator;
        if (op.IsSymbol("=") || op.IsSymbol("!="))
        {
            matchOperator = op.Text == "=" ? MatchOperator.Equals : MatchOperator.NotEquals;
            cased = reader.TryWord("cased");
            if (reader.Peek.IsSymbol("("))
            {
                var list = op.Text == "=" ? "in" : "not in";
                throw TokenReader.Fail(reader.Peek, $"'{op.Text}' takes one value; use '{list} (...)' for a list");
            }

            values.Add(ParseValue(op));
        }
        else if (op.IsWord("in") || op.IsWord("not"))
        {
            if (op.IsWord("not"))
            {
                reader.ExpectWord("in", $"expected 'in' after '{field.Text} not' (to negate a test, write 'not' before the field)");
            }

            matchOperator = op.IsWord("in") ? MatchOperator.Equals : MatchOperator.NotEquals;
            cased = reader.TryWord("cased");
            if (!reader.Peek.IsSymbol("("))
            {
                throw TokenReader.Fail(reader.Peek, $"expected a list in parentheses after '{(op.IsWord("in") ? "in" : "not in")}', e.g. (\"a\", \"b\"), found {reader.Peek.Describe()}");
            }

            values.AddRange(ParseValues(reader.Previous));
        }
        else if (op.IsWord("contains") || op.IsWord("startswith") || op.IsWord("endswith"))
        {
            matchOperator = op.Text switch
            {
                "contains" => MatchOperator.Contains,
                "startswith" => MatchOperator.StartsWith,
                _ => MatchOperator.EndsWith,
            };
            all = reader.TryWord("all");
            cased = reader.TryWord("cased");
            if (cased && reader.Peek.IsWord("all"))
            {
                throw TokenReader.Fail(reader.Peek, "write 'all' before 'cased'");
            }

            values.AddRange(ParseValues(reader.Previous));
        }
        else if (op.IsWord("matches"))
        {
            matchOperator = MatchOperator.Regex;
            cased = reader.TryWord("cased");
            if (reader.Peek.IsWord("all"))
            {
                throw TokenReader.Fail(reader.Peek, "'all' goes with contains, startswith and endswith, not with matches");
            }

            values.AddRange(ParseValues(reader.Previous));
        }
        else if (op.IsWord("cidr"))
        {
            matchOperator = MatchOperator.Cidr;
            values.AddRange(ParseValues(op));
        }
        else if (op.IsWord("exists"))
        {
            matchOperator = MatchOperator.Exists;
        }
        else if (op.IsSymbol(">") || op.IsSymbol(">=") || op.IsSymbol("<") || op.IsSymbol("<="))
        {
            matchOperator = op.Text switch
            {
                ">" => MatchOperator.GreaterThan,
                ">=" => MatchOperator.GreaterOrEqual,
                "<" => MatchOperator.LessThan,
                _ => MatchOperator.LessOrEqual,
            };
            var number = reader.Next();
            if (number.Kind == TokenKind.String)
            {
                throw TokenReader.Fail(number, $"'{op.Text}' compares numbers: write the number without quotes");
            }

            if (number.Kind != TokenKind.Word || !RuleLexer.IsIntegerLiteral(number.Text))
            {
                throw TokenReader.Fail(number, $"expected a whole number after '{op.Text}', found {number.Describe()}");
            }

            values.Add(number);
        }
        else
        {
            throw TokenReader.Fail(op, UnknownOperator(field, op));
        }

        var condition = new FieldCondition(field.Text, matchOperator, values.Select(v => v.Text).ToValueList(), cased, all);
        positions.Node(condition, string.Empty, field);
        positions.Node(condition, "field", field);
        positions.Node(condition, "op", op);
        for (var i = 0; i < values.Count; i++)
        {
            positions.Node(condition, "v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }

        return condition;
    }

    private static string UnknownOperator(Token field, Token op)
    {
        if (op.Kind == TokenKind.End)
        {
            return $"expected an operator after '{field.Text}' (=, !=, in, not in, contains, startswith, endswith, matches, cidr, exists, >, >=, <, <=)";
        }

        if (op.Kind == TokenKind.Word && Suggestions.Closest(op.Text, OperatorWords) is { } suggestion)
        {
            return $"unknown operator '{op.Text}' (did you mean '{suggestion}'?)";
        }

        return $"expected an operator after '{field.Text}', found {op.Describe()} (=, !=, in, not in, contains, startswith, endswith, matches, cidr, exists, >, >=, <, <=)";
    }

    /// <summary>values := value | "(" value ("," value)* ")".</summary>
    private List<Token> ParseValues(Token after)
    {
        if (!reader.TrySymbol("("))
        {
            return [ParseValue(after)];
        }

        var values = new List<Token> { ParseValue(reader.Previous) };
        while (reader.TrySymbol(","))
        {
            values.Add(ParseValue(reader.Previous));
        }

        if (!reader.TrySymbol(")"))
        {
            throw TokenReader.Fail(reader.Peek, $"expected ',' or ')' in the list, found {reader.Peek.Describe()}");
        }

        return values;
    }

    private Token ParseValue(Token after)
    {
        var value = reader.Next();
        return value.Kind switch
        {
            TokenKind.String => value,
            TokenKind.Word when RuleLexer.IsIntegerLiteral(value.Text) => value,
            TokenKind.Word => throw TokenReader.Fail(value, $"expected a value in double quotes or a whole number, found '{value.Text}' (write \"{value.Text}\")"),
            TokenKind.End => throw TokenReader.Fail(value, $"expected a value after {after.Describe()}"),
            _ when value.IsSymbol("=") && after.IsSymbol("=") => throw TokenReader.Fail(value, "write '=' once"),
            _ => throw TokenReader.Fail(value, $"expected a value after {after.Describe()}, found {value.Describe()}"),
        };
    }
}
