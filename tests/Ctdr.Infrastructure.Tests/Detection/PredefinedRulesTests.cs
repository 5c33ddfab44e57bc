using System.Text;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Library;
using Ctdr.Application.Detection.Text;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Infrastructure.Clouds.Alibaba;
using Ctdr.Infrastructure.Clouds.Huawei;
using Ctdr.Infrastructure.Clouds.Tencent;
using Ctdr.Infrastructure.Clouds.ThirdParty;

namespace Ctdr.Infrastructure.Tests.Detection;

/// <summary>
/// The predefined rule library: its shape, and every rule against its own samples, normalised by the real normaliser
/// of the sample's product and evaluated by the real engine holding only that rule.
/// </summary>
public sealed class PredefinedRulesTests
{
    private const long SourceId = 41;

    private static readonly DetectionOptions Options = new();

    public static TheoryData<string, int, string> Samples()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var rule in PredefinedRules.All)
        {
            for (var i = 0; i < rule.Samples.Count; i++)
            {
                data.Add(rule.Id, i, rule.Samples[i].Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_RaisesItsRuleExactlyAsExpected_WhenEvaluatedAlone(string ruleId, int sampleIndex, string sampleName)
    {
        var rule = PredefinedRules.Find(ruleId)!;
        var sample = rule.Samples[sampleIndex];
        Assert.Equal(sampleName, sample.Name);
        var logs = Normalise(rule, sample);

        var (candidates, allowListed) = Evaluate(rule, logs);

        Assert.Equal(0, allowListed);
        if (sample.ExpectMatch)
        {
            // Every match sample is written within one suppression period for one attacker: one alert.
            var alert = Assert.Single(AlertFold.Fold(candidates, Options.MaxEvidence));
            Assert.Equal(rule.Id, alert.RuleKey);
            Assert.All(candidates, c => Assert.Equal(rule.Id, c.RuleKey));
            Assert.NotEmpty(alert.Entities);
        }
        else
        {
            Assert.Empty(candidates);
        }
    }

    [Fact]
    public void All_HoldsAtLeastFortyRulesWithUniqueIds_WhenLoaded()
    {
        var ids = PredefinedRules.All.Select(r => r.Id).ToList();

        Assert.True(ids.Count >= 40, $"{ids.Count} rules");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            ["alibaba-actiontrail.rules", "alibaba-cloud-firewall.rules", "alibaba-waf.rules", "huawei-waf.rules", "tencent-waf.rules", "third-party.rules"],
            PredefinedRules.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ids, PredefinedRules.Files.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => f.Value));
    }

    [Fact]
    public void All_EveryRuleIsDocumentedMappedAndSampled_WhenLoaded()
    {
        Assert.All(PredefinedRules.All, rule =>
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Description), rule.Id + ": description");
            Assert.False(string.IsNullOrWhiteSpace(rule.Recommendation), rule.Id + ": recommendation");
            Assert.True(Attack.Tactic(rule.Tactic) is not null, rule.Id + ": tactic " + rule.Tactic);
            Assert.True(rule.Technique is not null && Attack.Techniques.ContainsKey(rule.Technique), rule.Id + ": technique " + rule.Technique);
            Assert.Single(rule.Products);
            Assert.NotEmpty(rule.Entities);
            Assert.NotNull(rule.Suppression);
            Assert.Contains(rule.Samples, s => s.ExpectMatch);
            Assert.Contains(rule.Samples, s => !s.ExpectMatch);
            Assert.StartsWith(FilePrefix(rule.Products[0]), rule.Id, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void All_PassValidationAndPrintBackToThemselves_WhenLoaded()
    {
        Assert.All(PredefinedRules.All, rule =>
        {
            Assert.Empty(RuleValidator.Validate(rule));
            var reparsed = RuleText.Parse(RuleText.Print(rule));
            Assert.Empty(reparsed.Errors);
            Assert.Equal(rule, Assert.Single(reparsed.Rules));
        });
    }

    [Fact]
    public void All_HoldAtLeastFiveRulesPerLogProduct_WhenLoaded()
    {
        var byProduct = PredefinedRules.All.GroupBy(r => r.Products[0]).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(Enum.GetValues<LogProduct>(), product => Assert.True(byProduct.GetValueOrDefault(product) >= 5, $"{product}: {byProduct.GetValueOrDefault(product)}"));
    }

    [Fact]
    public void All_CompileTogetherIntoOneEngine_WhenLoaded()
    {
        var set = RuleCompiler.Compile([.. PredefinedRules.All.Select((r, i) => new ActiveRule(i + 1, r, RuleMode.Live))], [], Options);

        Assert.Equal(PredefinedRules.All.Count, set.RuleCount);
    }

    [Fact]
    public void RulesDocumentation_ListsEveryPredefinedRule_WhenRead()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "rules.md"));

        var missing = PredefinedRules.All.Select(r => r.Id).Where(id => !docs.Contains("| `" + id + "` |", StringComparison.Ordinal)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void ParseFile_NamesFileLineAndColumn_WhenTheTextHasAnError()
    {
        const string Text = "rule broken\ntitle \"Broken\"\nseverity extreme\nwhere src_endpoint.ip exists\n";

        var error = Assert.Throws<InvalidOperationException>(() => PredefinedRules.ParseFile("broken.rules", Text));

        Assert.StartsWith("Predefined rule file broken.rules, line 3, column 10: ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sample's records normalised as its product (the rule's first product when the sample names none); a repeated
    /// record's i-th copy is shifted by i × every and its uid suffixed "#i" (docs/rules.md, Samples).
    /// </summary>
    internal static List<SecurityLog> Normalise(RuleDefinition rule, RuleSample sample)
    {
        var product = sample.Product ?? rule.Products[0];
        var normalizer = NormalizerFor(product);
        var info = LogProducts.Of(product);
        var context = new LogContext(SourceId, info.Provider, "1335759343513432", "cn-hangzhou", "sample");
        var logs = new List<SecurityLog>();
        for (var r = 0; r < sample.Records.Count; r++)
        {
            var record = sample.Records[r];
            var raw = new RawRecord(Encoding.UTF8.GetBytes(record.Json), $"sample:{r}");
            Assert.True(normalizer.TryNormalize(raw, context, out var log, out var rejection), $"{rule.Id} / {sample.Name} record {r}: {rejection}");
            for (var i = 0; i < record.Repeat; i++)
            {
                logs.Add(record.Repeat == 1 ? log! : log! with { Time = log.Time + (record.Every * i), Uid = log.Uid + "#" + i });
            }
        }

        return logs;
    }

    internal static ILogNormalizer NormalizerFor(LogProduct product) => product switch
    {
        LogProduct.AlibabaWaf => new AlibabaWafNormalizer(),
        LogProduct.AlibabaCloudFirewall => new AlibabaCloudFirewallNormalizer(),
        LogProduct.AlibabaActionTrail => new AlibabaActionTrailNormalizer(),
        LogProduct.HuaweiWaf => new HuaweiWafNormalizer(),
        LogProduct.TencentWaf => new TencentWafNormalizer(),
        LogProduct.ThirdPartyOcsf => new OcsfNormalizer(),
        _ => throw new ArgumentOutOfRangeException(nameof(product), product, null),
    };

    /// <summary>Feeds the logs in order to a fresh engine holding the given rules (mode Live), then flushes it.</summary>
    internal static (List<AlertCandidate> Candidates, int AllowListed) Evaluate(IEnumerable<RuleDefinition> rules, IEnumerable<SecurityLog> logs)
    {
        var set = RuleCompiler.Compile([.. rules.Select((r, i) => new ActiveRule(i + 1, r, RuleMode.Live))], [], Options);
        var engine = new DetectionEngine(set, Options);
        var sink = new CollectingSink();
        long id = 0;
        foreach (var log in logs)
        {
            engine.Process(new StoredLog(++id, log), sink, log.Time);
        }

        engine.Flush(sink);
        return (sink.Candidates, sink.AllowListedCount);
    }

    private static (List<AlertCandidate> Candidates, int AllowListed) Evaluate(RuleDefinition rule, IEnumerable<SecurityLog> logs) => Evaluate([rule], logs);

    private static string FilePrefix(LogProduct product) => product switch
    {
        LogProduct.AlibabaWaf => "alibaba-waf-",
        LogProduct.AlibabaCloudFirewall => "alibaba-cfw-",
        LogProduct.AlibabaActionTrail => "alibaba-actiontrail-",
        LogProduct.HuaweiWaf => "huawei-waf-",
        LogProduct.TencentWaf => "tencent-waf-",
        _ => "third-party-",
    };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ctdr.Web.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Ctdr.Web.sln) was not found above " + AppContext.BaseDirectory);
    }

    internal sealed class CollectingSink : IDetectionSink
    {
        public List<AlertCandidate> Candidates { get; } = [];

        public int AllowListedCount { get; private set; }

        public void Raise(AlertCandidate candidate) => Candidates.Add(candidate);

        public void AllowListed(long entryId, long ruleId, DateTimeOffset time) => AllowListedCount++;
    }
}
