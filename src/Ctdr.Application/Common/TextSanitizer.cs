using System.Text;

namespace Ctdr.Application.Common;

/// <summary>
/// Makes user- or attacker-supplied text safe to store and show as plain text: control characters removed
/// (line breaks become spaces), whitespace trimmed, length capped. Rendering still encodes it.
/// </summary>
public static class TextSanitizer
{
    public static string Clean(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength));
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value is '\r' or '\n' or '\t')
            {
                builder.Append(' ');
            }
            else if (category is System.Globalization.UnicodeCategory.Control
                     or System.Globalization.UnicodeCategory.Format
                     or System.Globalization.UnicodeCategory.Surrogate
                     or System.Globalization.UnicodeCategory.PrivateUse
                     or System.Globalization.UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        var cleaned = builder.ToString().Trim();
        if (cleaned.Length <= maxLength)
        {
            return cleaned;
        }

        // Cut on a character boundary and mark the cut so a reader knows text is missing.
        var cut = maxLength - 1;
        if (cut > 0 && char.IsHighSurrogate(cleaned[cut - 1]))
        {
            cut--;
        }

        return string.Concat(cleaned.AsSpan(0, cut), "…");
    }

    public static string? CleanOrNull(string? text, int maxLength)
    {
        var cleaned = Clean(text, maxLength);
        return cleaned.Length == 0 ? null : cleaned;
    }
}
