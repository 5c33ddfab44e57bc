namespace Ctdr.Application.Common;

/// <summary>Builds SQL LIKE patterns from user text, so that <c>%</c>, <c>_</c> and <c>[</c> match literally.</summary>
public static class LikePatterns
{
    /// <summary>The escape character to pass to <c>EF.Functions.Like</c> with these patterns.</summary>
    public const string Escape = "\\";

    /// <summary>A pattern matching any text that contains <paramref name="text"/>.</summary>
    public static string Contains(string text) => "%" + EscapeText(text) + "%";

    /// <summary>A pattern matching any text that starts with <paramref name="text"/>.</summary>
    public static string StartsWith(string text) => EscapeText(text) + "%";

    /// <summary>A pattern matching any text that ends with <paramref name="text"/>.</summary>
    public static string EndsWith(string text) => "%" + EscapeText(text);

    private static string EscapeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal);
    }
}
