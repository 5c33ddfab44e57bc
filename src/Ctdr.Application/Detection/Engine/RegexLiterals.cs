using System.Text;

namespace Ctdr.Application.Detection.Engine;

/// <summary>
/// Finds literals of which every match of a regular expression contains at least one, cheaply and conservatively, so
/// that a multi-literal prefilter can skip the expression on records without any of them.
/// </summary>
/// <remarks>
/// A small recursive scan of the .NET syntax: a sequence requires its unquantified runs of safe characters and its
/// groups that are neither optional nor repeated from zero; an alternation requires, of each branch, one of that
/// branch's literals (a branch without one, the empty branch included, makes the whole alternation unknown).
/// Lookarounds, conditionals, comments and escapes break runs and contribute nothing; <c>(?x)</c> (where whitespace
/// and <c>#</c> change meaning) gives up. Whenever in doubt the answer is null: the prefilter is then not used.
/// </remarks>
internal static class RegexLiterals
{
    private const int MinimumLength = 3;

    private static readonly System.Buffers.SearchValues<char> CountCharacters = System.Buffers.SearchValues.Create("0123456789,");

    /// <summary>More alternatives than this make the prefilter a poor bet; the expression is then always evaluated.</summary>
    private const int MaximumAlternatives = 64;

    /// <summary>
    /// The longest required literal of at least three characters without 'k', 's' or 'i', or null when none is certain
    /// (or the pattern alternates).
    /// </summary>
    public static string? Required(string pattern)
    {
        if (pattern.Contains('|', StringComparison.Ordinal))
        {
            return null;
        }

        var scanner = new Scanner(pattern, ignoreCase: true, caseVariants: false);
        var result = scanner.Alternation();
        return !scanner.Failed && scanner.Position == pattern.Length && result is [var single] ? single : null;
    }

    /// <summary>
    /// Literals (at least three characters each, compared ignoring ASCII case) of which every match contains one, or
    /// null when none can be named with certainty. <paramref name="caseSensitive"/>: the expression is compiled without
    /// <see cref="System.Text.RegularExpressions.RegexOptions.IgnoreCase"/> (an inline <c>(?i)</c> is still honoured).
    /// </summary>
    public static string[]? RequiredAnyOf(string pattern, bool caseSensitive)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var scanner = new Scanner(pattern, ignoreCase: !caseSensitive, caseVariants: true);
        var result = scanner.Alternation();
        if (scanner.Failed || scanner.Position != pattern.Length)
        {
            return null;
        }

        return result is null ? null : [.. result.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// ASCII letters and digits and a few punctuation marks, whose regex matches (ignoring case or not) are among their
    /// ordinal-ignore-case matches, once 'k' and 's' are also looked for as their non-ASCII case variants (see
    /// <see cref="CaseVariants"/>). Ignoring case, 'i' has culture-dependent variants in the regex tables and breaks runs.
    /// </summary>
    private static bool IsSafe(char c, bool ignoreCase, bool caseVariants) =>
        (char.IsAsciiLetter(c) && !(ignoreCase && (c is 'i' or 'I' || (!caseVariants && c is 'k' or 'K' or 's' or 'S'))))
        || char.IsAsciiDigit(c)
        || c is '/' or '-' or '_' or '=' or ':' or '%' or '\'' or '"' or '<' or '>' or ',' or ';' or '@' or '!' or '&' or '~';

    /// <summary>
    /// A run as the prefilter must look for it when the expression ignores case: the regex engine also matches 'k' to
    /// the Kelvin sign (U+212A) and 's' to the long s (U+017F), which ordinal-ignore-case comparison does not equate.
    /// The longest piece between such letters when it is long enough (ASCII keeps the prefilter vectorised); else, with
    /// at most three such letters, every combination of their variants.
    /// </summary>
    private static List<string> CaseVariants(string run)
    {
        var positions = new List<int>();
        for (var i = 0; i < run.Length; i++)
        {
            if (run[i] is 'k' or 'K' or 's' or 'S')
            {
                positions.Add(i);
            }
        }

        if (positions.Count == 0)
        {
            return [run];
        }

        var longest = string.Empty;
        var start = 0;
        foreach (var end in positions.Append(run.Length))
        {
            if (end - start > longest.Length)
            {
                longest = run[start..end];
            }

            start = end + 1;
        }

        if (longest.Length >= MinimumLength)
        {
            return [longest];
        }

        if (positions.Count > 3)
        {
            return [];
        }

        var variants = new List<string>();
        for (var combination = 0; combination < 1 << positions.Count; combination++)
        {
            var chars = run.ToCharArray();
            for (var bit = 0; bit < positions.Count; bit++)
            {
                if ((combination & (1 << bit)) != 0)
                {
                    var position = positions[bit];
                    chars[position] = chars[position] is 'k' or 'K' ? '\u212A' : '\u017F';
                }
            }

            variants.Add(new string(chars));
        }

        return variants;
    }

    /// <summary>The better of two required sets: the larger shortest literal, then fewer literals, then the first.</summary>
    private static List<string>? Better(List<string>? current, List<string>? candidate)
    {
        if (candidate is null || candidate.Count == 0 || candidate.Count > MaximumAlternatives)
        {
            return current;
        }

        if (current is null)
        {
            return candidate;
        }

        var currentShortest = current.Min(l => l.Length);
        var candidateShortest = candidate.Min(l => l.Length);
        if (candidateShortest != currentShortest)
        {
            return candidateShortest > currentShortest ? candidate : current;
        }

        return candidate.Count < current.Count ? candidate : current;
    }

    private sealed class Scanner(string pattern, bool ignoreCase, bool caseVariants)
    {
        public int Position { get; private set; }

        public bool Failed { get; private set; }

        /// <summary>Branches up to the end or the closing parenthesis of the current group (not consumed).</summary>
        public List<string>? Alternation()
        {
            var union = new List<string>();
            var known = true;
            while (true)
            {
                var branch = Sequence();
                if (branch is null)
                {
                    known = false;
                }
                else if (known)
                {
                    union.AddRange(branch);
                }

                if (Position < pattern.Length && pattern[Position] == '|')
                {
                    Position++;
                    continue;
                }

                return known && union.Count <= MaximumAlternatives ? union : null;
            }
        }

        /// <summary>One branch: the best required set among its literal runs and required groups, or null.</summary>
        private List<string>? Sequence()
        {
            List<string>? best = null;
            var run = new StringBuilder();
            while (Position < pattern.Length && !Failed)
            {
                var c = pattern[Position];
                if (c is '|' or ')')
                {
                    break;
                }

                switch (c)
                {
                    case '\\':
                        EndRun();
                        SkipEscape();
                        break;
                    case '[':
                        EndRun();
                        SkipClass();
                        break;
                    case '(':
                        EndRun();
                        var group = Group();
                        if (!Quantified(out var mayBeAbsent) || !mayBeAbsent)
                        {
                            best = Better(best, group);
                        }

                        break;
                    case '?' or '*' or '{':
                        // The quantified character may be absent (or, for {n}, repeated from an unknown count).
                        if (run.Length > 0)
                        {
                            run.Length--;
                        }

                        EndRun();
                        SkipQuantifier();
                        break;
                    case '+':
                        EndRun();
                        Position++;
                        break;
                    default:
                        if (IsSafe(c, ignoreCase, caseVariants))
                        {
                            run.Append(c);
                        }
                        else
                        {
                            EndRun();
                        }

                        Position++;
                        break;
                }
            }

            EndRun();
            return best;

            void EndRun()
            {
                if (run.Length >= MinimumLength)
                {
                    best = Better(best, ignoreCase && caseVariants ? CaseVariants(run.ToString()) : [run.ToString()]);
                }

                run.Clear();
            }
        }

        /// <summary>A parenthesised construct; its required set when every match of it contains one of the set.</summary>
        private List<string>? Group()
        {
            Position++;
            if (Position < pattern.Length && pattern[Position] == '?')
            {
                Position++;
                if (Position >= pattern.Length)
                {
                    Failed = true;
                    return null;
                }

                var kind = pattern[Position];
                if (kind == '#')
                {
                    // A comment runs to the first closing parenthesis, whatever it contains.
                    var close = pattern.IndexOf(')', Position);
                    if (close < 0)
                    {
                        Failed = true;
                        return null;
                    }

                    Position = close + 1;
                    return null;
                }

                if (kind == ':')
                {
                    Position++;
                    return Inner(required: true);
                }

                if (kind is '=' or '!' or '>')
                {
                    // Lookahead or atomic group (kept simple): contributes nothing.
                    Position++;
                    return Inner(required: false);
                }

                if (kind == '(')
                {
                    // Conditional: its condition is the group that follows, then yes|no branches; contributes nothing.
                    return Inner(required: false);
                }

                if (kind is '<' or '\'')
                {
                    var next = Position + 1 < pattern.Length ? pattern[Position + 1] : '\0';
                    if (kind == '<' && next is '=' or '!')
                    {
                        Position += 2;
                        return Inner(required: false);
                    }

                    // A named (or balancing) group: its name runs to the closing '>' or quote.
                    var close = pattern.IndexOf(kind == '<' ? '>' : '\'', Position + 1);
                    if (close < 0)
                    {
                        Failed = true;
                        return null;
                    }

                    Position = close + 1;
                    return Inner(required: true);
                }

                // Inline options: (?imnsx-imnsx) or (?imnsx-imnsx:...). With x, whitespace and '#' change meaning.
                var start = Position;
                while (Position < pattern.Length && pattern[Position] is 'i' or 'm' or 'n' or 's' or 'x' or '-')
                {
                    Position++;
                }

                if (Position >= pattern.Length)
                {
                    Failed = true;
                    return null;
                }

                var options = pattern.AsSpan(start, Position - start);
                var minus = options.IndexOf('-');
                var enabled = minus < 0 ? options : options[..minus];
                if (enabled.Contains('x'))
                {
                    Failed = true;
                    return null;
                }

                // Case-insensitive from here on; kept for the rest of the scan, which only makes it stricter.
                ignoreCase |= enabled.Contains('i');

                if (pattern[Position] == ')')
                {
                    Position++;
                    return null;
                }

                if (pattern[Position] != ':')
                {
                    Failed = true;
                    return null;
                }

                Position++;
                return Inner(required: true);
            }

            return Inner(required: true);
        }

        private List<string>? Inner(bool required)
        {
            var inner = Alternation();
            if (Position >= pattern.Length || pattern[Position] != ')')
            {
                Failed = true;
                return null;
            }

            Position++;
            return required ? inner : null;
        }

        /// <summary>Consumes a quantifier after a group; <paramref name="mayBeAbsent"/> when it allows zero repetitions.</summary>
        private bool Quantified(out bool mayBeAbsent)
        {
            mayBeAbsent = false;
            if (Position >= pattern.Length)
            {
                return false;
            }

            switch (pattern[Position])
            {
                case '+':
                    Position++;
                    SkipLazy();
                    return true;
                case '?' or '*':
                    mayBeAbsent = true;
                    Position++;
                    SkipLazy();
                    return true;
                case '{':
                    // {n}, {n,} or {n,m}: required only when n is at least one; anything unclear counts as optional.
                    var close = pattern.IndexOf('}', Position);
                    var body = close < 0 ? ReadOnlySpan<char>.Empty : pattern.AsSpan(Position + 1, close - Position - 1);
                    var comma = body.IndexOf(',');
                    var least = comma < 0 ? body : body[..comma];
                    mayBeAbsent = !int.TryParse(least, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1;
                    SkipQuantifier();
                    return true;
                default:
                    return false;
            }
        }

        private void SkipQuantifier()
        {
            if (pattern[Position] == '{')
            {
                var close = pattern.IndexOf('}', Position);
                if (close > Position && IsCounted(pattern.AsSpan(Position + 1, close - Position - 1)))
                {
                    Position = close + 1;
                    SkipLazy();
                    return;
                }

                // Not a quantifier: a literal '{', which breaks the run like any other unsafe character.
                Position++;
                return;
            }

            Position++;
            SkipLazy();
        }

        private void SkipLazy()
        {
            if (Position < pattern.Length && pattern[Position] == '?')
            {
                Position++;
            }
        }

        private static bool IsCounted(ReadOnlySpan<char> body) =>
            body.Length > 0 && char.IsAsciiDigit(body[0]) && !body.ContainsAnyExcept(CountCharacters);

        private void SkipEscape()
        {
            Position++;
            if (Position >= pattern.Length)
            {
                Failed = true;
                return;
            }

            var c = pattern[Position];
            Position++;
            switch (c)
            {
                case 'p' or 'P' or 'k' when Position < pattern.Length && pattern[Position] is '{' or '<' or '\'':
                    var close = pattern[Position] switch
                    {
                        '{' => '}',
                        '<' => '>',
                        _ => '\'',
                    };
                    var end = pattern.IndexOf(close, Position + 1);
                    if (end < 0)
                    {
                        Failed = true;
                        return;
                    }

                    Position = end + 1;
                    break;
                case 'x':
                    Position = Math.Min(Position + 2, pattern.Length);
                    break;
                case 'u':
                    Position = Math.Min(Position + 4, pattern.Length);
                    break;
                case 'c':
                    Position = Math.Min(Position + 1, pattern.Length);
                    break;
                case >= '0' and <= '9':
                    // Octal escapes and numbered backreferences.
                    while (Position < pattern.Length && char.IsAsciiDigit(pattern[Position]))
                    {
                        Position++;
                    }

                    break;
            }
        }

        private void SkipClass()
        {
            // '[' then an optional '^', then a ']' right there is a literal; escapes and nested subtraction classes.
            var i = Position + 1;
            if (i < pattern.Length && pattern[i] == '^')
            {
                i++;
            }

            if (i < pattern.Length && pattern[i] == ']')
            {
                i++;
            }

            for (; i < pattern.Length; i++)
            {
                if (pattern[i] == '\\')
                {
                    i++;
                }
                else if (pattern[i] == '[' && pattern[i - 1] == '-')
                {
                    Position = i;
                    SkipClass();
                    if (Failed)
                    {
                        return;
                    }

                    i = Position - 1;
                }
                else if (pattern[i] == ']')
                {
                    Position = i + 1;
                    return;
                }
            }

            Failed = true;
        }
    }
}
