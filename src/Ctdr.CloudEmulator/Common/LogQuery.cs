using System.Text.Json;

namespace Ctdr.CloudEmulator.Common;

/// <summary>The fields of one log record as a query sees them.</summary>
internal interface ILogView
{
    bool TryGet(string key, out string value);

    IEnumerable<string> Values { get; }
}

/// <summary>A query that is not understood; the providers answer it with their own "invalid parameter" error.</summary>
internal sealed class LogQueryException(string message) : Exception(message);

/// <summary>
/// The search subset the sandbox understands for SLS GetLogs, LTS keywords and CLS queries:
/// <c>*</c>, <c>key:value</c> (also <c>key: value</c>, <c>key:"a b"</c>, <c>key:prefix*</c>), bare keywords
/// (full-text, case-insensitive substring of any value), <c>and</c>/<c>or</c>/<c>not</c> (any case, also
/// <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>), parentheses, and juxtaposition as <c>and</c>. A key with dots that is not a field
/// itself is looked up inside a JSON-valued field (<c>event.eventName</c> in ActionTrail's <c>event</c>).
/// <c>key:value</c> matches when the value equals the field (case-insensitive) or is one of its tokens (SLS's default
/// delimiters). Analytic SQL after <c>|</c> is refused.
/// </summary>
internal abstract class LogQuery
{
    private static readonly char[] TokenDelimiters = [',', ' ', '\'', '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'];

    public static readonly LogQuery All = new AllQuery();

    public abstract bool Matches(ILogView log);

    public static LogQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        if (text.Contains('|', StringComparison.Ordinal) && !text.Contains("||", StringComparison.Ordinal))
        {
            throw new LogQueryException("analytic statements after '|' are not supported by the sandbox");
        }

        var parser = new Parser(Tokenize(text));
        var query = parser.ParseOr();
        if (!parser.AtEnd)
        {
            throw new LogQueryException($"unexpected '{parser.Peek().Text}' in query");
        }

        return query;
    }

    /// <summary>Reads <paramref name="key"/> from the record, or from inside a JSON-valued field when the key has dots.</summary>
    internal static bool TryResolve(ILogView log, string key, out string value)
    {
        if (log.TryGet(key, out value))
        {
            return true;
        }

        for (var dot = key.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = key.IndexOf('.', dot + 1))
        {
            if (log.TryGet(key[..dot], out var json) && json.TrimStart().StartsWith('{'))
            {
                try
                {
                    using var doc = JsonDocument.Parse(json);
                    var element = doc.RootElement;
                    var found = true;
                    foreach (var part in key[(dot + 1)..].Split('.'))
                    {
                        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
                        {
                            found = false;
                            break;
                        }
                    }

                    if (found && element.ValueKind != JsonValueKind.Null)
                    {
                        value = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
                        return true;
                    }
                }
                catch (JsonException)
                {
                    // A malformed JSON field simply has no sub-fields.
                }
            }
        }

        value = string.Empty;
        return false;
    }

    private static bool GlobMatch(string text, string pattern)
    {
        // Iterative glob with '*' (any run) and '?' (one character), case-insensitive.
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool ValueMatches(string fieldValue, string wanted)
    {
        if (wanted.Contains('*', StringComparison.Ordinal) || wanted.Contains('?', StringComparison.Ordinal))
        {
            return GlobMatch(fieldValue, wanted)
                   || fieldValue.Split(TokenDelimiters, StringSplitOptions.RemoveEmptyEntries).Any(token => GlobMatch(token, wanted));
        }

        return string.Equals(fieldValue, wanted, StringComparison.OrdinalIgnoreCase)
               || fieldValue.Split(TokenDelimiters, StringSplitOptions.RemoveEmptyEntries).Any(token => string.Equals(token, wanted, StringComparison.OrdinalIgnoreCase));
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.Open : TokenKind.Close, c.ToString()));
                i++;
            }
            else if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw new LogQueryException("unterminated quoted string in query");
                }

                tokens.Add(new Token(TokenKind.Quoted, text[(i + 1)..end]));
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')' and not '"')
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        Quoted,
        Open,
        Close,
    }

    private sealed record Token(TokenKind Kind, string Text)
    {
        public bool IsOperator(string op) => Kind == TokenKind.Word && Text.Equals(op, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int position;

        public bool AtEnd => position >= tokens.Count;

        public Token Peek() => tokens[position];

        public LogQuery ParseOr()
        {
            var left = ParseAnd();
            while (!AtEnd && (Peek().IsOperator("or") || Peek().IsOperator("||")))
            {
                position++;
                left = new OrQuery(left, ParseAnd());
            }

            return left;
        }

        private LogQuery ParseAnd()
        {
            var left = ParseNot();
            while (!AtEnd && Peek().Kind != TokenKind.Close && !Peek().IsOperator("or") && !Peek().IsOperator("||"))
            {
                if (Peek().IsOperator("and") || Peek().IsOperator("&&"))
                {
                    position++;
                }

                left = new AndQuery(left, ParseNot());
            }

            return left;
        }

        private LogQuery ParseNot()
        {
            if (AtEnd)
            {
                throw new LogQueryException("the query ends where a term was expected");
            }

            if (Peek().IsOperator("not") || Peek().IsOperator("!"))
            {
                position++;
                return new NotQuery(ParseNot());
            }

            return ParsePrimary();
        }

        private LogQuery ParsePrimary()
        {
            var token = tokens[position++];
            switch (token.Kind)
            {
                case TokenKind.Open:
                    var inner = ParseOr();
                    if (AtEnd || Peek().Kind != TokenKind.Close)
                    {
                        throw new LogQueryException("missing ')' in query");
                    }

                    position++;
                    return inner;
                case TokenKind.Close:
                    throw new LogQueryException("unexpected ')' in query");
                case TokenKind.Quoted:
                    return new KeywordQuery(token.Text);
            }

            var text = token.Text;
            if (text == "*")
            {
                return All;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return new KeywordQuery(text);
            }

            var key = text[..colon];
            var value = text[(colon + 1)..];
            if (value.Length == 0)
            {
                if (AtEnd || Peek().Kind is TokenKind.Open or TokenKind.Close)
                {
                    throw new LogQueryException($"no value after '{key}:'");
                }

                value = tokens[position++].Text;
            }

            return new FieldQuery(key, value);
        }
    }

    private sealed class AllQuery : LogQuery
    {
        public override bool Matches(ILogView log) => true;
    }

    private sealed class AndQuery(LogQuery left, LogQuery right) : LogQuery
    {
        public override bool Matches(ILogView log) => left.Matches(log) && right.Matches(log);
    }

    private sealed class OrQuery(LogQuery left, LogQuery right) : LogQuery
    {
        public override bool Matches(ILogView log) => left.Matches(log) || right.Matches(log);
    }

    private sealed class NotQuery(LogQuery inner) : LogQuery
    {
        public override bool Matches(ILogView log) => !inner.Matches(log);
    }

    private sealed class FieldQuery(string key, string value) : LogQuery
    {
        public override bool Matches(ILogView log) =>
            value == "*" ? TryResolve(log, key, out _) : TryResolve(log, key, out var actual) && ValueMatches(actual, value);
    }

    private sealed class KeywordQuery(string keyword) : LogQuery
    {
        public override bool Matches(ILogView log)
        {
            var glob = keyword.Contains('*', StringComparison.Ordinal) || keyword.Contains('?', StringComparison.Ordinal);
            foreach (var value in log.Values)
            {
                if (glob ? ValueMatches(value, keyword) : value.Contains(keyword, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>A JSON object (LTS content, CLS LogJson) seen as a flat record of its top-level fields.</summary>
internal sealed class JsonLogView : ILogView
{
    private readonly Dictionary<string, string> fields = new(StringComparer.Ordinal);
    private readonly string raw;

    public JsonLogView(string json)
    {
        raw = json;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: only full-text search applies.
        }
    }

    public bool TryGet(string key, out string value) => fields.TryGetValue(key, out value!);

    public IEnumerable<string> Values => fields.Count == 0 ? [raw] : fields.Values;
}
