using BenchmarkDotNet.Attributes;
using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Logs;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;
using Ctdr.Application.LogSources;

namespace Ctdr.Benchmarks;

/// <summary>
/// K4: a threshold rule (more than 50 requests from one IP in 5 minutes) over 100 000 active IPs, records out of order
/// within the 10 s lateness. Ours: the engine (event-time buffer, 10 sub-bucket counters per key). Baseline: a
/// dictionary of per-IP timestamp lists trimmed to the window (and ignorant of order). One operation is one record; each
/// iteration feeds the next 200 000 records (20 s of event time, every IP twice).
/// </summary>
[InProcess]
[MemoryDiagnoser]
public class WindowBenchmarks
{
    private const int Keys = 100_000;
    private const int Block = 200_000;
    private const int Threshold = 51;
    private static readonly TimeSpan BlockSpan = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly CountingSink _sink = new();
    private readonly string[] _ips = new string[Keys];
    private readonly Dictionary<string, List<long>> _naive = new(StringComparer.Ordinal);
    private DetectionEngine _engine = default!;
    private SecurityLog[] _records = [];
    private int _block;
    private long _naiveAlerts;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Keys; i++)
        {
            _ips[i] = $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}";
        }

        _engine = NewEngine();

        // Warm the state up to a full window of active keys, then report the memory they hold.
        for (var block = 0; block < 16; block++)
        {
            Feed(block);
        }

        _block = 16;
        var before = GC.GetTotalMemory(true);
        var keysBefore = _engine.ActiveKeys;
        var empty = NewEngine();
        GC.KeepAlive(empty);
        var fresh = NewEngine();
        var baseline = GC.GetTotalMemory(true);
        for (var block = 0; block < 16; block++)
        {
            foreach (var record in MakeBlock(block))
            {
                fresh.Process(new StoredLog(0, record), _sink, DetectionWorkload.T0);
            }
        }

        fresh.Flush(_sink);
        var after = GC.GetTotalMemory(true);
        Console.WriteLine($"// K4 state: {fresh.ActiveKeys} keys, {(after - baseline) / (double)fresh.ActiveKeys:F1} bytes per key (engine with {keysBefore} keys, heap {before / 1_000_000} MB)");
        GC.KeepAlive(fresh);

        var naiveBefore = GC.GetTotalMemory(true);
        var naive = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        for (var block = 0; block < 16; block++)
        {
            foreach (var record in MakeBlock(block))
            {
                NaiveAdd(naive, record);
            }
        }

        var naiveAfter = GC.GetTotalMemory(true);
        Console.WriteLine($"// K4 naive state: {naive.Count} keys, {(naiveAfter - naiveBefore) / (double)naive.Count:F1} bytes per key");
        GC.KeepAlive(naive);
    }

    [IterationSetup]
    public void NextBlock() => _records = MakeBlock(_block++);

    [Benchmark(Baseline = true, OperationsPerInvoke = Block, Description = "per-key timestamp lists")]
    public long Naive()
    {
        foreach (var record in _records)
        {
            _naiveAlerts += NaiveAdd(_naive, record) ? 1 : 0;
        }

        return _naiveAlerts;
    }

    [Benchmark(OperationsPerInvoke = Block, Description = "engine (event-time buffer, sub-bucket counters)")]
    public long Engine()
    {
        foreach (var record in _records)
        {
            _engine.Process(new StoredLog(0, record), _sink, DetectionWorkload.T0);
        }

        return _sink.Raised;
    }

    private static bool NaiveAdd(Dictionary<string, List<long>> state, SecurityLog record)
    {
        if (!state.TryGetValue(record.SrcIp!, out var times))
        {
            times = [];
            state.Add(record.SrcIp!, times);
        }

        var ticks = record.Time.UtcTicks;
        times.Add(ticks);
        var oldest = ticks - Window.Ticks;
        var expired = 0;
        while (expired < times.Count && times[expired] < oldest)
        {
            expired++;
        }

        if (expired > 0)
        {
            times.RemoveRange(0, expired);
        }

        return times.Count >= Threshold;
    }

    private void Feed(int block)
    {
        foreach (var record in MakeBlock(block))
        {
            _engine.Process(new StoredLog(0, record), _sink, DetectionWorkload.T0);
        }
    }

    private static DetectionEngine NewEngine()
    {
        var rule = new RuleDefinition
        {
            Id = "ip-burst",
            Title = "More than 50 requests from one IP in 5 minutes",
            Condition = new FieldCondition("src_endpoint.ip", MatchOperator.Exists, ValueList<string>.Empty),
            Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip"), Window, AggregateFunction.Count, null, Threshold),
            Entities = ValueList.Of(new EntityMapping(EntityKind.Ip, "src_endpoint.ip")),
        };
        var options = new DetectionOptions { Lateness = TimeSpan.FromSeconds(10) };
        return new DetectionEngine(RuleCompiler.Compile([new ActiveRule(1, rule, RuleMode.Live)], [], options), options);
    }

    /// <summary>200 000 records over 20 s, every IP twice, each record's arrival shifted by up to 8 s (within the lateness).</summary>
    private SecurityLog[] MakeBlock(int block)
    {
        var random = new Random(block);
        var start = DetectionWorkload.T0 + (BlockSpan * block);
        var records = new (double Arrival, SecurityLog Log)[Block];
        for (var i = 0; i < Block; i++)
        {
            var offsetMs = i * BlockSpan.TotalMilliseconds / Block;
            records[i] = (offsetMs + random.Next(0, 8000), new SecurityLog
            {
                SourceId = 1,
                Uid = string.Empty,
                Time = start.AddMilliseconds(offsetMs),
                Provider = CloudProvider.AlibabaCloud,
                Product = LogProduct.AlibabaWaf,
                SrcIp = _ips[(i * 7919) % Keys],
            });
        }

        Array.Sort(records, (a, b) => a.Arrival.CompareTo(b.Arrival));
        return [.. records.Select(r => r.Log)];
    }
}
