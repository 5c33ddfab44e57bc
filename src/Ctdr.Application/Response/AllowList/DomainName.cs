using System.Globalization;

namespace Ctdr.Application.Response.AllowList;

/// <summary>
/// Domain names as the allow-list keeps them: lower-case ASCII, internationalised names as punycode
/// (<c>bücher.example</c> → <c>xn--bcher-kva.example</c>), no trailing dot; a leading <c>*.</c> makes a wildcard
/// that matches every subdomain at any depth but not the name itself.
/// </summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>
    /// The normalised name, or false with a message. <paramref name="allowWildcard"/> admits <c>*.example.com</c>
    /// (at least two labels after the star, so <c>*.com</c> is refused as too broad).
    /// </summary>
    public static bool TryNormalize(string? text, bool allowWildcard, out string normalized, out string? error)
    {
        normalized = string.Empty;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }

        var wildcard = allowWildcard && value.StartsWith("*.", StringComparison.Ordinal);
        var name = wildcard ? value[2..] : value;
        if (name.Length == 0)
        {
            error = "Give a domain name.";
            return false;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = $"'{value}' is not a domain name: use letters, digits and hyphens in labels separated by dots, e.g. shop.example.com{(allowWildcard ? " or *.example.com" : string.Empty)}.";
            return false;
        }

        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-' || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            error = $"'{value}' is not a domain name: use letters, digits and hyphens in labels separated by dots, e.g. shop.example.com{(allowWildcard ? " or *.example.com" : string.Empty)}.";
            return false;
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            error = $"'{value}' is not a domain name: its last label is a number.";
            return false;
        }

        if (labels.Length < 2)
        {
            error = wildcard
                ? $"'{value}' is too broad: a wildcard needs at least two labels after '*.', e.g. *.example.com."
                : $"'{value}' is not a fully qualified domain name: give at least two labels, e.g. example.com.";
            return false;
        }

        normalized = wildcard ? "*." + ascii : ascii;
        return true;
    }
}
