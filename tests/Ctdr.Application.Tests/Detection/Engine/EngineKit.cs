using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Logs;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.Detection.Engine;

/// <summary>Collects what an engine reports.</summary>
internal sealed class CollectingSink : IDetectionSink
{
    public List<AlertCandidate> Candidates { get; } = [];

    public List<(long EntryId, long RuleId, DateTimeOffset Time)> AllowListed { get; } = [];

    public void Raise(AlertCandidate candidate) => Candidates.Add(candidate);

    void IDetectionSink.AllowListed(long entryId, long ruleId, DateTimeOffset time) => AllowListed.Add((entryId, ruleId, time));
}

/// <summary>Discards everything (the replay of a restart).</summary>
internal sealed class DiscardingSink : IDetectionSink
{
    public static DiscardingSink Instance { get; } = new();

    public void Raise(AlertCandidate candidate)
    {
    }

    public void AllowListed(long entryId, long ruleId, DateTimeOffset time)
    {
    }
}

internal static class EngineKit
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    public static SecurityLog Waf(
        string uid,
        DateTimeOffset time,
        string? ip = "203.0.113.7",
        string? host = "shop.example.com",
        string? path = "/index.php",
        string? query = null,
        string? ruleType = null,
        int? status = 200,
        long sourceId = 1,
        string? userAgent = null,
        string? raw = null) => new()
        {
            SourceId = sourceId,
            Uid = uid,
            Time = time,
            Provider = CloudProvider.AlibabaCloud,
            AccountUid = "5000000000000001",
            Product = LogProduct.AlibabaWaf,
            SrcIp = ip,
            UrlHostname = host,
            UrlPath = path,
            UrlQuery = query,
            FirewallRuleType = ruleType,
            HttpStatus = status,
            UserAgent = userAgent,
            Raw = raw is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(raw),
        };

    public static FieldCondition Test(string field, MatchOperator op, params string[] values) => new(field, op, values);

    public static RuleDefinition Rule(string id, RuleCondition? condition, params LogProduct[] products) => new()
    {
        Id = id,
        Title = id,
        Condition = condition,
        Products = products,
        Entities = ValueList.Of(new EntityMapping(EntityKind.Ip, "src_endpoint.ip"), new EntityMapping(EntityKind.Asset, "http_request.url.hostname")),
    };

    public static ActiveRule Active(RuleDefinition definition, long id = 1) => new(id, definition, RuleMode.Live);

    public static DetectionEngine NewEngine(DetectionOptions options, IReadOnlyList<AllowListRule>? allowList, params RuleDefinition[] rules) =>
        new(RuleCompiler.Compile([.. rules.Select((r, i) => Active(r, i + 1))], allowList ?? [], options), options);

    public static DetectionEngine NewEngine(params RuleDefinition[] rules) => NewEngine(new DetectionOptions(), null, rules);

    /// <summary>Processes records (log id = position + 1) at one processing time, then flushes.</summary>
    public static CollectingSink Run(DetectionEngine engine, params SecurityLog[] logs)
    {
        var sink = new CollectingSink();
        for (var i = 0; i < logs.Length; i++)
        {
            engine.Process(new StoredLog(i + 1, logs[i]), sink, T0);
        }

        engine.Flush(sink);
        return sink;
    }

    /// <summary>Whether a stateless rule with this condition raises on this record.</summary>
    public static bool Matches(RuleCondition condition, SecurityLog log)
    {
        var sink = Run(NewEngine(Rule("r", condition)), log);
        return sink.Candidates.Count switch
        {
            0 => false,
            1 => true,
            var n => throw new InvalidOperationException($"{n} candidates for one record"),
        };
    }
}
