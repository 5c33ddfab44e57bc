namespace Ctdr.Application.Detection.Engine;

/// <summary>
/// Finds a literal that every match of a regular expression contains, cheaply and conservatively, so that a
/// multi-literal prefilter can skip the expression on records without it.
/// </summary>
internal static class RegexLiterals
{
    private const int MinimumLength = 3;

    /// <summary>The longest required literal of at least three characters, or null when none is certain.</summary>
    public static string? Required(string pattern)
    {
        // Alternation anywhere makes every literal optional; not worth analysing.
        if (pattern.Contains('|', StringComparison.Ordinal))
        {
            return null;
        }

        string? best = null;
        var run = new System.Text.StringBuilder();
        var depth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    End();
                    i++;
                    break;
                case '[':
                    End();
                    i = SkipClass(pattern, i);
                    break;
                case '(':
                    End();
                    depth++;
                    break;
                case ')':
                    End();
                    depth--;
                    break;
                case '?' or '*' or '{':
                    // The quantified character may be absent.
                    if (run.Length > 0)
                    {
                        run.Length--;
                    }

                    End();
                    break;
                case '+':
                    End();
                    break;
                default:
                    if (depth == 0 && IsSafe(c))
                    {
                        run.Append(c);
                    }
                    else
                    {
                        End();
                    }

                    break;
            }
        }

        End();
        return best;

        void End()
        {
            if (run.Length >= MinimumLength && run.Length > (best?.Length ?? 0))
            {
                best = run.ToString();
            }

            run.Clear();
        }
    }

    /// <summary>
    /// ASCII letters and digits and a few punctuation marks, whose case-insensitive regex matches are exactly their
    /// ordinal-ignore-case matches ('k', 's' and 'i' have non-ASCII case variants in the regex tables, so they break runs).
    /// </summary>
    private static bool IsSafe(char c) =>
        (char.IsAsciiLetter(c) && c is not ('k' or 'K' or 's' or 'S' or 'i' or 'I'))
        || char.IsAsciiDigit(c)
        || c is '/' or '-' or '_' or '=' or ':' or '%' or '\'' or '"' or '<' or '>' or ',' or ';' or '@' or '!' or '&' or '~';

    private static int SkipClass(string pattern, int start)
    {
        for (var i = start + 1; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ']' && i > start + 1)
            {
                return i;
            }
        }

        return pattern.Length;
    }
}
