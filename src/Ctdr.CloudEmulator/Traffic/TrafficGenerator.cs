using System.Globalization;
using Ctdr.CloudEmulator.Alibaba;

namespace Ctdr.CloudEmulator.Traffic;

/// <summary>What one generation appended.</summary>
public sealed record GenerationResult(string Stream, string? Scenario, int Appended, string? FirstId, string? LastId, long StreamRecordCount);

/// <summary>
/// The traffic generator: benign baseline traffic and attack scenarios, written in each provider's own log format.
/// Deterministic: the same seed and the same clock give the same records. The background loop calls
/// <see cref="Tick"/>; tests and the control API call <see cref="Generate"/> for exactly N records now.
/// </summary>
internal sealed class TrafficGenerator
{
    /// <summary>Records at most per append call (an upload / a batch of log groups).</summary>
    private const int BatchSize = 5000;

    private static readonly string[] BlockedKinds = ["sqli", "xss", "webshell"];

    private readonly SandboxState state;
    private readonly Lock gate = new();
    private readonly Random random;
    private readonly Dictionary<string, double> carry = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActiveScenario> active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> scenarioCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> rates;
    private long sequence;
    private DateTimeOffset? nextScheduledScenarioAt;
    private int nextScheduledScenario;

    public TrafficGenerator(SandboxState state)
    {
        this.state = state;
        random = new Random(state.Options.Seed ?? Random.Shared.Next());
        rates = new Dictionary<string, double>(state.Options.Rates, StringComparer.Ordinal);
        Running = state.Options.GenerateTraffic;
    }

    public bool Running { get; set; }

    public IReadOnlyDictionary<string, double> Rates
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, double>(rates, StringComparer.Ordinal);
            }
        }
    }

    public void SetRates(IReadOnlyDictionary<string, double> newRates)
    {
        foreach (var (stream, rate) in newRates)
        {
            if (!state.StreamNames.Contains(stream))
            {
                throw new ArgumentException($"Unknown stream '{stream}'. Known: {string.Join(", ", state.StreamNames)}.");
            }

            if (rate < 0 || double.IsNaN(rate) || rate > 100_000)
            {
                throw new ArgumentException($"Rate for '{stream}' must be between 0 and 100000 records/s.");
            }
        }

        lock (gate)
        {
            foreach (var (stream, rate) in newRates)
            {
                rates[stream] = rate;
            }
        }
    }

    public IReadOnlyList<ActiveScenario> ActiveScenarios
    {
        get
        {
            lock (gate)
            {
                ExpireScenarios();
                return active.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            }
        }
    }

    public ActiveScenario StartScenario(string name, double? rate, double? durationSeconds)
    {
        var info = Scenarios.Find(name) ?? throw new ArgumentException($"Unknown scenario '{name}'. Known: {string.Join(", ", Scenarios.All.Select(s => s.Name))}.");
        if (rate is < 0 or > 100_000 || durationSeconds is <= 0)
        {
            throw new ArgumentException("rate must be 0..100000 records/s and durationSeconds positive.");
        }

        var now = state.Clock.GetUtcNow();
        var scenario = new ActiveScenario(info.Name, rate ?? state.Options.ScenarioRate, now, durationSeconds is { } d ? now.AddSeconds(d) : null);
        lock (gate)
        {
            active[info.Name] = scenario;
        }

        return scenario;
    }

    public bool StopScenario(string name)
    {
        lock (gate)
        {
            return active.Remove(Scenarios.Find(name)?.Name ?? name);
        }
    }

    /// <summary>Appends exactly <paramref name="count"/> records to <paramref name="stream"/> now.</summary>
    public GenerationResult Generate(string stream, int count, string? scenarioName, int? seed)
    {
        if (!state.StreamNames.Contains(stream))
        {
            throw new ArgumentException($"Unknown stream '{stream}'. Known: {string.Join(", ", state.StreamNames)}.");
        }

        if (count is < 0 or > 1_000_000)
        {
            throw new ArgumentException("count must be between 0 and 1000000.");
        }

        ScenarioInfo? scenario = null;
        if (scenarioName is not null)
        {
            scenario = Scenarios.Find(scenarioName) ?? throw new ArgumentException($"Unknown scenario '{scenarioName}'.");
            if (!scenario.Streams.Contains(stream))
            {
                throw new ArgumentException($"Scenario '{scenario.Name}' does not write to '{stream}'; it writes to {string.Join(", ", scenario.Streams)}.");
            }

            if (scenario.Name == KillChain.Name && count < KillChain.MinimumCount(stream))
            {
                throw new ArgumentException($"Scenario '{KillChain.Name}' plays all its stages in one call: '{stream}' needs a count of at least {KillChain.MinimumCount(stream)}, not {count}.");
            }
        }

        lock (gate)
        {
            var rng = seed is { } s ? new Random(s) : random;
            var now = state.Clock.GetUtcNow();
            string? first = null, last = null;
            var chain = scenario?.Name == KillChain.Name ? new ChainCursor(count, now) : null;
            for (var done = 0; done < count; done += BatchSize)
            {
                var (f, l) = AppendBatch(stream, Math.Min(BatchSize, count - done), scenario, rng, now, chain);
                first ??= f;
                last = l ?? last;
            }

            return new GenerationResult(stream, scenario?.Name, count, first, last, state.RecordCount(stream));
        }
    }

    /// <summary>One step of the background loop: rate × elapsed records per stream, plus the active scenarios.</summary>
    public void Tick(TimeSpan elapsed)
    {
        if (!Running)
        {
            return;
        }

        lock (gate)
        {
            ExpireScenarios();
            var now = state.Clock.GetUtcNow();
            StartScheduledScenario(now);
            foreach (var stream in state.StreamNames.Order(StringComparer.Ordinal))
            {
                var benign = Due(stream, rates.GetValueOrDefault(stream), elapsed);
                if (benign > 0)
                {
                    AppendBatch(stream, benign, null, random, now);
                }

                foreach (var scenario in active.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
                {
                    var info = Scenarios.Find(scenario.Name)!;
                    if (!info.Streams.Contains(stream))
                    {
                        continue;
                    }

                    var due = Due(stream + "/" + info.Name, scenario.Rate, elapsed);
                    if (due > 0)
                    {
                        AppendBatch(stream, due, info, random, now);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The demo schedule (<see cref="SandboxOptions.ScenarioEvery"/>): on the first tick the first scenario starts,
    /// then the next one every interval, round the list.
    /// </summary>
    private void StartScheduledScenario(DateTimeOffset now)
    {
        var every = state.Options.ScenarioEvery;
        if (every <= TimeSpan.Zero || (nextScheduledScenarioAt is { } next && now < next))
        {
            return;
        }

        var info = Scenarios.All[nextScheduledScenario % Scenarios.All.Count];
        active[info.Name] = new ActiveScenario(info.Name, state.Options.ScenarioRate, now, now + state.Options.ScenarioDuration);
        nextScheduledScenario++;
        nextScheduledScenarioAt = now + every;
    }

    private int Due(string key, double rate, TimeSpan elapsed)
    {
        var exact = carry.GetValueOrDefault(key) + (rate * elapsed.TotalSeconds);
        var whole = (int)Math.Min(Math.Floor(exact), 1_000_000);
        carry[key] = exact - whole;
        return whole;
    }

    private void ExpireScenarios()
    {
        var now = state.Clock.GetUtcNow();
        foreach (var expired in active.Values.Where(s => s.Until is { } until && until <= now).Select(s => s.Name).ToList())
        {
            active.Remove(expired);
        }
    }

    /// <param name="chain">Where a generation call of the kill chain stands; null in the background loop.</param>
    private (string? First, string? Last) AppendBatch(string stream, int count, ScenarioInfo? scenario, Random rng, DateTimeOffset now, ChainCursor? chain = null)
    {
        if (count == 0)
        {
            return (null, null);
        }

        var writer = new RecordWriter(state, rng, now);
        switch (stream)
        {
            case "alibaba-waf" or "alibaba-noindex":
            {
                var records = new List<SlsRecord>(count);
                for (var i = 0; i < count; i++)
                {
                    records.Add(writer.AlibabaWaf(NextVisit(scenario, rng, now, stream, chain), ++sequence));
                }

                state.SlsStream(stream)!.Append(records, "waf_access_log", string.Empty, now.ToUnixTimeSeconds());
                return (records[0]["request_traceid"], records[^1]["request_traceid"]);
            }

            case "alibaba-cloudfirewall":
            {
                var records = new List<SlsRecord>(count);
                for (var i = 0; i < count; i++)
                {
                    records.Add(writer.CloudFirewall(scenario?.Name, NextCounter(scenario, stream), ++sequence));
                }

                state.SlsStream(stream)!.Append(records, "cloudfirewall_access_log", string.Empty, now.ToUnixTimeSeconds());
                return (Flow(records[0]), Flow(records[^1]));
            }

            case "alibaba-actiontrail":
            {
                var records = new List<SlsRecord>(count);
                var ids = new List<string>(count);
                for (var i = 0; i < count; i++)
                {
                    var (record, eventId) = scenario?.Name == KillChain.Name
                        ? writer.KillChainAudit(NextChainStep(scenario, stream, chain, now))
                        : writer.ActionTrail(scenario?.Name, NextCounter(scenario, stream));
                    records.Add(record);
                    ids.Add(eventId);
                }

                state.SlsStream(stream)!.Append(records, "actiontrail_audit_event", string.Empty, now.ToUnixTimeSeconds());
                return (ids[0], ids[^1]);
            }

            case "huawei-waf-attack" or "huawei-waf-access" or "tencent-waf":
            {
                var records = new List<(long, string)>(count);
                var ids = new List<string>(count);
                for (var i = 0; i < count; i++)
                {
                    var effective = scenario;
                    if (stream == "huawei-waf-attack" && effective is null)
                    {
                        // The attack stream only ever holds attacks: without a scenario, a mix of the blocked kinds.
                        effective = Scenarios.Find(BlockedKinds[rng.Next(BlockedKinds.Length)]);
                    }

                    var visit = NextVisit(effective, rng, now, stream, chain);
                    var (json, id) = stream switch
                    {
                        "huawei-waf-attack" => writer.HuaweiAttack(visit, ++sequence),
                        "huawei-waf-access" => writer.HuaweiAccess(visit, ++sequence),
                        _ => writer.TencentWaf(visit, ++sequence),
                    };
                    records.Add((visit.Time.ToUnixTimeMilliseconds(), json));
                    ids.Add(id);
                }

                state.JsonStream(stream)!.Append(records);
                return (ids[0], ids[^1]);
            }

            default:
                throw new ArgumentException($"Stream '{stream}' has no generator.");
        }

        static string Flow(SlsRecord r) => $"{r["src_ip"]}:{r["src_port"]}->{r["dst_ip"]}:{r["dst_port"]}";
    }

    private long NextCounter(ScenarioInfo? scenario, string stream)
    {
        var key = (scenario?.Name ?? "benign") + "/" + stream;
        var value = scenarioCounters.GetValueOrDefault(key);
        scenarioCounters[key] = value + 1;
        return value;
    }

    private Visit NextVisit(ScenarioInfo? scenario, Random rng, DateTimeOffset now, string stream, ChainCursor? chain)
    {
        if (scenario?.Name == KillChain.Name)
        {
            return WebTraffic.KillChainVisit(NextChainStep(scenario, stream, chain, now), rng);
        }

        var counter = NextCounter(scenario, stream);
        return scenario is null ? WebTraffic.Benign(rng, now) : WebTraffic.Attack(scenario, counter, rng, now);
    }

    /// <summary>
    /// The next record of the kill chain: in a generation call, the next position of a chain as long as the call,
    /// spread over the seconds after the generation time; in the background loop, the next position round a chain
    /// of <see cref="KillChain.LoopLength"/> records, at the tick's time.
    /// </summary>
    private KillChainStep NextChainStep(ScenarioInfo scenario, string stream, ChainCursor? chain, DateTimeOffset now) =>
        chain is null
            ? KillChain.Step(stream, NextCounter(scenario, stream) % KillChain.LoopLength, KillChain.LoopLength, null, now)
            : KillChain.Step(stream, chain.Next++, chain.Total, chain.SpreadFrom, now);

    /// <summary>One generation call's progress through the kill chain (a call may append several batches).</summary>
    private sealed class ChainCursor(long total, DateTimeOffset spreadFrom)
    {
        public long Total { get; } = total;

        public DateTimeOffset SpreadFrom { get; } = spreadFrom;

        public long Next { get; set; }
    }
}
