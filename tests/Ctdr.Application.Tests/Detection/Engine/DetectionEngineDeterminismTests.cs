using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Logs;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;

namespace Ctdr.Application.Tests.Detection.Engine;

/// <summary>
/// Metamorphic property: folded alerts do not depend on batch boundaries, arrival order within the lateness bound,
/// or restarts (replay from <see cref="DetectionEngine.RebuildFrom"/> through a discarding sink).
/// </summary>
public class DetectionEngineDeterminismTests
{
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(5);
    private static readonly string[] Ips = ["198.51.100.1", "198.51.100.2", "198.51.100.3", "203.0.113.7", "203.0.113.8"];
    private static readonly string[] Paths = ["/", "/login", "/admin/users", "/a", "/b", "/c", "/health"];
    private static readonly string?[] RuleTypes = [null, null, "sqli", "xss"];
    private static readonly int[] Statuses = [200, 200, 404, 403];

    private static readonly DetectionOptions Options = new() { Lateness = Lateness, MaxEvidence = 5 };

    private static readonly Lazy<CompiledRuleSet> Rules = new(() => RuleCompiler.Compile(
        [.. RuleDefinitions().Select((r, i) => Active(r, i + 1))],
        [
            new AllowListRule(1, null, Test("http_request.url.path", MatchOperator.Equals, "/health")),
            new AllowListRule(2, "burst", Test("src_endpoint.ip", MatchOperator.Equals, Ips[4])),
        ],
        Options));

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 240; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FoldedAlerts_AreIdentical_WhenBatchedPermutedAndRestarted(int seed)
    {
        var random = new Random(seed);
        var records = Generate(random, lagging: seed % 2 == 0);

        var expected = InOrder(records);
        var (actual, late) = Shuffled(records, random);

        Assert.NotEmpty(expected);
        Assert.Equal(0, late);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void GeneratedStreams_RaiseEveryRule_WhenTakenTogether()
    {
        var raised = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 1; seed <= 20; seed++)
        {
            foreach (var draft in InOrder(Generate(new Random(seed), lagging: false)))
            {
                raised.Add(draft.RuleKey);
            }
        }

        Assert.Equal(RuleDefinitions().Select(r => r.Id).Order(StringComparer.Ordinal), raised.Order(StringComparer.Ordinal));
    }

    private static List<RuleDefinition> RuleDefinitions()
    {
        var ip = ValueList.Of("src_endpoint.ip");
        return
        [
            Rule("sqli", Test("firewall_rule.type", MatchOperator.Equals, "sqli")) with { Suppression = new Suppression(TimeSpan.FromMinutes(1), ValueList.Of(EntityKind.Ip)) },
            Rule("xss-admin", new AndCondition(ValueList.Of<RuleCondition>(Test("firewall_rule.type", MatchOperator.Equals, "xss"), Test("http_request.url.path", MatchOperator.StartsWith, "/admin")))),
            Rule("burst", Test("src_endpoint.ip", MatchOperator.Exists)) with { Aggregation = new Aggregation(ip, TimeSpan.FromSeconds(30), AggregateFunction.Count, null, 4) },
            Rule("paths", Test("http_response.code", MatchOperator.GreaterOrEqual, "400")) with { Aggregation = new Aggregation(ip, TimeSpan.FromMinutes(1), AggregateFunction.DistinctCount, "http_request.url.path", 3) },
            Rule("host-burst", Test("http_request.url.path", MatchOperator.Contains, "a", "b")) with
            {
                Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip", "http_request.url.hostname"), TimeSpan.FromMinutes(1), AggregateFunction.Count, null, 5),
                Suppression = new Suppression(TimeSpan.FromMinutes(2), ValueList<EntityKind>.Empty),
            },
            Rule("scan-then-inject", null) with
            {
                Sequence = new Sequence(
                    ValueList.Of(new SequenceStep("scan", Test("http_response.code", MatchOperator.Equals, "404")), new SequenceStep("inject", Test("firewall_rule.type", MatchOperator.Equals, "sqli"))),
                    ip,
                    TimeSpan.FromSeconds(20),
                    Ordered: true),
            },
            Rule("mixed", Test("http_request.url.hostname", MatchOperator.Exists)) with
            {
                Sequence = new Sequence(
                    ValueList.Of(new SequenceStep("xss", Test("firewall_rule.type", MatchOperator.Equals, "xss")), new SequenceStep("sqli", Test("firewall_rule.type", MatchOperator.Equals, "sqli"))),
                    ip,
                    TimeSpan.FromSeconds(15),
                    Ordered: false),
            },
        ];
    }

    /// <summary>
    /// A WAF-like stream from two or three sources in event-time order, each record with its arrival key: its time plus
    /// a jitter below the lateness (and, for a lagging third source, a delay beyond it after its first record).
    /// </summary>
    private static List<(StoredLog Log, double ArrivalMs)> Generate(Random random, bool lagging)
    {
        var sources = random.Next(2, 4);
        var count = random.Next(150, 300);
        var time = T0;
        var result = new List<(StoredLog, double)>(count);
        var seen = new HashSet<long>();
        for (var i = 0; i < count; i++)
        {
            time = time.AddMilliseconds(random.Next(0, 1500));
            var source = i == 0 ? sources : random.Next(1, sources + 1);
            var log = Waf(
                $"u{i % 97}-{i}",
                time,
                ip: Ips[random.Next(Ips.Length)],
                host: random.Next(4) == 0 ? "api.example.com" : "shop.example.com",
                path: Paths[random.Next(Paths.Length)],
                ruleType: RuleTypes[random.Next(RuleTypes.Length)],
                status: Statuses[random.Next(Statuses.Length)],
                sourceId: source);
            var offsetMs = (time - T0).TotalMilliseconds;
            var arrival = offsetMs + random.Next(0, (int)Lateness.TotalMilliseconds);
            if (lagging && source == 3 && !seen.Add(source))
            {
                arrival += 3 * Lateness.TotalMilliseconds;
            }

            seen.Add(source);
            result.Add((new StoredLog(i + 1, log), i == 0 ? double.MinValue : arrival));
        }

        return result;
    }

    private static IReadOnlyList<AlertDraft> InOrder(List<(StoredLog Log, double ArrivalMs)> records)
    {
        var engine = new DetectionEngine(Rules.Value, Options);
        var sink = new CollectingSink();
        foreach (var (log, _) in records.OrderBy(r => r.Log.Log.Time).ThenBy(r => r.Log.Log.SourceId).ThenBy(r => r.Log.Log.Uid, StringComparer.Ordinal))
        {
            engine.Process(log, sink, T0);
        }

        engine.Flush(sink);
        return AlertFold.Fold(sink.Candidates, Options.MaxEvidence);
    }

    private static (IReadOnlyList<AlertDraft> Drafts, long Late) Shuffled(List<(StoredLog Log, double ArrivalMs)> records, Random random)
    {
        var arrived = records.Select((r, i) => (r.Log, r.ArrivalMs, Index: i)).OrderBy(r => r.ArrivalMs).ThenBy(r => r.Index).Select(r => r.Log).ToList();
        var restarts = new HashSet<int>();
        var restartCount = random.Next(1, 4);
        while (restarts.Count < restartCount)
        {
            restarts.Add(random.Next(1, arrived.Count));
        }

        var sink = new CollectingSink();
        var engine = new DetectionEngine(Rules.Value, Options);
        long late = 0;
        var position = 0;
        while (position < arrived.Count)
        {
            var batch = Math.Min(random.Next(1, 40), arrived.Count - position);
            for (var i = position; i < position + batch; i++)
            {
                engine.Process(arrived[i], sink, T0);
                if (restarts.Contains(i + 1))
                {
                    late += engine.Statistics.LateRecordsDropped;
                    engine = Restart(engine, arrived.Take(i + 1));
                }
            }

            position += batch;
        }

        engine.Flush(sink);
        late += engine.Statistics.LateRecordsDropped;
        return (AlertFold.Fold(sink.Candidates, Options.MaxEvidence), late);
    }

    /// <summary>The documented restart: a new engine, replay from the rebuild horizon, advance to the persisted watermark.</summary>
    private static DetectionEngine Restart(DetectionEngine crashed, IEnumerable<StoredLog> processed)
    {
        var persisted = crashed.Watermark;
        var engine = new DetectionEngine(Rules.Value, Options, persisted);
        var from = persisted is { } watermark ? engine.RebuildFrom(watermark) : DateTimeOffset.MinValue;
        foreach (var log in processed.Where(l => l.Log.Time >= from))
        {
            engine.Process(log, DiscardingSink.Instance, T0);
        }

        if (persisted is { } target)
        {
            engine.AdvanceWatermarkTo(target, DiscardingSink.Instance);
        }

        return engine;
    }
}
