using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Ctdr.Application.Detection.Sigma;

/// <summary>Translates Sigma search identifiers (selections, keyword lists, modifiers, wildcards) into conditions.</summary>
internal sealed class SigmaDetection(SigmaLogSourceMapping source)
{
    private const string AnyField = "*";

    private static readonly string[] Dashes = ["-", "/", "\u2013", "\u2014", "\u2015"];

    private static readonly string[] RegexFlags = ["i", "m", "s"];
    private static readonly string[] Encodings = ["utf16le", "wide", "utf16be", "utf16"];
    private static readonly string[] Numeric = ["gt", "gte", "lt", "lte"];
    private static readonly string[] NeedField = ["exists", "cidr", "gt", "gte", "lt", "lte", "neq"];
    private static readonly string[] Positions = ["contains", "startswith", "endswith"];
    private static readonly string[] MultiLine = ["m", "s"];

    private static readonly HashSet<string> UriModifiers = new(StringComparer.Ordinal)
    {
        "contains", "startswith", "endswith", "all", "cased", "neq", "windash", "base64", "utf16le", "wide", "utf16be", "utf16",
    };

    private const string UriPath = "http_request.url.path";
    private const string UriQuery = "http_request.url.query_string";

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cidr", "exists",
        "gt", "gte", "lt", "lte", "cased", "neq", "base64", "windash", "utf16le", "wide", "utf16be", "utf16",
    };

    /// <summary>A search identifier: a map (AND), a list of maps (OR) or a keyword list.</summary>
    public RuleCondition Translate(string identifier, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                return Selection(map);
            case YamlSequenceNode { Children.Count: 0 }:
                throw new SigmaRefusedException($"search identifier '{identifier}' is an empty list");
            case YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode):
                return Or(list.Children.Select(c => Selection((YamlMappingNode)c)));
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                return Values(AnyField, [], [.. list.Children]);
            case YamlScalarNode scalar when !scalar.IsNull():
                return Values(AnyField, [], [scalar]);
            default:
                throw new SigmaRefusedException($"search identifier '{identifier}' must be a map, a list of maps or a list of keywords");
        }
    }

    private RuleCondition Selection(YamlMappingNode map)
    {
        if (map.Children.Count == 0)
        {
            throw new SigmaRefusedException("a selection is an empty map");
        }

        var items = new List<RuleCondition>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = keyNode.KeyText();
            var parts = key.Split('|');
            var field = parts[0];
            IReadOnlyList<YamlNode> values = valueNode switch
            {
                YamlSequenceNode { Children.Count: 0 } => throw new SigmaRefusedException($"field '{key}' has an empty list of values"),
                YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) => [.. seq.Children],
                YamlScalarNode scalar => [scalar],
                _ => throw new SigmaRefusedException($"field '{key}' must have a value or a list of values"),
            };
            items.Add(Values(field.Length == 0 ? AnyField : field, parts[1..], values));
        }

        return And(items);
    }

    private RuleCondition Values(string field, string[] modifiers, IReadOnlyList<YamlNode> values)
    {
        foreach (var modifier in modifiers)
        {
            if (!Supported.Contains(modifier))
            {
                throw new SigmaRefusedException($"modifier '{modifier}' is not supported");
            }
        }

        var mods = new HashSet<string>(modifiers, StringComparer.Ordinal);
        var keyword = field == AnyField;
        var paths = keyword ? ValueList.Of(AnyField) : source.Paths(field);
        if (paths is [SigmaFieldMap.SplitUri])
        {
            return Uri(mods, values, field);
        }

        var all = mods.Contains("all");
        var label = keyword ? "keywords" : $"field '{field}'";

        if (all && values.Count < 2)
        {
            throw new SigmaRefusedException($"modifier 'all' on {label} needs a list of at least two values");
        }

        foreach (var flag in RegexFlags)
        {
            if (mods.Contains(flag) && !mods.Contains("re"))
            {
                throw new SigmaRefusedException($"modifier '{flag}' is only valid with 're'");
            }
        }

        var encoding = Encodings.FirstOrDefault(mods.Contains);
        if (encoding is not null && !mods.Contains("base64"))
        {
            throw new SigmaRefusedException($"modifier '{encoding}' is only supported with 'base64' (logs hold decoded text)");
        }

        if (keyword && mods.Overlaps(NeedField))
        {
            throw new SigmaRefusedException($"modifiers '{string.Join("|", modifiers)}' need a field");
        }

        if (mods.Contains("exists"))
        {
            Only(mods, "exists", []);
            if (values.Count != 1 || !values[0].IsBoolean(out var exists))
            {
                throw new SigmaRefusedException($"modifier 'exists' on {label} needs the value true or false");
            }

            var present = Or(paths.Select(p => (RuleCondition)new FieldCondition(p, MatchOperator.Exists, ValueList<string>.Empty)));
            return exists ? present : new NotCondition(present);
        }

        var numeric = Numeric.Where(mods.Contains).ToList();
        if (numeric.Count > 0)
        {
            Only(mods, numeric[0], ["all"]);
            var op = numeric[0] switch
            {
                "gt" => MatchOperator.GreaterThan,
                "gte" => MatchOperator.GreaterOrEqual,
                "lt" => MatchOperator.LessThan,
                _ => MatchOperator.LessOrEqual,
            };
            var numbers = values.Select(v => Integer(v, numeric[0], label)).ToList();
            return Combine(all, numbers.Select(n => OnPaths(paths, p => new FieldCondition(p, op, ValueList.Of(n)))));
        }

        if (mods.Contains("cidr"))
        {
            Only(mods, "cidr", ["all", "neq"]);
            var ranges = values.Select(v => Cidr(v, label)).ToList();
            return Negate(mods, Combine(all, all
                ? ranges.Select(r => OnPaths(paths, p => new FieldCondition(p, MatchOperator.Cidr, ValueList.Of(r))))
                : [OnPaths(paths, p => new FieldCondition(p, MatchOperator.Cidr, ranges.ToValueList()))]));
        }

        if (mods.Contains("re"))
        {
            Only(mods, "re", ["i", "m", "s", "all", "cased", "neq"]);
            var flags = string.Concat(MultiLine.Where(mods.Contains));
            var patterns = values.Select(v => Regex(v, flags, label)).ToList();
            var cased = !mods.Contains("i");
            return Negate(mods, Combine(all, all
                ? patterns.Select(r => OnPaths(paths, p => new FieldCondition(p, MatchOperator.Regex, ValueList.Of(r), cased)))
                : [OnPaths(paths, p => new FieldCondition(p, MatchOperator.Regex, patterns.ToValueList(), cased))]));
        }

        return Strings(paths, mods, values, keyword, label);
    }

    /// <summary>
    /// <c>cs-uri</c> is path + "?" + query, and the logs hold path and query apart. A value without '?' lies wholly in
    /// one of them (the first '?' separates them); with a '?', it splits there. The tests that this reasoning cannot
    /// make exact are refused.
    /// </summary>
    private static RuleCondition Uri(HashSet<string> mods, IReadOnlyList<YamlNode> values, string field)
    {
        var other = mods.FirstOrDefault(m => !UriModifiers.Contains(m));
        if (other is not null)
        {
            throw new SigmaRefusedException($"modifier '{other}' is not supported on field '{field}' (the URI is logged as path and query)");
        }

        var position = Positions.Where(mods.Contains).ToList();
        if (position.Count > 1)
        {
            throw new SigmaRefusedException($"modifiers '{position[0]}' and '{position[1]}' cannot be combined");
        }

        var label = $"field '{field}'";
        var cased = mods.Contains("cased");
        var parts = new List<RuleCondition>();
        foreach (var (op, text) in Tests(mods, [.. values.Where(v => !v.IsNull())], keyword: false, label, position.Count == 1 ? position[0] : null))
        {
            parts.Add(UriTest(op, text, cased, field));
        }

        if (values.Any(v => v.IsNull()))
        {
            parts.Add(new NotCondition(new FieldCondition(UriPath, MatchOperator.Exists, ValueList<string>.Empty)));
        }

        var combined = Combine(mods.Contains("all"), parts);
        return mods.Contains("neq") ? new NotCondition(combined) : combined;
    }

    private static RuleCondition UriTest(MatchOperator op, string text, bool cased, string field)
    {
        FieldCondition Test(string path, MatchOperator test, string value) => new(path, test, ValueList.Of(value), cased);
        RuleCondition QueryAbsent() => new NotCondition(new FieldCondition(UriQuery, MatchOperator.Exists, ValueList<string>.Empty));
        var mark = text.IndexOf('?', StringComparison.Ordinal);
        var (before, after) = mark < 0 ? (text, string.Empty) : (text[..mark], text[(mark + 1)..]);
        var query = after.Length == 0
            ? (RuleCondition)new FieldCondition(UriQuery, MatchOperator.Exists, ValueList<string>.Empty)
            : null;
        return (op, mark >= 0) switch
        {
            (MatchOperator.Exists, _) => new FieldCondition(UriPath, MatchOperator.Exists, ValueList<string>.Empty),
            (MatchOperator.Equals, false) => And([Test(UriPath, MatchOperator.Equals, text), QueryAbsent()]),
            (MatchOperator.Equals, true) => And([Test(UriPath, MatchOperator.Equals, before), Test(UriQuery, MatchOperator.Equals, after)]),
            (MatchOperator.StartsWith, false) => Test(UriPath, MatchOperator.StartsWith, text),
            (MatchOperator.StartsWith, true) => And([Test(UriPath, MatchOperator.Equals, before), query ?? Test(UriQuery, MatchOperator.StartsWith, after)]),
            (MatchOperator.Contains, false) => Or([Test(UriPath, MatchOperator.Contains, text), Test(UriQuery, MatchOperator.Contains, text)]),
            (MatchOperator.EndsWith, false) => Or([
                And([new FieldCondition(UriQuery, MatchOperator.Exists, ValueList<string>.Empty), Test(UriQuery, MatchOperator.EndsWith, text)]),
                And([QueryAbsent(), Test(UriPath, MatchOperator.EndsWith, text)])]),
            _ => throw new SigmaRefusedException(op == MatchOperator.Regex
                ? $"field '{field}' (logged as path and query) cannot take a wildcard inside a value"
                : $"field '{field}' (logged as path and query) cannot take '{text}' with '{(op == MatchOperator.Contains ? "contains" : "endswith")}': the '?' may fall on either side"),
        };
    }

    private static RuleCondition Strings(ValueList<string> paths, HashSet<string> mods, IReadOnlyList<YamlNode> values, bool keyword, string label)
    {
        var all = mods.Contains("all");
        var cased = mods.Contains("cased");
        var position = Positions.Where(mods.Contains).ToList();
        if (position.Count > 1)
        {
            throw new SigmaRefusedException($"modifiers '{position[0]}' and '{position[1]}' cannot be combined");
        }

        var nulls = values.Any(v => v.IsNull());
        if (nulls && (mods.Count > (mods.Contains("neq") ? 1 : 0)))
        {
            throw new SigmaRefusedException($"a null value on {label} cannot take modifiers");
        }

        if (nulls && keyword)
        {
            throw new SigmaRefusedException("a keyword cannot be null");
        }

        var tests = Tests(mods, values, keyword, label, position.Count == 1 ? position[0] : keyword ? "contains" : null);
        var negate = mods.Contains("neq");
        var parts = new List<RuleCondition>();
        foreach (var group in tests.GroupBy(t => t.Op))
        {
            var texts = group.Select(t => t.Text).ToValueList();
            if (group.Key == MatchOperator.Exists)
            {
                parts.Add(OnPaths(paths, p => new FieldCondition(p, MatchOperator.Exists, ValueList<string>.Empty)));
            }
            else if (all && group.Key is MatchOperator.Contains or MatchOperator.StartsWith or MatchOperator.EndsWith)
            {
                parts.Add(OnPaths(paths, p => new FieldCondition(p, group.Key, texts, cased, texts.Count > 1)));
            }
            else if (all)
            {
                parts.AddRange(texts.Select(t => OnPaths(paths, p => new FieldCondition(p, group.Key, ValueList.Of(t), cased))));
            }
            else if (negate && group.Key == MatchOperator.Equals && paths.Count == 1 && tests.Count == texts.Count && !nulls)
            {
                // Equal to none of the values: the model's own "not in", which also holds when the field is absent.
                return new FieldCondition(paths[0], MatchOperator.NotEquals, texts, cased);
            }
            else
            {
                parts.Add(OnPaths(paths, p => new FieldCondition(p, group.Key, texts, cased)));
            }
        }

        if (nulls)
        {
            var absent = new NotCondition(OnPaths(paths, p => new FieldCondition(p, MatchOperator.Exists, ValueList<string>.Empty)));
            parts.Add(absent);
        }

        var combined = Combine(all, parts);
        return negate ? new NotCondition(combined) : combined;
    }

    /// <summary>The values as (operator, text) tests, after encoding, windash and the position modifier.</summary>
    private static List<(MatchOperator Op, string Text)> Tests(HashSet<string> mods, IReadOnlyList<YamlNode> values, bool keyword, string label, string? wrap)
    {
        var tests = new List<(MatchOperator Op, string Text)>();
        foreach (var value in values.Where(v => !v.IsNull()))
        {
            foreach (var variant in Variants(((YamlScalarNode)value).Value ?? string.Empty, mods, label))
            {
                var tokens = variant;
                if (wrap is "contains" or "endswith")
                {
                    tokens = [Token.Star, .. tokens];
                }

                if (wrap is "contains" or "startswith")
                {
                    tokens = [.. tokens, Token.Star];
                }

                var test = Classify(tokens);
                if (keyword && test.Op == MatchOperator.Exists)
                {
                    throw new SigmaRefusedException("the keyword '*' would match every record");
                }

                if (!tests.Contains(test))
                {
                    tests.Add(test);
                }
            }
        }

        return tests;
    }

    /// <summary>The value after encoding and windash expansion, as wildcard tokens.</summary>
    private static List<List<Token>> Variants(string value, HashSet<string> mods, string label)
    {
        var tokens = Tokens(value);
        if (mods.Contains("base64"))
        {
            if (tokens.Any(t => t.Kind != TokenKind.Literal))
            {
                throw new SigmaRefusedException($"modifier 'base64' on {label} cannot encode the wildcards in '{value}'");
            }

            var text = string.Concat(tokens.Select(t => t.Char));
            var bytes = mods.Contains("utf16le") || mods.Contains("wide") ? Encoding.Unicode.GetBytes(text)
                : mods.Contains("utf16be") ? Encoding.BigEndianUnicode.GetBytes(text)
                : mods.Contains("utf16") ? [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]
                : Encoding.UTF8.GetBytes(text);
            tokens = [.. Convert.ToBase64String(bytes).Select(Token.Literal)];
        }

        if (!mods.Contains("windash"))
        {
            return [tokens];
        }

        var positions = tokens.Select((t, i) => (t, i)).Where(x => x.t.Kind == TokenKind.Literal && Dashes.Contains(x.t.Char.ToString())).Select(x => x.i).ToList();
        if (positions.Count > 4)
        {
            throw new SigmaRefusedException($"modifier 'windash' on {label}: '{value}' has more than four dashes (too many variants)");
        }

        var variants = new List<List<Token>> { tokens };
        foreach (var position in positions)
        {
            variants = [.. variants.SelectMany(v => Dashes.Select(d =>
            {
                var copy = new List<Token>(v);
                copy[position] = Token.Literal(d[0]);
                return copy;
            }))];
        }

        return variants;
    }

    private static List<Token> Tokens(string value)
    {
        var tokens = new List<Token>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                tokens.Add(Token.Literal(value[++i]));
            }
            else
            {
                tokens.Add(c switch
                {
                    '*' => Token.Star,
                    '?' => Token.One,
                    _ => Token.Literal(c),
                });
            }
        }

        return tokens;
    }

    /// <summary>The cheapest operator that expresses the wildcard pattern; a regular expression when none does.</summary>
    private static (MatchOperator Op, string Text) Classify(List<Token> tokens)
    {
        var collapsed = new List<Token>(tokens.Count);
        foreach (var token in tokens)
        {
            if (!(token.Kind == TokenKind.Star && collapsed.Count > 0 && collapsed[^1].Kind == TokenKind.Star))
            {
                collapsed.Add(token);
            }
        }

        if (collapsed is [{ Kind: TokenKind.Star }])
        {
            return (MatchOperator.Exists, string.Empty);
        }

        var leading = collapsed.Count > 0 && collapsed[0].Kind == TokenKind.Star;
        var trailing = collapsed.Count > 0 && collapsed[^1].Kind == TokenKind.Star;
        var inner = collapsed.Skip(leading ? 1 : 0).Take(collapsed.Count - (leading ? 1 : 0) - (trailing ? 1 : 0)).ToList();
        if (inner.All(t => t.Kind == TokenKind.Literal))
        {
            var text = string.Concat(inner.Select(t => t.Char));
            return (leading, trailing) switch
            {
                (true, true) => (MatchOperator.Contains, text),
                (false, true) => (MatchOperator.StartsWith, text),
                (true, false) => (MatchOperator.EndsWith, text),
                _ => (MatchOperator.Equals, text),
            };
        }

        var pattern = new StringBuilder("(?s)^");
        foreach (var token in collapsed)
        {
            pattern.Append(token.Kind switch
            {
                TokenKind.Star => ".*",
                TokenKind.One => ".",
                _ => EscapeRegex(token.Char),
            });
        }

        return (MatchOperator.Regex, pattern.Append('$').ToString());
    }

    private static string EscapeRegex(char c) => c is '\\' or '*' or '+' or '?' or '|' or '{' or '}' or '[' or ']' or '(' or ')' or '^' or '$' or '.' or '#'
        ? "\\" + c
        : c.ToString();

    private static string Integer(YamlNode node, string modifier, string label)
    {
        var text = (node as YamlScalarNode)?.Value;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : throw new SigmaRefusedException($"modifier '{modifier}' on {label} needs an integer, not '{text}'");
    }

    private static string Cidr(YamlNode node, string label)
    {
        var text = (node as YamlScalarNode)?.Value ?? string.Empty;
        return IPNetwork.TryParse(text, out _)
            ? text
            : throw new SigmaRefusedException($"modifier 'cidr' on {label}: '{text}' is not an IPv4 or IPv6 range");
    }

    private static string Regex(YamlNode node, string flags, string label)
    {
        var text = (node as YamlScalarNode)?.Value;
        if (node.IsNull() || text is null)
        {
            throw new SigmaRefusedException($"modifier 're' on {label} needs a pattern");
        }

        var pattern = flags.Length == 0 ? text : $"(?{flags}){text}";
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new SigmaRefusedException($"modifier 're' on {label}: '{text}' is not a valid regular expression ({e.Message})");
        }

        return pattern;
    }

    private static void Only(HashSet<string> mods, string main, string[] allowed)
    {
        var other = mods.FirstOrDefault(m => m != main && !allowed.Contains(m));
        if (other is not null)
        {
            throw new SigmaRefusedException($"modifier '{other}' cannot be combined with '{main}'");
        }
    }

    private static RuleCondition Negate(HashSet<string> mods, RuleCondition condition) =>
        mods.Contains("neq") ? new NotCondition(condition) : condition;

    /// <summary>Several paths are per-product alternatives for one Sigma field: the test holds on any of them.</summary>
    private static RuleCondition OnPaths(ValueList<string> paths, Func<string, RuleCondition> test) =>
        Or(paths.Select(test));

    private static RuleCondition Combine(bool all, IEnumerable<RuleCondition> items) => all ? And(items) : Or(items);

    public static RuleCondition And(IEnumerable<RuleCondition> items)
    {
        var flat = items.SelectMany(i => i is AndCondition a ? a.Items : (IEnumerable<RuleCondition>)[i]).ToList();
        return flat.Count == 1 ? flat[0] : new AndCondition(flat.ToValueList());
    }

    public static RuleCondition Or(IEnumerable<RuleCondition> items)
    {
        var flat = items.SelectMany(i => i is OrCondition o ? o.Items : (IEnumerable<RuleCondition>)[i]).ToList();
        return flat.Count == 1 ? flat[0] : new OrCondition(flat.ToValueList());
    }

    private enum TokenKind
    {
        Literal,
        Star,
        One,
    }

    private readonly record struct Token(TokenKind Kind, char Char)
    {
        public static Token Star => new(TokenKind.Star, '*');

        public static Token One => new(TokenKind.One, '?');

        public static Token Literal(char c) => new(TokenKind.Literal, c);
    }
}
