using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ctdr.Application.Detection;
using Ctdr.Application.LogSources;
using LogFieldKind = Ctdr.Application.Logs.LogFieldKind;
using SecurityLogFields = Ctdr.Application.Logs.SecurityLogFields;

namespace Ctdr.Application.Tests.Detection;

/// <summary>Generates valid rule models from a seed, covering every part of the syntax, including awkward strings.</summary>
internal sealed class RandomRules(int seed)
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] TextPieces =
        ["a", "Z", "7", " ", "\"", "\\", "#", "(", ")", ",", ":", "=", "!=", "<", ">", "'", "{", "}", "中文", "é", "😀", "\t", "union select", "-1", "42", "and", "or", "not", "rule", "end"];

    private static readonly string[] Regexes =
        ["^/admin", "(?i)select.+from", "\\d{3,}", "a|b|c", "(a)b+", "foo(bar)?", "^[A-Z]{2}-\\w+$", "\\.php$", "[\"#]"];

    private static readonly string[] Cidrs = ["10.0.0.0/8", "192.168.1.0/24", "203.0.113.7/32", "2001:db8::/32", "::/0", "0.0.0.0/0"];

    private static readonly string[] RawChars = ["a", "B", "9", "_", "-", "@", "$", "'", "*", "[", "]", "{", "}", "é"];

    private readonly Random random = new(seed);

    private bool Chance(int percent) => random.Next(100) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private List<T> Subset<T>(IReadOnlyList<T> items, int min)
    {
        var shuffled = items.OrderBy(_ => random.Next()).ToList();
        return shuffled.Take(random.Next(min, items.Count + 1)).ToList();
    }

    public string Text(bool multiLine = true, int maxPieces = 8)
    {
        var builder = new StringBuilder();
        var pieces = random.Next(1, maxPieces + 1);
        for (var i = 0; i < pieces; i++)
        {
            builder.Append(multiLine && Chance(10) ? "\n" : Pick(TextPieces));
        }

        return builder.ToString();
    }

    private string NonBlankText(bool multiLine)
    {
        var text = Text(multiLine);
        return string.IsNullOrWhiteSpace(text) ? "x" + text : text;
    }

    private string Id()
    {
        const string first = "abcdefghijklmnopqrstuvwxyz0123456789";
        const string rest = first + "._-";
        var length = Chance(5) ? 100 : random.Next(1, 30);
        var id = new StringBuilder().Append(first[random.Next(first.Length)]);
        while (id.Length < length)
        {
            id.Append(rest[random.Next(rest.Length)]);
        }

        return id.ToString();
    }

    private string Raw() =>
        "raw." + string.Join('.', Enumerable.Range(0, random.Next(1, 4)).Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pick(RawChars)))));

    private string KnownField(Func<LogFieldKind, bool>? kind = null) =>
        Pick(SecurityLogFields.All.Where(f => kind?.Invoke(f.Kind) ?? true).Select(f => f.Path).ToList());

    /// <summary>A field for group-by, entities and the like: known or raw.</summary>
    public string PlainField() => Chance(75) ? KnownField() : Raw();

    private string Integer() =>
        Pick(new[] { "0", "200", "-1", "404", "9223372036854775807", "-9223372036854775808", random.NextInt64(-1_000_000, 1_000_000).ToString(CultureInfo.InvariantCulture), "007" });

    private TimeSpan Duration(long maxSeconds)
    {
        long[] units = [1, 60, 3_600, 86_400];
        var unit = Pick(units.Where(u => u <= maxSeconds).ToList());
        var seconds = unit * random.NextInt64(1, (maxSeconds / unit) + 1);
        return TimeSpan.FromSeconds(Chance(20) ? random.NextInt64(1, maxSeconds + 1) : seconds);
    }

    public RuleCondition Condition(int depth = 0)
    {
        var choice = depth >= 4 ? 0 : random.Next(7);
        return choice switch
        {
            1 => new AndCondition(Enumerable.Range(0, random.Next(2, 5)).Select(_ => Condition(depth + 1)).ToValueList()),
            2 => new OrCondition(Enumerable.Range(0, random.Next(2, 5)).Select(_ => Condition(depth + 1)).ToValueList()),
            3 => new NotCondition(Condition(depth + 1)),
            _ => Field(),
        };
    }

    public FieldCondition Field()
    {
        var op = Pick(Enum.GetValues<MatchOperator>());
        var count = random.Next(1, 4);
        switch (op)
        {
            case MatchOperator.Equals or MatchOperator.NotEquals:
            {
                var field = op == MatchOperator.Equals && Chance(10) ? "*" : PlainField();
                var numbers = field != "*" && SecurityLogFields.TryGet(field, out var known) && known.Kind is LogFieldKind.Number or LogFieldKind.Time;
                var values = Enumerable.Range(0, count).Select(_ => numbers && Chance(70) ? Integer() : Chance(10) ? string.Empty : Text()).ToValueList();
                return new FieldCondition(field, op, values, CaseSensitive: Chance(30));
            }

            case MatchOperator.Contains or MatchOperator.StartsWith or MatchOperator.EndsWith:
            {
                var field = Chance(20) ? "*" : PlainField();
                return new FieldCondition(field, op, Enumerable.Range(0, count).Select(_ => Text()).ToValueList(), Chance(40), Chance(40));
            }

            case MatchOperator.Regex:
                return new FieldCondition(Chance(20) ? "*" : PlainField(), op, Subset(Regexes, 1).Take(count).ToValueList(), Chance(40));
            case MatchOperator.Cidr:
                return new FieldCondition(Chance(70) ? KnownField(k => k is LogFieldKind.IpAddress or LogFieldKind.Text) : Raw(), op, Subset(Cidrs, 1).Take(count).ToValueList());
            case MatchOperator.Exists:
                return new FieldCondition(PlainField(), op, ValueList<string>.Empty);
            default:
            {
                var field = Chance(70) ? KnownField(k => k is LogFieldKind.Number or LogFieldKind.Time) : Raw();
                return new FieldCondition(field, op, ValueList.Of(Integer()));
            }
        }
    }

    private string Json()
    {
        var record = new Dictionary<string, object?>
        {
            ["time"] = "2025-03-03T16:03:20+08:00",
            [Text(maxPieces: 3)] = Text(),
            ["n"] = random.Next(),
            ["nested"] = new Dictionary<string, object?> { ["list"] = new object?[] { 1, null, "}{", Text(maxPieces: 2) } },
        };
        return JsonSerializer.Serialize(record, RelaxedJson);
    }

    private string StepName()
    {
        const string chars = "abcXYZ019_.-";
        return string.Concat(Enumerable.Range(0, random.Next(1, 8)).Select(_ => chars[random.Next(chars.Length)]));
    }

    public RuleDefinition Rule()
    {
        var products = Chance(50) ? Subset(Enum.GetValues<LogProduct>(), 1) : [];
        var tactic = Chance(60) ? Pick(Attack.Tactics).Id : null;
        var technique = tactic is not null && Chance(70)
            ? Chance(50) ? Pick(Attack.Techniques.Keys.ToList()) : "T" + random.Next(1000, 10000).ToString(CultureInfo.InvariantCulture) + (Chance(50) ? ".00" + random.Next(1, 10).ToString(CultureInfo.InvariantCulture) : string.Empty)
            : null;
        var shape = random.Next(3);
        var entities = Subset(Enum.GetValues<EntityKind>(), 0).Select(k => new EntityMapping(k, PlainField())).ToList();
        var suppression = Chance(50)
            ? new Suppression(Duration(7 * 86_400), Subset(entities.Select(e => e.Kind).ToList(), 0).ToValueList())
            : null;

        return new RuleDefinition
        {
            Id = Id(),
            Title = NonBlankText(multiLine: false),
            Description = Chance(50) ? Text() : null,
            Severity = Pick(Enum.GetValues<RuleSeverity>()),
            ThreatLevel = Chance(30) ? Pick(Enum.GetValues<ThreatLevel>()) : null,
            Products = products.ToValueList(),
            Tactic = tactic,
            Technique = technique,
            Author = Chance(30) ? Text() : null,
            License = Chance(30) ? Text() : null,
            References = Enumerable.Range(0, random.Next(0, 3)).Select(_ => NonBlankText(multiLine: true)).ToValueList(),
            Condition = shape < 2 || Chance(50) ? Condition() : null,
            Aggregation = shape == 1
                ? Chance(50)
                    ? new Aggregation(Subset(Enumerable.Range(0, 3).Select(_ => PlainField()).Distinct().ToList(), 1).ToValueList(), Duration(86_400), AggregateFunction.Count, null, random.NextInt64(1, 1_000_000_000_000))
                    : new Aggregation(ValueList.Of(PlainField()), Duration(86_400), AggregateFunction.DistinctCount, PlainField(), random.Next(1, 100))
                : null,
            Sequence = shape == 2
                ? new Sequence(
                    Enumerable.Range(0, 6).Select(_ => StepName()).Distinct().Take(random.Next(2, 5)).Select(name => new SequenceStep(name, Condition(2))).ToValueList(),
                    Enumerable.Range(0, random.Next(1, 3)).Select(_ => PlainField()).Distinct().ToValueList(),
                    Duration(86_400),
                    Chance(50))
                : null,
            Entities = entities.ToValueList(),
            Suppression = suppression,
            Recommendation = Chance(50) ? Text() : null,
            Samples = Enumerable.Range(0, random.Next(0, 3))
                .Select(i => new RuleSample(
                    NonBlankText(multiLine: true) + i.ToString(CultureInfo.InvariantCulture),
                    Chance(50),
                    products.Count == 0 || Chance(50) ? Pick(Enum.GetValues<LogProduct>()) : null,
                    Enumerable.Range(0, random.Next(1, 4))
                        .Select(_ => Chance(60) ? new SampleRecord(Json()) : new SampleRecord(Json(), random.Next(1, 100_001), Chance(20) ? TimeSpan.Zero : Duration(86_400)))
                        .ToValueList()))
                .ToValueList(),
        };
    }
}
