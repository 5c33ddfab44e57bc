using System.Buffers;
using System.Text.RegularExpressions;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Detection.Engine;

internal enum RuleKind
{
    Stateless,
    Aggregation,
    Sequence,
}

/// <summary>An allow-list entry compiled for the rules it applies to.</summary>
internal sealed record CompiledAllowEntry(long EntryId, Matcher Matcher);

/// <summary>One rule ready to run: its matchers, how it keys and fingerprints its alerts.</summary>
internal sealed class CompiledRule
{
    public required int Index { get; init; }

    public required ActiveRule Active { get; init; }

    public required RuleKind Kind { get; init; }

    public string Key => Active.Definition.Id;

    /// <summary>Entity mappings in <see cref="EntityKind"/> order.</summary>
    public required (EntityKind Kind, FieldReader Field)[] Entities { get; init; }

    public required CompiledAllowEntry[] AllowList { get; init; }

    /// <summary>Stateless rules with suppression: the entity kinds whose values key the alert; null without suppression.</summary>
    public EntityKind[]? SuppressionKinds { get; init; }

    /// <summary>The alert period: suppression's, else (windowed rules) the window.</summary>
    public long PeriodTicks { get; init; }

    public FieldReader[] GroupBy { get; init; } = [];

    public FieldReader? DistinctField { get; init; }

    public AggregateFunction Function { get; init; }

    public long Threshold { get; init; }

    public long WindowTicks { get; init; }

    /// <summary>Sub-bucket length (Window/10, at least one second): aggregation buckets; for all windowed rules the eviction period.</summary>
    public long BucketTicks { get; init; }

    /// <summary>Sub-buckets that make up the window (at most 10).</summary>
    public int BucketCount { get; init; }

    public int StepCount { get; init; }

    public bool Ordered { get; init; }

    public List<Regex> Regexes { get; } = [];

    public bool IsWindowed => Kind != RuleKind.Stateless;
}

/// <summary>What the engine evaluates per record: a rule's condition, or one step of a sequence (Step ≥ 0).</summary>
internal sealed record EvalUnit(int Index, CompiledRule Rule, int Step, Matcher Matcher);

/// <summary>An equality index on one field: field value → units whose conjunction requires that value.</summary>
internal sealed record EqualityIndex(FieldReader Field, Dictionary<string, int[]> Units);

/// <summary>Units that require one of some literals in a field: a record with none of them skips them all.</summary>
internal sealed record PrefilterGroup(FieldReader Field, SearchValues<string> Literals, int[] Units);

/// <summary>The units that apply to one log product, indexed.</summary>
internal sealed record ProductIndex(EqualityIndex[] Equalities, PrefilterGroup[] Prefilters, int[] Always);

/// <summary>Rules compiled once (<see cref="RuleCompiler.Compile"/>), shared by engines.</summary>
public sealed class CompiledRuleSet
{
    internal CompiledRuleSet(CompiledRule[] rules, EvalUnit[] units, ProductIndex[] products, ProductIndex other, RawPath[] rawPaths)
    {
        Rules = rules;
        Units = units;
        Products = products;
        OtherProducts = other;
        RawPaths = rawPaths;
        var largest = 0L;
        foreach (var rule in rules)
        {
            if (rule.IsWindowed)
            {
                largest = Math.Max(largest, rule.WindowTicks + rule.BucketTicks);
            }
        }

        LargestWindowWithBucket = TimeSpan.FromTicks(largest);
    }

    public int RuleCount => Rules.Length;

    /// <summary>The largest window of a windowed rule plus its sub-bucket (zero without windowed rules).</summary>
    public TimeSpan LargestWindowWithBucket { get; }

    internal CompiledRule[] Rules { get; }

    internal EvalUnit[] Units { get; }

    internal ProductIndex[] Products { get; }

    internal ProductIndex OtherProducts { get; }

    internal RawPath[] RawPaths { get; }

    /// <summary>The regular expressions compiled for a rule (how each was compiled is visible in its options).</summary>
    public IReadOnlyList<Regex> RegexesOf(string ruleKey) =>
        Rules.FirstOrDefault(r => string.Equals(r.Key, ruleKey, StringComparison.Ordinal))?.Regexes ?? [];

    internal ProductIndex IndexFor(LogProduct product) =>
        (uint)product < (uint)Products.Length ? Products[(int)product] : OtherProducts;
}
