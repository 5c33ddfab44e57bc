using System.Text.RegularExpressions;
using Ctdr.Application.Common;

namespace Ctdr.Application.Events;

/// <summary>The rules for analysts' tags on events: lower-case words of letters, digits and <c>. _ : -</c>, at most 20 per event.</summary>
public static partial class EventTags
{
    public const int MaxTags = 20;
    public const int MaxLength = 32;

    /// <summary>Trims, lower-cases, removes duplicates and sorts; refuses tags outside the rules with a message naming them.</summary>
    public static (Result Outcome, IReadOnlyList<string> Tags) Normalize(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var normalized = new SortedSet<string>(StringComparer.Ordinal);
        var bad = new List<string>();
        foreach (var raw in tags)
        {
            var tag = (raw ?? string.Empty).Trim().ToLowerInvariant();
            if (tag.Length == 0)
            {
                continue;
            }

            if (tag.Length > MaxLength || !TagPattern().IsMatch(tag))
            {
                bad.Add(raw!.Trim());
                continue;
            }

            normalized.Add(tag);
        }

        if (bad.Count > 0)
        {
            return (Result.Invalid("Tags", $"Tags are 1–{Invariant.Text(MaxLength)} letters, digits or . _ : - (not: {string.Join(", ", bad)})."), []);
        }

        if (normalized.Count > MaxTags)
        {
            return (Result.Invalid("Tags", $"At most {Invariant.Text(MaxTags)} tags per event."), []);
        }

        return (Result.Ok(), [.. normalized]);
    }

    /// <summary>The stored form: ",a,b," (empty when there is no tag), so that <c>Contains(",tag,")</c> matches whole tags.</summary>
    public static string Format(IReadOnlyCollection<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.Count == 0 ? string.Empty : "," + string.Join(",", tags) + ",";
    }

    public static IReadOnlyList<string> Parse(string stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Splits what an analyst typed: tags separated by commas or spaces.</summary>
    public static IReadOnlyList<string> Split(string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? [] : typed.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex("^[a-z0-9][a-z0-9._:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
