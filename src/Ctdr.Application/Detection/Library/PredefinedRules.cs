using System.Globalization;
using System.Text;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Detection.Library;

/// <summary>
/// The predefined detection rules: the <c>*.rules</c> files embedded in this assembly (one per product family),
/// written in the rule text syntax (docs/rules.md) and parsed once, on first use.
/// </summary>
public static class PredefinedRules
{
    private const string ResourcePrefix = "Ctdr.Application.Detection.Library.";
    private const string ResourceSuffix = ".rules";

    private static readonly Lazy<Library> Loaded = new(Load);

    /// <summary>Every predefined rule, in file order (files by name), then in the order written.</summary>
    public static IReadOnlyList<RuleDefinition> All => Loaded.Value.Rules;

    /// <summary>The library files (e.g. <c>alibaba-waf.rules</c>) and the ids of the rules each holds.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Files => Loaded.Value.Files;

    /// <summary>The predefined rule with the given id, or null.</summary>
    public static RuleDefinition? Find(string id) => Loaded.Value.ById.GetValueOrDefault(id);

    /// <summary>
    /// Parses one library file. The library is part of the product, so any error in it is a bug: this throws
    /// <see cref="InvalidOperationException"/> naming the file, line and column.
    /// </summary>
    public static IReadOnlyList<RuleDefinition> ParseFile(string fileName, string text)
    {
        var result = RuleText.Parse(text);
        if (result.Errors.Count > 0)
        {
            var first = result.Errors[0];
            var more = result.Errors.Count > 1
                ? string.Create(CultureInfo.InvariantCulture, $" (and {result.Errors.Count - 1} more error(s))")
                : string.Empty;
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Predefined rule file {fileName}, line {first.Line}, column {first.Column}: {first.Message}{more}"));
        }

        if (result.Rules.Count == 0)
        {
            throw new InvalidOperationException($"Predefined rule file {fileName} holds no rules.");
        }

        return result.Rules;
    }

    private static Library Load()
    {
        var assembly = typeof(PredefinedRules).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException("No predefined rule files are embedded in " + assembly.GetName().Name + ".");
        }

        var rules = new List<RuleDefinition>();
        var byId = new Dictionary<string, RuleDefinition>(StringComparer.Ordinal);
        var files = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var fileName = name[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var parsed = ParseFile(fileName, reader.ReadToEnd());
            foreach (var rule in parsed)
            {
                if (!byId.TryAdd(rule.Id, rule))
                {
                    throw new InvalidOperationException($"Predefined rule id '{rule.Id}' in {fileName} is already used by another rule.");
                }
            }

            rules.AddRange(parsed);
            files.Add(fileName, [.. parsed.Select(r => r.Id)]);
        }

        return new Library(rules, byId, files);
    }

    private sealed record Library(
        IReadOnlyList<RuleDefinition> Rules,
        IReadOnlyDictionary<string, RuleDefinition> ById,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Files);
}
