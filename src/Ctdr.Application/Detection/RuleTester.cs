using System.Globalization;
using System.Text;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Detection;

/// <summary>The outcome of one sample: passed when it raised the rule as expected.</summary>
public sealed record SampleOutcome(string Name, bool ExpectMatch, bool Passed, int Records, int Alerts, long Matches, IReadOnlyList<string> Problems);

/// <summary>What a rule raised over some records: folded alerts, the matches, the records that raised them.</summary>
public sealed record RuleTestOutcome(int Records, IReadOnlyList<AlertDraft> Alerts, long Matches, IReadOnlyList<string> Problems);

/// <summary>
/// Runs one rule in isolation — a fresh engine holding only that rule — over its samples, pasted records or stored
/// logs. Used by the rule test panel, the backtest and the predefined library's tests.
/// </summary>
public sealed class RuleTester(ILogNormalizers normalizers)
{
    /// <summary>The id the rule runs under in a test (it need not be stored).</summary>
    public const long TestRuleId = 0;

    /// <summary>Runs every sample of the rule.</summary>
    public IReadOnlyList<SampleOutcome> RunSamples(RuleDefinition rule, DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var outcomes = new List<SampleOutcome>();
        foreach (var sample in rule.Samples)
        {
            var product = sample.Product ?? (rule.Products.Count > 0 ? rule.Products[0] : (LogProduct?)null);
            if (product is null)
            {
                outcomes.Add(new SampleOutcome(sample.Name, sample.ExpectMatch, false, 0, 0, 0, ["Say which log product the sample's records are (the rule names none)."]));
                continue;
            }

            var (logs, problems) = Expand(sample, product.Value);
            var outcome = Run(rule, logs, options);
            var raised = outcome.Alerts.Count > 0;
            var passed = problems.Count == 0 && raised == sample.ExpectMatch;
            outcomes.Add(new SampleOutcome(sample.Name, sample.ExpectMatch, passed, logs.Count, outcome.Alerts.Count, outcome.Matches, [.. problems, .. outcome.Problems]));
        }

        return outcomes;
    }

    /// <summary>Records pasted as JSON (one object, an array of objects, or one object per line) of a product.</summary>
    public RuleTestOutcome RunPasted(RuleDefinition rule, string json, LogProduct product, DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (records, problems) = SplitRecords(json);
        var logs = new List<StoredLog>();
        var index = 0;
        foreach (var record in records)
        {
            index++;
            if (Normalize(record, product, index, out var log, out var rejection))
            {
                logs.Add(new StoredLog(index, log!));
            }
            else
            {
                problems.Add($"Record {index.ToString(CultureInfo.InvariantCulture)}: {rejection}");
            }
        }

        var outcome = Run(rule, logs, options);
        return outcome with { Problems = [.. problems, .. outcome.Problems] };
    }

    /// <summary>Evaluates the rule over logs in the order given and flushes the windows at the end.</summary>
    public static RuleTestOutcome Run(RuleDefinition rule, IReadOnlyList<StoredLog> logs, DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(logs);
        options ??= new DetectionOptions();
        CompiledRuleSet compiled;
        try
        {
            compiled = RuleCompiler.Compile([new ActiveRule(TestRuleId, rule, RuleMode.Live)], [], options);
        }
        catch (RuleCompileException exception)
        {
            return new RuleTestOutcome(logs.Count, [], 0, [exception.Message]);
        }

        var engine = new DetectionEngine(compiled, options);
        var sink = new ListSink();
        var processing = logs.Count > 0 ? logs.Max(l => l.Log.Time) : DateTimeOffset.UnixEpoch;
        foreach (var log in logs)
        {
            engine.Process(log, sink, processing);
        }

        engine.Flush(sink);
        return new RuleTestOutcome(logs.Count, AlertFold.Fold(sink.Candidates, options.MaxEvidence), sink.Candidates.Count, []);
    }

    /// <summary>The sample's records normalised, repeats expanded: copy i shifted by i × every, uid suffixed <c>#i</c>.</summary>
    public (List<StoredLog> Logs, List<string> Problems) Expand(RuleSample sample, LogProduct product)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var logs = new List<StoredLog>();
        var problems = new List<string>();
        var index = 0;
        long id = 0;
        foreach (var record in sample.Records)
        {
            index++;
            if (!Normalize(record.Json, product, index, out var log, out var rejection))
            {
                problems.Add($"Sample '{sample.Name}', record {index.ToString(CultureInfo.InvariantCulture)}: {rejection}");
                continue;
            }

            var repeat = Math.Max(1, record.Repeat);
            for (var i = 0; i < repeat; i++)
            {
                var copy = repeat == 1 ? log! : log! with
                {
                    Uid = log!.Uid + "#" + i.ToString(CultureInfo.InvariantCulture),
                    Time = log.Time + (record.Every * i),
                };
                logs.Add(new StoredLog(++id, copy));
            }
        }

        return (logs, problems);
    }

    private bool Normalize(string json, LogProduct product, int index, out SecurityLog? log, out string? rejection)
    {
        var info = LogProducts.Of(product);
        var context = new LogContext(0, info.Provider, null, null, "sample");
        var raw = new RawRecord(Encoding.UTF8.GetBytes(json), "sample-" + index.ToString(CultureInfo.InvariantCulture));
        return normalizers.For(product).TryNormalize(raw, context, out log, out rejection);
    }

    private static (List<string> Records, List<string> Problems) SplitRecords(string json)
    {
        var records = new List<string>();
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(json))
        {
            problems.Add("Paste at least one JSON record.");
            return (records, problems);
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                records.AddRange(document.RootElement.EnumerateArray().Select(e => e.GetRawText()));
            }
            else
            {
                records.Add(document.RootElement.GetRawText());
            }

            return (records, problems);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not one JSON value: one record per line.
        }

        var line = 0;
        foreach (var text in json.Split('\n'))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(text);
                records.Add(document.RootElement.GetRawText());
            }
            catch (System.Text.Json.JsonException exception)
            {
                problems.Add($"Line {line.ToString(CultureInfo.InvariantCulture)}: not JSON ({exception.Message})");
            }
        }

        return (records, problems);
    }

    private sealed class ListSink : IDetectionSink
    {
        public List<AlertCandidate> Candidates { get; } = [];

        public void Raise(AlertCandidate candidate) => Candidates.Add(candidate);

        public void AllowListed(long entryId, long ruleId, DateTimeOffset time)
        {
        }
    }
}
