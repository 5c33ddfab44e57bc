using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Library;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Tests.Detection;

/// <summary>The console's sample runner (the one behind "Test on samples") over the real normalisers.</summary>
public sealed class RuleTesterTests
{
    private static RuleTester Tester() => new(new LogNormalizers(
    [
        .. Enum.GetValues<LogProduct>().Select(PredefinedRulesTests.NormalizerFor),
    ]));

    [Fact]
    public void RunSamples_PassesEverySampleOfEveryPredefinedRule()
    {
        var tester = Tester();

        var failed = PredefinedRules.All
            .SelectMany(rule => tester.RunSamples(rule).Select(outcome => (rule.Id, outcome)))
            .Where(r => !r.outcome.Passed)
            .Select(r => $"{r.Id} / {r.outcome.Name}: {string.Join(" ", r.outcome.Problems)}")
            .ToList();

        Assert.Empty(failed);
        Assert.Equal(PredefinedRules.All.Sum(r => r.Samples.Count), PredefinedRules.All.Sum(r => tester.RunSamples(r).Count));
    }

    [Fact]
    public void RunSamples_FailsWithTheNormalisersReason_WhenARecordCannotBeRead()
    {
        var rule = PredefinedRules.Find("alibaba-waf-sqli")! with
        {
            Samples = [new RuleSample("broken", true, null, [new SampleRecord("{\"host\":\"a.example.com\"}")])],
        };

        var outcome = Assert.Single(Tester().RunSamples(rule));

        Assert.False(outcome.Passed);
        Assert.StartsWith("Sample 'broken', record 1: ", Assert.Single(outcome.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void RunPasted_ReadsAnArrayOfRecords_AndReportsTheOnesThatAreNotJson()
    {
        var rule = PredefinedRules.Find("alibaba-waf-sqli")!;
        const string Records = """
            {"time":"2025-03-03T16:03:20+08:00","real_client_ip":"203.0.113.7","host":"shop.example.com","request_path":"/index.php","querystring":"id=1%20union%20select%201,2","request_traceid":"p1","status":"405","final_action":"block","final_plugin":"waf","final_rule_type":"sqli"}
            not json
            {"time":"2025-03-03T16:03:21+08:00","real_client_ip":"192.0.2.10","host":"shop.example.com","request_path":"/","request_traceid":"p2","status":"200"}
            """;

        var outcome = Tester().RunPasted(rule, Records, LogProduct.AlibabaWaf);

        Assert.Equal(2, outcome.Records);
        Assert.Equal(1, outcome.Matches);
        Assert.Equal("203.0.113.7", Assert.Single(Assert.Single(outcome.Alerts).Entities, e => e.Kind == EntityKind.Ip).Value);
        Assert.StartsWith("Line 2: not JSON", Assert.Single(outcome.Problems), StringComparison.Ordinal);
    }
}
