using System.Text;

namespace Ctdr.Application.Detection.Text;

internal enum TokenKind
{
    Word,
    String,
    Symbol,
    End,
}

/// <summary>A token of rule text. For strings, <see cref="Text"/> is the unescaped value; <see cref="Length"/> is the source length.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, int Length)
{
    public bool IsWord(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.Ordinal);

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && string.Equals(Text, symbol, StringComparison.Ordinal);

    public TextPosition Position => new(Line, Column);

    public Token EndOf() => new(TokenKind.End, string.Empty, Line, Column + Length, 0);

    /// <summary>How messages name the token.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the line",
        TokenKind.String => "the string " + RuleLexer.Quote(Text.Length > 40 ? Text[..40] + "…" : Text),
        _ => "'" + Text + "'",
    };
}

internal readonly record struct TextPosition(int Line, int Column);

/// <summary>One line of the source, without its line break.</summary>
internal sealed record SourceLine(int Number, string Text);

/// <summary>Splits rule text into lines and lines into tokens.</summary>
internal static class RuleLexer
{
    public static bool IsWordChar(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && c is not ('(' or ')' or ',' or ':' or '=' or '!' or '<' or '>' or '"' or '#');

    public static bool IsIntegerLiteral(string text)
    {
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    public static IReadOnlyList<SourceLine> SplitLines(string text)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var parts = text.Split('\n');
        var lines = new List<SourceLine>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            lines.Add(new SourceLine(i + 1, parts[i].EndsWith('\r') ? parts[i][..^1] : parts[i]));
        }

        return lines;
    }

    /// <summary>True for a line holding only spaces or a comment.</summary>
    public static bool IsBlank(string line)
    {
        foreach (var c in line)
        {
            if (c == '#')
            {
                return true;
            }

            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends the tokens of <paramref name="line"/> from <paramref name="start"/>; returns the first error, if any.</summary>
    public static RuleTextError? Lex(SourceLine line, int start, List<Token> tokens)
    {
        var text = line.Text;
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                break;
            }

            var column = i + 1;
            switch (c)
            {
                case '"':
                    var error = LexString(line, i, tokens, out i);
                    if (error is not null)
                    {
                        return error;
                    }

                    break;
                case '(' or ')' or ',' or ':' or '=':
                    tokens.Add(new Token(TokenKind.Symbol, c.ToString(), line.Number, column, 1));
                    i++;
                    break;
                case '!' or '<' or '>':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        tokens.Add(new Token(TokenKind.Symbol, text.Substring(i, 2), line.Number, column, 2));
                        i += 2;
                    }
                    else if (c == '!')
                    {
                        return new RuleTextError(line.Number, column, "unexpected '!' (did you mean '!='?)");
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Symbol, c.ToString(), line.Number, column, 1));
                        i++;
                    }

                    break;
                default:
                    if (!IsWordChar(c))
                    {
                        return new RuleTextError(line.Number, column, $"unexpected character U+{(int)c:X4}");
                    }

                    var end = i;
                    while (end < text.Length && IsWordChar(text[end]))
                    {
                        end++;
                    }

                    tokens.Add(new Token(TokenKind.Word, text[i..end], line.Number, column, end - i));
                    i = end;
                    break;
            }
        }

        return null;
    }

    private static RuleTextError? LexString(SourceLine line, int start, List<Token> tokens, out int next)
    {
        var text = line.Text;
        var value = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                tokens.Add(new Token(TokenKind.String, value.ToString(), line.Number, start + 1, i + 1 - start));
                next = i + 1;
                return null;
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    break;
                }

                var escaped = text[i + 1] switch
                {
                    '"' => '"',
                    '\\' => '\\',
                    'n' => '\n',
                    't' => '\t',
                    _ => '\0',
                };
                if (escaped == '\0')
                {
                    next = i;
                    return new RuleTextError(
                        line.Number,
                        i + 1,
                        $"unknown escape '\\{text[i + 1]}' in a string: use \\\" \\\\ \\n or \\t (a backslash is written \\\\)");
                }

                value.Append(escaped);
                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }

        next = text.Length;
        return new RuleTextError(line.Number, start + 1, "unterminated string: a string ends with \" on the same line");
    }

    /// <summary>A string literal: the text in double quotes with \ " and line breaks escaped.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }
}
