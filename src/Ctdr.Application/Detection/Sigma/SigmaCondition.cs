namespace Ctdr.Application.Detection.Sigma;

/// <summary>
/// Sigma's condition grammar: <c>or</c> &lt; <c>and</c> &lt; <c>not</c> &lt; <c>1 of</c>/<c>all of</c> &lt;
/// parentheses (loosest to tightest). Identifiers resolve to the translated search identifiers.
/// </summary>
internal sealed class SigmaCondition
{
    private readonly string text;
    private readonly List<string> tokens;
    private readonly IReadOnlyList<string> identifiers;
    private readonly Func<string, RuleCondition> resolve;
    private int position;

    private SigmaCondition(string text, IReadOnlyList<string> identifiers, Func<string, RuleCondition> resolve)
    {
        this.text = text;
        this.identifiers = identifiers;
        this.resolve = resolve;
        tokens = Tokenize(text);
    }

    /// <param name="identifiers">The search identifiers in document order.</param>
    public static RuleCondition Parse(string text, IReadOnlyList<string> identifiers, Func<string, RuleCondition> resolve)
    {
        var pipe = text.IndexOf('|', StringComparison.Ordinal);
        if (pipe >= 0)
        {
            throw new SigmaRefusedException(
                $"the aggregation '{text[pipe..].Trim()}' in the condition is not supported; use a correlation rule");
        }

        var parser = new SigmaCondition(text, identifiers, resolve);
        if (parser.tokens.Count == 0)
        {
            throw new SigmaRefusedException("the condition is empty");
        }

        var result = parser.ParseOr();
        if (parser.position < parser.tokens.Count)
        {
            throw parser.Error($"unexpected '{parser.tokens[parser.position]}'");
        }

        return result;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsWhiteSpace(c) || c is '(' or ')')
            {
                if (start >= 0)
                {
                    tokens.Add(text[start..i]);
                    start = -1;
                }

                if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        return tokens;
    }

    private string? Peek => position < tokens.Count ? tokens[position] : null;

    private bool Accept(string keyword)
    {
        if (Peek is { } token && string.Equals(token, keyword, StringComparison.OrdinalIgnoreCase))
        {
            position++;
            return true;
        }

        return false;
    }

    private RuleCondition ParseOr()
    {
        var items = new List<RuleCondition> { ParseAnd() };
        while (Accept("or"))
        {
            items.Add(ParseAnd());
        }

        return SigmaDetection.Or(items);
    }

    private RuleCondition ParseAnd()
    {
        var items = new List<RuleCondition> { ParseNot() };
        while (Accept("and"))
        {
            items.Add(ParseNot());
        }

        return SigmaDetection.And(items);
    }

    private RuleCondition ParseNot() => Accept("not") ? new NotCondition(ParseNot()) : ParseOf();

    private RuleCondition ParseOf()
    {
        if (position + 1 < tokens.Count && string.Equals(tokens[position + 1], "of", StringComparison.OrdinalIgnoreCase))
        {
            var quantifier = tokens[position];
            var any = quantifier == "1";
            if (!any && !string.Equals(quantifier, "all", StringComparison.OrdinalIgnoreCase))
            {
                throw new SigmaRefusedException($"'{quantifier} of' in the condition is not supported (only '1 of' and 'all of')");
            }

            position += 2;
            var target = Peek ?? throw Error("a pattern or 'them' is missing after 'of'");
            position++;
            var matched = string.Equals(target, "them", StringComparison.OrdinalIgnoreCase)
                ? identifiers.Where(i => !i.StartsWith('_')).ToList()
                : identifiers.Where(i => Matches(target, i)).ToList();
            if (matched.Count == 0)
            {
                throw new SigmaRefusedException($"'{quantifier} of {target}' in the condition matches no search identifier");
            }

            var items = matched.Select(resolve);
            return any ? SigmaDetection.Or(items) : SigmaDetection.And(items);
        }

        return ParsePrimary();
    }

    private RuleCondition ParsePrimary()
    {
        var token = Peek ?? throw Error("the condition ends too early");
        position++;
        if (token == "(")
        {
            var inner = ParseOr();
            if (!Accept(")"))
            {
                throw Error("')' is missing");
            }

            return inner;
        }

        if (token == ")" || token.ToLowerInvariant() is "and" or "or" or "not" or "of" or "them")
        {
            throw Error($"unexpected '{token}'");
        }

        if (token.Contains('*', StringComparison.Ordinal))
        {
            throw new SigmaRefusedException($"the pattern '{token}' in the condition is only allowed after '1 of' or 'all of'");
        }

        return identifiers.Contains(token)
            ? resolve(token)
            : throw new SigmaRefusedException($"the condition names '{token}', which is not a search identifier of the rule");
    }

    private static bool Matches(string pattern, string identifier)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, identifier, StringComparison.Ordinal);
        }

        if (!identifier.StartsWith(parts[0], StringComparison.Ordinal) || !identifier.EndsWith(parts[^1], StringComparison.Ordinal)
            || identifier.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        foreach (var part in parts[1..^1])
        {
            var found = identifier.IndexOf(part, at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + part.Length;
        }

        return at <= identifier.Length - parts[^1].Length;
    }

    private SigmaRefusedException Error(string what) => new($"the condition '{text}' is not valid: {what}");
}
