using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Logs;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;

namespace Ctdr.Application.Tests.Detection.Engine;

public class DetectionEngineWindowTests
{
    private static readonly FieldCondition Any = Test("src_endpoint.ip", MatchOperator.Exists);

    private static RuleDefinition CountRule(long threshold, TimeSpan window, string id = "count") =>
        Rule(id, Any) with { Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip"), window, AggregateFunction.Count, null, threshold) };

    private static RuleDefinition SequenceRule(bool ordered, TimeSpan window) =>
        Rule("seq", null) with
        {
            Sequence = new Sequence(
                ValueList.Of(
                    new SequenceStep("scan", Test("http_response.code", MatchOperator.Equals, "404")),
                    new SequenceStep("inject", Test("firewall_rule.type", MatchOperator.Equals, "sqli"))),
                ValueList.Of("src_endpoint.ip"),
                window,
                ordered),
        };

    private static SecurityLog At(string uid, TimeSpan offset, string ip = "203.0.113.7", string? path = "/", string? ruleType = null, int? status = 200, long source = 1) =>
        Waf(uid, T0 + offset, ip: ip, path: path, ruleType: ruleType, status: status, sourceId: source);

    [Fact]
    public void Count_RaisesFromThresholdWithWindowValue_WhenRecordsWithinWindow()
    {
        var engine = NewEngine(CountRule(3, TimeSpan.FromMinutes(5)));

        var sink = Run(engine,
            At("a", TimeSpan.Zero),
            At("b", TimeSpan.FromSeconds(29)),
            At("c", new TimeSpan(0, 4, 59)),
            At("d", TimeSpan.FromMinutes(5)),
            At("e", new TimeSpan(0, 5, 10)),
            At("x", new TimeSpan(0, 5, 11), ip: "198.51.100.1"));

        // Sub-buckets of 30 s: at 5:00 the bucket holding 0:00 and 0:29 leaves the window.
        Assert.Equal([("c", 3L), ("e", 3L)], sink.Candidates.Select(c => (c.Evidence.Uid, c.Value!.Value)));
        Assert.All(sink.Candidates, c => Assert.Equal([new AlertEntity(EntityKind.Ip, "203.0.113.7"), new AlertEntity(EntityKind.Asset, "shop.example.com")], c.Entities));
        Assert.NotEqual(sink.Candidates[0].Fingerprint, sink.Candidates[1].Fingerprint); // 4:59 and 5:10 lie in different 5-minute periods
    }

    [Fact]
    public void Count_RaisesForEveryRecordAtOrAboveThreshold_WhenSamePeriod()
    {
        var sink = Run(NewEngine(CountRule(2, TimeSpan.FromMinutes(5))), At("a", TimeSpan.Zero), At("b", TimeSpan.FromSeconds(1)), At("c", TimeSpan.FromSeconds(2)));

        Assert.Equal([2L, 3L], sink.Candidates.Select(c => c.Value!.Value));
        var draft = Assert.Single(AlertFold.Fold(sink.Candidates, 20));
        Assert.Equal(2, draft.Count);
        Assert.Equal(3, draft.MaxValue);
        Assert.Equal(["b", "c"], draft.Evidence.Select(e => e.Uid));
    }

    [Fact]
    public void Count_SkipsRecords_WhenGroupByFieldAbsent()
    {
        var rule = Rule("count", Test("http_request.url.path", MatchOperator.Exists)) with
        {
            Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip", "http_request.url.hostname"), TimeSpan.FromMinutes(1), AggregateFunction.Count, null, 2),
        };

        var sink = Run(NewEngine(rule), Waf("a", T0, host: null), Waf("b", T0, host: null), Waf("c", T0), Waf("d", T0.AddSeconds(1)));

        Assert.Equal(["d"], sink.Candidates.Select(c => c.Evidence.Uid));
    }

    [Fact]
    public void DistinctCount_CountsValuesSeenWithinWindow_WhenValuesRepeatAndExpire()
    {
        var rule = Rule("distinct", Any) with
        {
            Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip"), TimeSpan.FromMinutes(1), AggregateFunction.DistinctCount, "http_request.url.path", 3),
        };

        var sink = Run(NewEngine(rule),
            At("1", TimeSpan.Zero, path: "/a"),
            At("2", TimeSpan.FromSeconds(10), path: "/b"),
            At("3", TimeSpan.FromSeconds(20), path: "/b"),
            At("4", TimeSpan.FromSeconds(30), path: null),
            At("5", TimeSpan.FromSeconds(61), path: "/c"),
            At("6", TimeSpan.FromSeconds(62), path: "/a"),
            At("7", TimeSpan.FromSeconds(63), path: "/a"));

        // 6-second buckets: at 61 s the bucket of "/a" at 0 s has left the window, so "/c" makes only 2.
        Assert.Equal([("6", 3L), ("7", 3L)], sink.Candidates.Select(c => (c.Evidence.Uid, c.Value!.Value)));
    }

    [Theory]
    [InlineData(true, 60, new[] { "inject1" })]
    [InlineData(true, 61, new string[0])]
    [InlineData(false, 60, new[] { "inject1" })]
    public void Sequence_RaisesWithinWindowOnly_WhenStepsInOrder(bool ordered, int secondsApart, string[] expected)
    {
        var sink = Run(NewEngine(SequenceRule(ordered, TimeSpan.FromMinutes(1))),
            At("scan1", TimeSpan.Zero, status: 404),
            At("inject1", TimeSpan.FromSeconds(secondsApart), ruleType: "sqli"));

        Assert.Equal(expected, sink.Candidates.Select(c => c.Evidence.Uid));
    }

    [Theory]
    [InlineData(true, new string[0])]
    [InlineData(false, new[] { "scan1" })]
    public void Sequence_RaisesOnlyWhenUnordered_WhenStepsReversed(bool ordered, string[] expected)
    {
        var sink = Run(NewEngine(SequenceRule(ordered, TimeSpan.FromMinutes(1))),
            At("inject1", TimeSpan.Zero, ruleType: "sqli"),
            At("scan1", TimeSpan.FromSeconds(5), status: 404));

        Assert.Equal(expected, sink.Candidates.Select(c => c.Evidence.Uid));
        Assert.All(sink.Candidates, c => Assert.Null(c.Value));
    }

    [Theory]
    [InlineData(true, new[] { "both2" })]
    [InlineData(false, new[] { "both1", "both2" })]
    public void Sequence_NeedsTwoRecordsWhenOrdered_WhenOneRecordMatchesEveryStep(bool ordered, string[] expected)
    {
        var sink = Run(NewEngine(SequenceRule(ordered, TimeSpan.FromMinutes(1))),
            At("both1", TimeSpan.Zero, ruleType: "sqli", status: 404),
            At("both2", TimeSpan.FromSeconds(1), ruleType: "sqli", status: 404));

        Assert.Equal(expected, sink.Candidates.Select(c => c.Evidence.Uid));
    }

    [Fact]
    public void Sequence_KeepsKeysApart_WhenDifferentIps()
    {
        var sink = Run(NewEngine(SequenceRule(true, TimeSpan.FromMinutes(1))),
            At("scan1", TimeSpan.Zero, ip: "198.51.100.1", status: 404),
            At("inject1", TimeSpan.FromSeconds(1), ip: "198.51.100.2", ruleType: "sqli"),
            At("inject2", TimeSpan.FromSeconds(2), ip: "198.51.100.1", ruleType: "sqli"));

        var candidate = Assert.Single(sink.Candidates);
        Assert.Equal("inject2", candidate.Evidence.Uid);
    }

    [Fact]
    public void Sequence_SeesEventTimeOrder_WhenRecordsArriveOutOfOrderWithinLateness()
    {
        var sink = Run(NewEngine(SequenceRule(true, TimeSpan.FromMinutes(1))),
            At("inject1", TimeSpan.FromSeconds(5), ruleType: "sqli"),
            At("scan1", TimeSpan.Zero, status: 404));

        Assert.Equal(["inject1"], sink.Candidates.Select(c => c.Evidence.Uid));
    }

    [Fact]
    public void Suppression_FoldsByEntityAndPeriod_WhenStateless()
    {
        var rule = Rule("sqli", Test("firewall_rule.type", MatchOperator.Equals, "sqli")) with
        {
            Suppression = new Suppression(TimeSpan.FromMinutes(10), ValueList.Of(EntityKind.Ip)),
        };

        var sink = Run(NewEngine(rule),
            Waf("a", T0, ruleType: "sqli"),
            Waf("b", T0.AddMinutes(5), ruleType: "sqli", host: "other.example.com"),
            Waf("c", T0.AddMinutes(10).AddSeconds(-1), ruleType: "sqli"),
            Waf("d", T0.AddMinutes(10), ruleType: "sqli"),
            Waf("e", T0.AddMinutes(1), ruleType: "sqli", ip: "198.51.100.9"),
            Waf("f", T0.AddMinutes(1), ruleType: "xss"));

        var drafts = AlertFold.Fold(sink.Candidates, 20);
        Assert.Equal(
            [("a", 3L, T0, T0.AddMinutes(10).AddSeconds(-1)), ("d", 1L, T0.AddMinutes(10), T0.AddMinutes(10)), ("e", 1L, T0.AddMinutes(1), T0.AddMinutes(1))],
            drafts.Select(d => (d.Evidence[0].Uid, d.Count, d.FirstSeen, d.LastSeen)).OrderBy(d => d.Uid, StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c"], drafts.Single(d => d.Count == 3).Evidence.Select(e => e.Uid));
    }

    [Fact]
    public void Suppression_UsesAllMappedEntities_WhenByIsEmpty()
    {
        var rule = Rule("sqli", Test("firewall_rule.type", MatchOperator.Equals, "sqli")) with
        {
            Suppression = new Suppression(TimeSpan.FromMinutes(10), ValueList<EntityKind>.Empty),
        };

        var sink = Run(NewEngine(rule), Waf("a", T0, ruleType: "sqli"), Waf("b", T0.AddMinutes(1), ruleType: "sqli", host: "other.example.com"), Waf("c", T0.AddMinutes(2), ruleType: "sqli"));

        Assert.Equal([2L, 1L], AlertFold.Fold(sink.Candidates, 20).Select(d => d.Count).OrderDescending());
    }

    [Fact]
    public void Stateless_RaisesOneAlertPerRecord_WhenNoSuppression()
    {
        var sink = Run(NewEngine(Rule("sqli", Test("firewall_rule.type", MatchOperator.Equals, "sqli"))), Waf("a", T0, ruleType: "sqli"), Waf("b", T0, ruleType: "sqli"));

        Assert.Equal(2, AlertFold.Fold(sink.Candidates, 20).Count);
        Assert.Equal(Fingerprints.Of("sqli", "1", "a"), sink.Candidates[0].Fingerprint);
        Assert.Matches("^[0-9a-f]{32}$", sink.Candidates[0].Fingerprint);
    }

    [Fact]
    public void AllowList_ExcludesOnlyItsRule_WhenScoped()
    {
        var allow = new AllowListRule(7, "a", Test("src_endpoint.ip", MatchOperator.Cidr, "203.0.113.0/24"));
        var engine = NewEngine(new DetectionOptions(), [allow], Rule("a", Any), Rule("b", Any), CountRule(1, TimeSpan.FromMinutes(1), "c"));

        var sink = Run(engine, Waf("x", T0), Waf("y", T0, ip: "198.51.100.1"));

        Assert.Equal([("a", "y"), ("b", "x"), ("b", "y"), ("c", "x"), ("c", "y")], sink.Candidates.Select(c => (c.RuleKey, c.Evidence.Uid)).Order());
        Assert.Equal([(7L, 1L, T0)], sink.AllowListed);
        Assert.Equal(1, engine.Statistics.AllowListed);
    }

    [Fact]
    public void AllowList_ExcludesEveryRuleIncludingWindowed_WhenGlobal()
    {
        var allow = new AllowListRule(9, null, Test("http_request.url.path", MatchOperator.StartsWith, "/health"));
        var engine = NewEngine(new DetectionOptions(), [allow], Rule("a", Any), CountRule(2, TimeSpan.FromMinutes(1), "c"));

        var sink = Run(engine, Waf("x", T0, path: "/healthz"), Waf("y", T0.AddSeconds(1)), Waf("z", T0.AddSeconds(2), path: "/health"));

        Assert.Equal([("a", "y")], sink.Candidates.Select(c => (c.RuleKey, c.Evidence.Uid)));
        Assert.Equal(
            [(9L, 1L, T0), (9L, 2L, T0), (9L, 1L, T0.AddSeconds(2)), (9L, 2L, T0.AddSeconds(2))],
            sink.AllowListed);
    }

    [Fact]
    public void LateRecords_AreDroppedByWindowedRulesAndCounted_WhenBehindWatermark()
    {
        var engine = NewEngine(new DetectionOptions { Lateness = TimeSpan.FromSeconds(10) }, null, Rule("s", Any), CountRule(1, TimeSpan.FromMinutes(5)));
        var sink = new CollectingSink();

        engine.Process(new StoredLog(1, At("a", TimeSpan.FromSeconds(60))), sink, T0);
        engine.Process(new StoredLog(2, At("late", TimeSpan.FromSeconds(50))), sink, T0);
        engine.Process(new StoredLog(3, At("ontime", TimeSpan.FromSeconds(51))), sink, T0);
        engine.Flush(sink);

        Assert.Equal(T0.AddSeconds(50), T0 + TimeSpan.FromSeconds(60) - TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "late", "ontime"], sink.Candidates.Where(c => c.RuleKey == "s").Select(c => c.Evidence.Uid));
        Assert.Equal([("ontime", 1L), ("a", 2L)], sink.Candidates.Where(c => c.RuleKey == "count").Select(c => (c.Evidence.Uid, c.Value!.Value)));
        Assert.Equal(1, engine.Statistics.LateRecordsDropped);
        Assert.Equal(3, engine.Statistics.Records);
        Assert.Equal(5, engine.Statistics.Matches);
    }

    [Fact]
    public void Watermark_IsMinimumOverSourcesAndAdvancesWhenIdle_WhenSeveralSources()
    {
        var engine = NewEngine(new DetectionOptions { Lateness = TimeSpan.FromSeconds(10) }, null, CountRule(1, TimeSpan.FromMinutes(5)));
        var sink = new CollectingSink();
        var now = T0;

        engine.Process(new StoredLog(1, At("a", TimeSpan.FromSeconds(100), source: 1)), sink, now);
        engine.Process(new StoredLog(2, At("b", TimeSpan.FromSeconds(30), ip: "198.51.100.1", source: 2)), sink, now);
        Assert.Equal(T0.AddSeconds(90), engine.Watermark);
        Assert.Empty(sink.Candidates);
        Assert.Equal(1, engine.Statistics.LateRecordsDropped); // a new source cannot pull the watermark back: b is late

        engine.Process(new StoredLog(3, At("c", TimeSpan.FromSeconds(95), source: 2)), sink, now.AddSeconds(5));
        engine.Process(new StoredLog(4, At("d", TimeSpan.FromSeconds(120), source: 1)), sink, now.AddSeconds(6));
        Assert.Equal(T0.AddSeconds(90), engine.Watermark); // source 2 (newest 95 s) holds it back at 85 s, and it never moves back

        engine.Tick(now.AddSeconds(15.5), sink); // source 2 idle (10.5 s silent), source 1 not yet (9.5 s)
        Assert.Equal(T0.AddSeconds(110), engine.Watermark);
        Assert.Equal(["c", "a"], sink.Candidates.Select(c => c.Evidence.Uid));

        engine.Tick(now.AddSeconds(16), sink); // every source idle: up to the newest time seen
        Assert.Equal(T0.AddSeconds(120), engine.Watermark);
        Assert.Equal(["c", "a", "d"], sink.Candidates.Select(c => c.Evidence.Uid));
    }

    [Fact]
    public void AdvanceWatermarkTo_ReleasesBufferedRecords_WhenCalled()
    {
        var engine = NewEngine(CountRule(1, TimeSpan.FromMinutes(5)));
        var sink = new CollectingSink();
        engine.Process(new StoredLog(1, At("a", TimeSpan.FromSeconds(100))), sink, T0);
        Assert.Empty(sink.Candidates);
        Assert.Equal(1, engine.Buffered);

        engine.AdvanceWatermarkTo(T0.AddSeconds(100), sink);

        Assert.Equal(["a"], sink.Candidates.Select(c => c.Evidence.Uid));
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30) + TimeSpan.FromSeconds(10), engine.RebuildHorizon);
        Assert.Equal(T0.AddSeconds(100) - engine.RebuildHorizon, engine.RebuildFrom(T0.AddSeconds(100)));
    }

    [Fact]
    public void KeyCap_DropsNewKeysAndCounts_WhenFull()
    {
        var engine = NewEngine(new DetectionOptions { MaxKeysPerRule = 2 }, null, CountRule(1, TimeSpan.FromMinutes(5)));

        var sink = Run(engine, At("a", TimeSpan.Zero, ip: "198.51.100.1"), At("b", TimeSpan.FromSeconds(1), ip: "198.51.100.2"), At("c", TimeSpan.FromSeconds(2), ip: "198.51.100.3"), At("d", TimeSpan.FromSeconds(3), ip: "198.51.100.1"));

        Assert.Equal([("a", 1L), ("b", 1L), ("d", 2L)], sink.Candidates.Select(c => (c.Evidence.Uid, c.Value!.Value)));
        Assert.Equal(1, engine.Statistics.KeysDropped);
    }

    [Fact]
    public void Eviction_DropsKeysOutsideWindow_WhenWatermarkPassesThem()
    {
        var engine = NewEngine(CountRule(1, TimeSpan.FromMinutes(1)), SequenceRule(true, TimeSpan.FromMinutes(1)));

        Run(engine, At("a", TimeSpan.Zero, ip: "198.51.100.1", status: 404), At("b", TimeSpan.FromMinutes(3), ip: "198.51.100.2", status: 404));

        Assert.Equal(2, engine.ActiveKeys); // one count key and one sequence key, both of the second IP
    }

    [Fact]
    public void Release_KeepsEventTimeOrder_WhenRecordsArriveInTheSlotOfTheWatermark()
    {
        var engine = NewEngine(new DetectionOptions { Lateness = TimeSpan.FromSeconds(10) }, null, CountRule(1, TimeSpan.FromMinutes(5)));
        var sink = new CollectingSink();

        engine.Process(new StoredLog(1, At("a", TimeSpan.FromMilliseconds(100_050))), sink, T0);
        engine.Process(new StoredLog(2, At("b", TimeSpan.FromMilliseconds(90_080))), sink, T0);
        engine.Process(new StoredLog(3, At("c", TimeSpan.FromMilliseconds(90_060))), sink, T0);
        engine.Process(new StoredLog(4, At("d", TimeSpan.FromMilliseconds(90_060))), sink, T0);
        engine.Process(new StoredLog(5, At("e", TimeSpan.FromMilliseconds(100_070))), sink, T0);
        Assert.Equal(T0.AddMilliseconds(90_070), engine.Watermark);
        Assert.Equal(["c", "d"], sink.Candidates.Select(c => c.Evidence.Uid));

        engine.Flush(sink);

        Assert.Equal(["c", "d", "b", "a", "e"], sink.Candidates.Select(c => c.Evidence.Uid));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], sink.Candidates.Select(c => c.Value!.Value));
        Assert.Equal(0, engine.Statistics.LateRecordsDropped);
    }
}
