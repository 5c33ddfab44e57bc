using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Library;
using Ctdr.Application.Events;

namespace Ctdr.Application.Tests.Events;

public class ThreatScoreTests
{
    private const string Shop = "shop.example.com";

    /// <summary>The worked examples of docs/events.md, "Threat score", by number.</summary>
    public static TheoryData<int, int, ThreatLevel> DocumentedExamples => new()
    {
        { 1, 30, ThreatLevel.Suspicious },
        { 2, 76, ThreatLevel.Serious },
        { 3, 60, ThreatLevel.Serious },
        { 4, 68, ThreatLevel.Serious },
        { 5, 45, ThreatLevel.Suspicious },
        { 6, 30, ThreatLevel.Remind },
        { 7, 5, ThreatLevel.Remind },
        { 8, 100, ThreatLevel.Serious },
    };

    public static TheoryData<int> ExampleNumbers => new(Enumerable.Range(1, 8));

    private static ScoredAlert[] Example(int number) => number switch
    {
        1 => [new("alibaba-waf-xss", RuleSeverity.Medium, "TA0001", Shop)],
        2 =>
        [
            new("alibaba-waf-directory-scan", RuleSeverity.Medium, "TA0043", Shop),
            new("alibaba-waf-sqli", RuleSeverity.High, "TA0001", Shop),
            new("alibaba-waf-webshell", RuleSeverity.High, "TA0003", Shop),
        ],
        3 =>
        [
            new("alibaba-waf-sqli", RuleSeverity.High, "TA0001", Shop),
            new("alibaba-waf-success-after-attack", RuleSeverity.High, "TA0001", Shop),
        ],
        4 =>
        [
            new("alibaba-actiontrail-access-key-created-external-ip", RuleSeverity.High, "TA0003", null),
            new("alibaba-actiontrail-logging-stopped", RuleSeverity.High, "TA0005", null),
        ],
        5 => [.. "abcde".Select(c => new ScoredAlert("huawei-waf-scanner", RuleSeverity.Medium, "TA0043", c + ".example.com"))],
        6 => [new("alibaba-actiontrail-ram-user-created", RuleSeverity.Low, "TA0003", null)],
        7 => [new("custom-informational", RuleSeverity.Informational, null, null)],
        8 =>
        [
            new("custom-critical", RuleSeverity.Critical, "TA0040", "a.example.com"),
            new("alibaba-waf-directory-scan", RuleSeverity.Medium, "TA0043", "b.example.com"),
            new("alibaba-waf-sqli", RuleSeverity.High, "TA0001", "c.example.com"),
            new("custom-execution", RuleSeverity.High, "TA0002", "d.example.com"),
            new("alibaba-waf-webshell", RuleSeverity.High, "TA0003", "e.example.com"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(number)),
    };

    [Theory]
    [MemberData(nameof(DocumentedExamples))]
    public void Compute_GivesDocumentedScore_WhenEventIsADocumentedExample(int example, int score, ThreatLevel level)
    {
        var alerts = Example(example);

        Assert.Equal(score, ThreatScore.Compute(alerts));
        Assert.Equal(level, ThreatScore.ThreatLevelOf(alerts));
    }

    [Fact]
    public void Compute_ClampsTo100_WhenThePartsAddUpToMore()
    {
        // 60 + 24 + 15 + 15 = 114 without the clamp; each part is already at its own cap.
        var alerts = Example(8).Append(new ScoredAlert("alibaba-waf-success-after-attack", RuleSeverity.Critical, "TA0005", "f.example.com")).ToList();

        Assert.Equal(100, ThreatScore.Compute(alerts));
    }

    [Fact]
    public void Compute_CapsProgressionAt24_WhenFourTacticsAreSeen()
    {
        // Recon, initial access only (no success) would be 45 + 8; four tactics give +24 and success +15.
        ScoredAlert[] alerts =
        [
            new("a", RuleSeverity.High, "TA0043", null),
            new("b", RuleSeverity.Low, "TA0042", null),
            new("c", RuleSeverity.Low, "TA0001", null),
            new("d", RuleSeverity.Low, "TA0002", null),
        ];

        Assert.Equal(45 + 24 + 15, ThreatScore.Compute(alerts));
    }

    [Fact]
    public void Compute_GivesNoSuccess_WhenTacticsStopAtInitialAccess()
    {
        ScoredAlert[] alerts =
        [
            new("alibaba-waf-scanner-user-agent", RuleSeverity.Medium, "TA0043", Shop),
            new("alibaba-waf-sqli", RuleSeverity.High, "TA0001", Shop),
        ];

        Assert.Equal(45 + 8, ThreatScore.Compute(alerts));
    }

    [Fact]
    public void Compute_CountsTacticsOnceAndAssetsIgnoringCase_WhenTheyRepeat()
    {
        ScoredAlert[] alerts =
        [
            new("alibaba-waf-sqli", RuleSeverity.High, "TA0001", "Shop.Example.com"),
            new("alibaba-waf-xss", RuleSeverity.Medium, "ta0001", Shop),
            new("alibaba-waf-path-traversal", RuleSeverity.High, "Initial Access", Shop),
            new("custom", RuleSeverity.Low, "not-a-tactic", null),
        ];

        Assert.Equal(45, ThreatScore.Compute(alerts));
    }

    [Fact]
    public void Compute_IsZeroAndLevelRemind_WhenThereAreNoAlerts()
    {
        Assert.Equal(0, ThreatScore.Compute([]));
        Assert.Equal(ThreatLevel.Remind, ThreatScore.ThreatLevelOf([]));
    }

    [Fact]
    public void From_TakesRuleSeverityTacticAndAsset_WhenGivenACorrelationAlert()
    {
        var now = new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);
        var alert = new CorrelationAlert(
            1, "alibaba-waf-sqli", RuleSeverity.High, "TA0001", CloudProvider.AlibabaCloud, "111", now, now, false,
            [new AlertEntity(EntityKind.Ip, "203.0.113.7"), new AlertEntity(EntityKind.Asset, Shop)]);

        Assert.Equal(new ScoredAlert("alibaba-waf-sqli", RuleSeverity.High, "TA0001", Shop), ScoredAlert.From(alert));
    }

    [Fact]
    public void SuccessIndicatorRules_ArePredefinedRules_WhenLookedUpInTheLibrary()
    {
        Assert.All(ThreatScore.SuccessIndicatorRules, key => Assert.NotNull(PredefinedRules.Find(key)));
    }

    [Theory]
    [MemberData(nameof(ExampleNumbers))]
    public void Example_UsesTheLibrarySeverityAndTactic_WhenItNamesAPredefinedRule(int example)
    {
        foreach (var alert in Example(example))
        {
            if (PredefinedRules.Find(alert.RuleKey) is { } rule)
            {
                Assert.Equal((rule.Severity, rule.Tactic), (alert.Severity, alert.Tactic));
            }
        }
    }
}
