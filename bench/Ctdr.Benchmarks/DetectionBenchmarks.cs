using BenchmarkDotNet.Attributes;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Logs;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;

namespace Ctdr.Benchmarks;

/// <summary>Counts what the engine reports.</summary>
internal sealed class CountingSink : IDetectionSink
{
    public long Raised { get; private set; }

    public void Raise(AlertCandidate candidate) => Raised++;

    public void AllowListed(long entryId, long ruleId, DateTimeOffset time)
    {
    }
}

/// <summary>
/// K2 (100 mixed rules) and K3 (1 000 rules): evaluating stateless rules per record. Ours: the compiled engine (per-product
/// equality dictionaries, multi-literal prefilters). Baseline: <see cref="NaiveRuleInterpreter"/>. One operation is one
/// record, over 10 000 records; lanes without any match and with 1 % of records matching one rule.
/// </summary>
[InProcess]
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    private const int Records = 10_000;

    private SecurityLog[] _records = [];
    private DetectionEngine _engine = default!;
    private NaiveRuleInterpreter _naive = default!;
    private readonly CountingSink _sink = new();

    [Params(100, 1000)]
    public int Rules { get; set; }

    [Params(false, true)]
    public bool OnePercent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rules = DetectionWorkload.Rules(Rules);
        var options = new DetectionOptions();
        _engine = new DetectionEngine(RuleCompiler.Compile([.. rules.Select((r, i) => new ActiveRule(i + 1, r, RuleMode.Live))], [], options), options);
        _naive = new NaiveRuleInterpreter(rules);
        _records = DetectionWorkload.Records(Records, OnePercent, Rules);

        // Both must agree on the workload before they are timed.
        var naive = _records.Sum(_naive.Evaluate);
        var sink = new CountingSink();
        for (var i = 0; i < _records.Length; i++)
        {
            _engine.Process(new StoredLog(i, _records[i]), sink, DetectionWorkload.T0);
        }

        if (sink.Raised != naive || (OnePercent ? naive < Records / 100 : naive != 0))
        {
            throw new InvalidOperationException($"engine raised {sink.Raised}, the interpreter matched {naive}");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records, Description = "rule-by-rule interpreter")]
    public int Naive()
    {
        var matches = 0;
        foreach (var record in _records)
        {
            matches += _naive.Evaluate(record);
        }

        return matches;
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "compiled engine")]
    public long Engine()
    {
        for (var i = 0; i < _records.Length; i++)
        {
            _engine.Process(new StoredLog(i, _records[i]), _sink, DetectionWorkload.T0);
        }

        return _sink.Raised;
    }
}

/// <summary>
/// The cost of a catastrophic regular expression rule next to the 100 mixed rules, on records of which one in a
/// hundred carries a 50 000-character attack string. Absent: the 100 rules alone. NonBacktracking: <c>(a+)+$</c>.
/// Timeout: <c>(a+)+\1$</c> (needs backtracking, bounded by the 50 ms match timeout).
/// </summary>
[InProcess]
[MemoryDiagnoser]
public class RegexDenialOfServiceBenchmarks
{
    private const int Records = 1000;

    private SecurityLog[] _records = [];
    private DetectionEngine _engine = default!;
    private readonly CountingSink _sink = new();

    [Params("absent", "(a+)+$", @"(a+)+\1$")]
    public string Pattern { get; set; } = "absent";

    [GlobalSetup]
    public void Setup()
    {
        var rules = DetectionWorkload.Rules(100);
        if (Pattern != "absent")
        {
            rules.Add(new RuleDefinition
            {
                Id = "catastrophic",
                Title = "catastrophic",
                Condition = new FieldCondition("http_request.url.query_string", MatchOperator.Regex, ValueList.Of(Pattern)),
            });
        }

        var options = new DetectionOptions();
        _engine = new DetectionEngine(RuleCompiler.Compile([.. rules.Select((r, i) => new ActiveRule(i + 1, r, RuleMode.Live))], [], options), options);
        var attack = new string('a', 50_000) + "!";
        _records = [.. DetectionWorkload.Records(Records, false, 100).Select((r, i) => i % 100 == 0 ? r with { UrlQuery = attack } : r)];
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Process()
    {
        for (var i = 0; i < _records.Length; i++)
        {
            _engine.Process(new StoredLog(i, _records[i]), _sink, DetectionWorkload.T0);
        }

        return _engine.Statistics.RegexTimeouts;
    }
}
