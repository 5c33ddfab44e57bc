namespace Ctdr.Application.Detection.Text;

/// <summary>A syntax error at a token; caught at the statement that contains it.</summary>
internal sealed class RuleSyntaxException(TextPosition position, string message) : Exception(message)
{
    public TextPosition Position { get; } = position;

    public RuleTextError ToError() => new(Position.Line, Position.Column, Message);
}

/// <summary>Reads the tokens of one statement (or one condition).</summary>
internal sealed class TokenReader(IReadOnlyList<Token> tokens, Token end)
{
    private int index;

    public Token Peek => index < tokens.Count ? tokens[index] : end;

    public Token Previous => index > 0 ? tokens[index - 1] : end;

    public bool AtEnd => index >= tokens.Count;

    public Token Next()
    {
        var token = Peek;
        if (index < tokens.Count)
        {
            index++;
        }

        return token;
    }

    public bool TryWord(string word)
    {
        if (!Peek.IsWord(word))
        {
            return false;
        }

        index++;
        return true;
    }

    public bool TrySymbol(string symbol)
    {
        if (!Peek.IsSymbol(symbol))
        {
            return false;
        }

        index++;
        return true;
    }

    public void ExpectSymbol(string symbol, string message)
    {
        if (!TrySymbol(symbol))
        {
            throw Fail(Peek, message + ", found " + Peek.Describe());
        }
    }

    public void ExpectWord(string word, string message)
    {
        if (!TryWord(word))
        {
            throw Fail(Peek, message + ", found " + Peek.Describe());
        }
    }

    public void ExpectEnd(string after)
    {
        if (!AtEnd)
        {
            throw Fail(Peek, $"unexpected {Peek.Describe()} after {after}");
        }
    }

    public static RuleSyntaxException Fail(Token at, string message) => new(at.Position, message);
}
