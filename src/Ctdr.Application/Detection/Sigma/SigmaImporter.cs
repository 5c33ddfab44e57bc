using System.Globalization;
using System.Text;
using Ctdr.Application.LogSources;
using Ctdr.Application.Detection.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ctdr.Application.Detection.Sigma;

/// <summary>A Sigma file to import: its name (shown in the report) and its YAML text (one or more documents).</summary>
public sealed record SigmaFile(string Name, string Yaml);

/// <summary>A Sigma rule translated completely into a Ctdr rule.</summary>
/// <param name="SigmaId">The rule's Sigma <c>id</c> as written, null when it has none.</param>
public sealed record SigmaImportedRule(string File, string? SigmaId, RuleDefinition Rule);

/// <summary>A Sigma rule (or a whole file, for YAML syntax errors) that was not imported, and why.</summary>
/// <param name="Rule">The rule's title, else its id, else "document N" (or the file name for a syntax error).</param>
public sealed record SigmaRefusal(string File, string Rule, string Reason);

/// <summary>What an import did with each Sigma rule, in file and document order.</summary>
public sealed record SigmaImportReport(ValueList<SigmaImportedRule> Imported, ValueList<SigmaRefusal> Refused);

/// <summary>
/// Translates Sigma rules (detection rules and correlation rules) into <see cref="RuleDefinition"/>s. A rule is
/// translated completely or refused with a reason; a correlation whose base rule is refused is refused too.
/// </summary>
public static class SigmaImporter
{
    public const int MaxTitleLength = RuleValidator.MaxTitleLength;
    public const int MaxKeyLength = RuleValidator.MaxIdLength;

    private static readonly string[] Levels = ["informational", "low", "medium", "high", "critical"];

    public static SigmaImportReport Import(IReadOnlyList<SigmaFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var imported = new List<SigmaImportedRule>();
        var refused = new List<SigmaRefusal>();
        var docs = new List<Doc>();

        foreach (var file in files)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(file.Yaml));
            }
            catch (YamlException e)
            {
                refused.Add(new(file.Name, file.Name, SyntaxError(e)));
                continue;
            }

            var number = 0;
            foreach (var document in stream.Documents)
            {
                number++;
                if (document.RootNode.IsNull())
                {
                    continue;
                }

                docs.Add(new Doc(file.Name, number, document.RootNode as YamlMappingNode));
            }
        }

        foreach (var doc in docs)
        {
            Classify(doc);
        }

        var lookup = docs.Where(d => d.Root is not null)
            .SelectMany(d => new[] { d.SigmaId, d.Name }.OfType<string>().Distinct(StringComparer.Ordinal).Select(key => (key, d)))
            .ToLookup(x => x.key, x => x.d, StringComparer.Ordinal);
        foreach (var doc in docs.Where(d => d.IsCorrelation && d.Refusal is null))
        {
            MarkReferences(doc, lookup);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            if (doc.Refusal is null && !doc.IsCorrelation && doc.Referenced && !doc.Generated)
            {
                continue;
            }

            try
            {
                if (doc.Refusal is not null)
                {
                    throw new SigmaRefusedException(doc.Refusal);
                }

                var rule = doc.IsCorrelation ? Correlation(doc, lookup) : Standalone(doc);
                rule = rule with { Id = UniqueKey(rule.Id, keys) };
                Validate(rule);
                imported.Add(new(doc.File, doc.SigmaId, rule));
            }
            catch (SigmaRefusedException e)
            {
                refused.Add(new(doc.File, doc.Label, e.Message));
            }
        }

        return new(imported.ToValueList(), refused.ToValueList());
    }

    private static string SyntaxError(YamlException e)
    {
        // YamlDotNet prefixes its message with the marks; the report states them in words.
        var message = e.Message;
        var end = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && end > 0)
        {
            message = message[(end + 3)..];
        }

        return string.Create(CultureInfo.InvariantCulture, $"YAML syntax error at line {e.Start.Line}, column {e.Start.Column}: {message}");
    }

    /// <summary>Reads a document's identity and translates a detection rule's logsource and detection.</summary>
    private static void Classify(Doc doc)
    {
        if (doc.Root is null)
        {
            doc.Refusal = "a Sigma rule must be a YAML map";
            return;
        }

        try
        {
            doc.Title = doc.Root.Text("title");
            doc.SigmaId = doc.Root.Text("id");
            doc.Name = doc.Root.Text("name");
        }
        catch (SigmaRefusedException e)
        {
            doc.Refusal = e.Message;
            return;
        }

        doc.IsCorrelation = doc.Root.Get("correlation") is not null;
        try
        {
            if (doc.IsCorrelation)
            {
                return;
            }

            if (doc.Root.Get("action") is not null)
            {
                throw new SigmaRefusedException("Sigma 1 rule collections ('action: global/reset/repeat') are not supported; write each rule as its own document");
            }

            if (doc.Root.Get("filter") is not null)
            {
                throw new SigmaRefusedException("Sigma filters are not supported");
            }

            var detection = doc.Root.Map("detection") ?? throw new SigmaRefusedException("the rule has neither 'detection' nor 'correlation'");
            var logsource = doc.Root.Map("logsource") ?? throw new SigmaRefusedException("'logsource' is missing");
            var source = SigmaFieldMap.Resolve(logsource.Text("category"), logsource.Text("product"), logsource.Text("service"));
            doc.Translated = new Translated(Detection(detection, source), source);
        }
        catch (SigmaRefusedException e)
        {
            doc.Refusal = e.Message;
        }
    }

    private static RuleCondition Detection(YamlMappingNode detection, SigmaLogSourceMapping source)
    {
        var conditionNode = detection.Get("condition");
        var conditions = conditionNode switch
        {
            YamlScalarNode scalar when !scalar.IsNull() => [scalar.Value ?? string.Empty],
            YamlSequenceNode list when list.Children.Count > 0 && list.Children.All(c => c is YamlScalarNode) =>
                list.Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty).ToList(),
            _ => throw new SigmaRefusedException("'detection' has no 'condition'"),
        };

        var identifiers = new List<string>();
        var nodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in detection.Children)
        {
            var name = key.KeyText();
            if (name is "condition" or "timeframe")
            {
                continue;
            }

            identifiers.Add(name);
            nodes[name] = value;
        }

        var translator = new SigmaDetection(source);
        var cache = new Dictionary<string, RuleCondition>(StringComparer.Ordinal);
        RuleCondition Resolve(string identifier)
        {
            if (!cache.TryGetValue(identifier, out var condition))
            {
                condition = translator.Translate(identifier, nodes[identifier]);
                cache[identifier] = condition;
            }

            return condition;
        }

        return SigmaDetection.Or(conditions.Select(c => SigmaCondition.Parse(c, identifiers, Resolve)));
    }

    private static void MarkReferences(Doc correlation, ILookup<string, Doc> lookup)
    {
        try
        {
            var section = correlation.Root!.Map("correlation") ?? throw new SigmaRefusedException("'correlation' is empty");
            var generate = Generate(correlation.Root!, section);
            foreach (var reference in section.Texts("rules"))
            {
                if (Find(reference, lookup) is { IsCorrelation: false } target)
                {
                    target.Referenced = true;
                    target.Generated |= generate;
                }
            }
        }
        catch (SigmaRefusedException e)
        {
            correlation.Refusal = e.Message;
        }
    }

    private static bool Generate(YamlMappingNode root, YamlMappingNode section)
    {
        var node = root.Get("generate") ?? section.Get("generate");
        if (node.IsNull())
        {
            return false;
        }

        return node.IsBoolean(out var value) ? value : throw new SigmaRefusedException("'generate' must be true or false");
    }

    private static Doc? Find(string reference, ILookup<string, Doc> lookup)
    {
        var found = lookup[reference].Distinct().ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new SigmaRefusedException($"referenced rule '{reference}' is ambiguous: {found.Count} rules have that id or name"),
        };
    }

    private static RuleDefinition Standalone(Doc doc) =>
        Metadata(doc, doc.Translated!.Source.Products) with { Condition = doc.Translated.Condition };

    private static RuleDefinition Correlation(Doc doc, ILookup<string, Doc> lookup)
    {
        var section = doc.Root!.Map("correlation") ?? throw new SigmaRefusedException("'correlation' is empty");
        var type = section.Text("type") ?? throw new SigmaRefusedException("correlation 'type' is missing");
        var references = section.Texts("rules");
        if (references.Count == 0)
        {
            throw new SigmaRefusedException("correlation 'rules' is missing");
        }

        var bases = new List<Doc>();
        foreach (var reference in references)
        {
            var target = Find(reference, lookup) ?? throw new SigmaRefusedException($"referenced rule '{reference}' not found");
            if (target.IsCorrelation)
            {
                throw new SigmaRefusedException($"referenced rule '{reference}' is a correlation rule; chained correlations are not supported");
            }

            if (target.Refusal is not null)
            {
                throw new SigmaRefusedException($"referenced rule '{reference}' was refused: {target.Refusal}");
            }

            if (!bases.Contains(target))
            {
                bases.Add(target);
            }
        }

        var groupBy = section.Texts("group-by");
        if (groupBy.Count == 0)
        {
            throw new SigmaRefusedException("correlation 'group-by' is missing");
        }

        var window = Timespan(section.Text("timespan"));
        var aliases = section.Map("aliases");
        var by = groupBy.Select(g => Field(g, bases, aliases, "group-by")).ToValueList();
        var condition = section.Map("condition");
        var products = Union(bases.Select(b => b.Translated!.Source.Products));
        var rule = Metadata(doc, products);

        // Each referenced rule was written for its own logsource: when they differ, a rule's condition is kept to its
        // own products, or a test on a shared OCSF field (src_endpoint.ip) would match the other rules' logs too.
        var mixed = bases.Select(b => b.Translated!.Source.Products).Distinct().Count() > 1;
        RuleCondition Scoped(Doc b) => mixed && b.Translated!.Source.Products.Count > 0
            ? SigmaDetection.And([
                new FieldCondition("metadata.product.name", MatchOperator.Equals, b.Translated.Source.Products.Select(p => p.ToString()).ToValueList()),
                b.Translated.Condition])
            : b.Translated!.Condition;

        switch (type)
        {
            case "event_count":
            case "value_count":
            {
                if (condition is null)
                {
                    throw new SigmaRefusedException("correlation 'condition' is missing");
                }

                var distinct = type == "value_count"
                    ? Field(condition.Text("field") ?? section.Text("field") ?? throw new SigmaRefusedException("value_count needs 'field' in its condition"), bases, aliases, "value_count")
                    : null;
                var threshold = Threshold(condition);
                return rule with
                {
                    Condition = SigmaDetection.Or(bases.Select(Scoped)),
                    Aggregation = new Aggregation(by, window, distinct is null ? AggregateFunction.Count : AggregateFunction.DistinctCount, distinct, threshold),
                };
            }

            case "temporal":
            case "temporal_ordered":
            {
                if (bases.Count < 2)
                {
                    throw new SigmaRefusedException($"a {type} correlation needs at least two different referenced rules");
                }

                if (condition is not null && Threshold(condition) != bases.Count)
                {
                    throw new SigmaRefusedException(
                        $"a {type} correlation whose condition asks for fewer than all {bases.Count} referenced rules cannot be expressed");
                }

                var names = new HashSet<string>(StringComparer.Ordinal);
                var steps = bases.Select(b => new SequenceStep(UniqueKey(StepName(b), names), Scoped(b))).ToValueList();
                return rule with { Sequence = new Sequence(steps, by, window, type == "temporal_ordered") };
            }

            default:
                throw new SigmaRefusedException($"correlation type '{type}' is not supported (supported: event_count, value_count, temporal, temporal_ordered)");
        }
    }

    /// <summary>The Ctdr field a correlation's field (or alias) stands for; it must be one field, the same in every referenced rule.</summary>
    private static string Field(string name, List<Doc> bases, YamlMappingNode? aliases, string role)
    {
        var alias = aliases?.Map(name);
        var paths = new List<(Doc Rule, string Path)>();
        foreach (var rule in bases)
        {
            var field = name;
            if (alias is not null)
            {
                field = (rule.Name is null ? null : alias.Text(rule.Name)) ?? (rule.SigmaId is null ? null : alias.Text(rule.SigmaId))
                    ?? throw new SigmaRefusedException($"alias '{name}' names no field for the rule '{rule.Name ?? rule.Label}'");
            }

            var mapped = rule.Translated!.Source.Paths(field);
            if (mapped.Count != 1 || mapped[0] == SigmaFieldMap.SplitUri)
            {
                throw new SigmaRefusedException($"{role} field '{field}' is several fields for logsource {rule.Translated.Source.Describe()} and cannot be grouped on");
            }

            paths.Add((rule, mapped[0]));
        }

        var distinct = paths.Select(p => p.Path).Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1
            ? distinct[0]
            : throw new SigmaRefusedException(
                $"{role} field '{name}' is a different field in the referenced rules ({string.Join(", ", paths.Select(p => $"'{p.Path}' in '{p.Rule.Name ?? p.Rule.Label}'"))})");
    }

    private static long Threshold(YamlMappingNode condition)
    {
        long? threshold = null;
        foreach (var (keyNode, valueNode) in condition.Children)
        {
            var key = keyNode.KeyText();
            if (key == "field")
            {
                continue;
            }

            if (key is not ("gt" or "gte"))
            {
                throw new SigmaRefusedException($"correlation condition '{key}' cannot be evaluated on a stream");
            }

            if (threshold is not null)
            {
                throw new SigmaRefusedException("correlation condition has both 'gt' and 'gte'");
            }

            var text = (valueNode as YamlScalarNode)?.Value;
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new SigmaRefusedException($"correlation condition '{key}' needs a whole number, not '{text}'");
            }

            threshold = key == "gt" ? n + 1 : n;
        }

        return threshold ?? throw new SigmaRefusedException("correlation condition needs 'gt' or 'gte'");
    }

    private static TimeSpan Timespan(string? text)
    {
        if (text is { Length: >= 2 } && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }

        throw new SigmaRefusedException(text is null
            ? "correlation 'timespan' is missing"
            : $"correlation timespan '{text}' is not a duration (Xs, Xm, Xh or Xd)");
    }

    private static ValueList<LogProduct> Union(IEnumerable<ValueList<LogProduct>> sets)
    {
        var union = new List<LogProduct>();
        foreach (var set in sets)
        {
            if (set.Count == 0)
            {
                return ValueList<LogProduct>.Empty;
            }

            union.AddRange(set.Where(p => !union.Contains(p)));
        }

        return union.ToValueList();
    }

    /// <summary>The metadata of a rule document: key, title, description, severity, ATT&amp;CK, author, licence, references.</summary>
    private static RuleDefinition Metadata(Doc doc, ValueList<LogProduct> products)
    {
        var root = doc.Root!;
        var status = root.Text("status");
        if (status is "deprecated" or "unsupported")
        {
            throw new SigmaRefusedException($"status '{status}': deprecated and unsupported rules are not imported");
        }

        var title = doc.Title is null ? null : string.Join(' ', doc.Title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (string.IsNullOrEmpty(title))
        {
            throw new SigmaRefusedException("'title' is missing");
        }

        if (title.Length > MaxTitleLength)
        {
            title = title[..(MaxTitleLength - 1)].TrimEnd() + "\u2026";
        }

        var level = root.Text("level");
        var severity = level is null ? RuleSeverity.Medium
            : Array.IndexOf(Levels, level) is var index and >= 0 ? (RuleSeverity)(index + 1)
            : throw new SigmaRefusedException($"level '{level}' is not one of {string.Join(", ", Levels)}");

        var tags = root.Texts("tags");
        var tactic = tags
            .Where(t => t.StartsWith("attack.", StringComparison.OrdinalIgnoreCase))
            .Select(t => Attack.TacticByName(t["attack.".Length..])?.Id)
            .FirstOrDefault(t => t is not null);

        // A Ctdr rule names a technique under its tactic; a technique tag without a tactic tag has no place to go.
        var technique = tactic is null ? null : tags.Select(TechniqueOf).FirstOrDefault(t => t is not null);

        var description = root.Text("description")?.Trim();
        var falsePositives = root.Texts("falsepositives").Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
        if (falsePositives.Count > 0)
        {
            var sentence = "False positives: " + string.Join("; ", falsePositives);
            sentence += sentence.EndsWith('.') ? string.Empty : ".";
            description = string.IsNullOrEmpty(description) ? sentence : description + " " + sentence;
        }

        var authors = root.Texts("author");
        return new RuleDefinition
        {
            Id = "sigma-" + Slug(doc.Name ?? title, MaxKeyLength - "sigma-".Length, '-'),
            Title = title,
            Description = string.IsNullOrEmpty(description) ? null : description,
            Severity = severity,
            Products = products,
            Tactic = tactic,
            Technique = technique,
            Entities = SigmaFieldMap.DefaultEntities(products),
            Author = authors.Count == 0 ? null : string.Join(", ", authors),
            License = root.Text("license"),
            References = root.Texts("references").ToValueList(),
        };
    }

    private static string? TechniqueOf(string tag)
    {
        if (!tag.StartsWith("attack.t", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var id = tag["attack.".Length..].ToUpperInvariant();
        return Attack.IsTechniqueId(id) ? id : null;
    }

    private static string StepName(Doc rule) => Slug(rule.Name ?? rule.Title ?? rule.SigmaId ?? "step", 60, '_');

    /// <summary>Lower-case letters and digits, other runs of characters as one separator, at most <paramref name="max"/> long.</summary>
    private static string Slug(string text, int max, char separator)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != separator)
            {
                slug.Append(separator);
            }
        }

        var result = slug.ToString();
        result = result[..Math.Min(result.Length, max)].Trim(separator);
        return result.Length == 0 ? "rule" : result;
    }

    private static string UniqueKey(string key, HashSet<string> used)
    {
        var candidate = key;
        for (var n = 2; !used.Add(candidate); n++)
        {
            var suffix = string.Create(CultureInfo.InvariantCulture, $"-{n}");
            candidate = key[..Math.Min(key.Length, MaxKeyLength - suffix.Length)] + suffix;
        }

        return candidate;
    }

    /// <summary>The translated rule must pass the same checks as a rule written in the rule text syntax.</summary>
    private static void Validate(RuleDefinition rule)
    {
        var errors = RuleValidator.Validate(rule);
        if (errors.Count > 0)
        {
            throw new SigmaRefusedException("the translated rule is not valid: " + string.Join("; ", errors.Select(e => e.ToString())));
        }
    }

    /// <summary>One YAML document of the batch and what the import made of it.</summary>
    private sealed class Doc(string file, int number, YamlMappingNode? root)
    {
        public string File { get; } = file;

        public YamlMappingNode? Root { get; } = root;

        public string? Title { get; set; }

        public string? SigmaId { get; set; }

        public string? Name { get; set; }

        public bool IsCorrelation { get; set; }

        public Translated? Translated { get; set; }

        public string? Refusal { get; set; }

        /// <summary>Named by a correlation: then imported stand-alone only when a correlation says <c>generate: true</c>.</summary>
        public bool Referenced { get; set; }

        public bool Generated { get; set; }

        public string Label => Title ?? SigmaId ?? string.Create(CultureInfo.InvariantCulture, $"document {number}");
    }

    private sealed record Translated(RuleCondition Condition, SigmaLogSourceMapping Source);
}
