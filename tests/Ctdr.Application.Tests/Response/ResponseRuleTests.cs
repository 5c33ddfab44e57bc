using Ctdr.Application.Response;

namespace Ctdr.Application.Tests.Response;

public sealed class ResponseRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly ResponseSubject KillChain = new(
        "Serious", 84, "Unhandled",
        ["SQL injection against a site protected by the Alibaba Cloud WAF", "ActionTrail logging stopped"],
        ["AlibabaCloud"], ["5000000000000001"], ["ip", "asset", "user"]);

    private static ResponseRule Rule(bool matchAll, params ResponseCondition[] conditions) =>
        ResponseRule.Create(new ResponseRuleForm("r", true, ResponseTrigger.Event, matchAll, conditions, [new ResponseAction(ResponseActionKind.RunPlaybook, 1)]), 1, "ana", Now);

    [Theory]
    [InlineData("threat_level", "=", "serious", true)]
    [InlineData("threat_level", "!=", "Serious", false)]
    [InlineData("threat_score", ">=", "84", true)]
    [InlineData("threat_score", ">=", "85", false)]
    [InlineData("threat_score", "<=", "84", true)]
    [InlineData("threat_score", "=", "84", true)]
    [InlineData("threat_score", ">=", "high", false)]
    [InlineData("rule_name", "contains", "sql injection", true)]
    [InlineData("rule_name", "=", "ActionTrail logging stopped", true)]
    [InlineData("rule_name", "!=", "ActionTrail logging stopped", false)]
    [InlineData("provider", "=", "AlibabaCloud", true)]
    [InlineData("provider", "=", "HuaweiCloud", false)]
    [InlineData("account", "=", "5000000000000001", true)]
    [InlineData("entity_type", "=", "access_key", false)]
    [InlineData("entity_type", "=", "user", true)]
    [InlineData("status", "=", "Unhandled", true)]
    [InlineData("unknown", "=", "x", false)]
    public void Holds_ComparesTheField(string field, string op, string value, bool expected)
    {
        Assert.Equal(expected, KillChain.Holds(new ResponseCondition(field, op, value)));
    }

    [Fact]
    public void Matches_NeedsAllConditions_WhenAnd_AndAnyCondition_WhenOr()
    {
        var serious = new ResponseCondition("threat_level", "=", "Serious");
        var huawei = new ResponseCondition("provider", "=", "HuaweiCloud");

        Assert.False(Rule(true, serious, huawei).Matches(KillChain));
        Assert.True(Rule(false, serious, huawei).Matches(KillChain));
        Assert.True(Rule(true).Matches(KillChain));
    }

    [Fact]
    public void Validate_NamesEveryProblem()
    {
        var form = new ResponseRuleForm(" ", true, ResponseTrigger.Event, true,
            [new ResponseCondition("threat_score", "contains", "9"), new ResponseCondition("threat_level", "=", "Serious")],
            [new ResponseAction(ResponseActionKind.RunPlaybook, 99)], RequireApproval: true, ApprovalMinutes: 0);

        var result = form.Validate([1, 2]);

        Assert.Equal(
            [
                "Give the rule a name of at most 100 characters.",
                "'threat_score contains 9' is not a condition: fields threat_level, threat_score, status, rule_name, provider, account, entity_type; threat_score takes = != >= <= and a number, the others = != contains.",
                "Choose an existing playbook for each 'run playbook' action.",
                "The approval deadline is between 1 minute and 24 hours.",
            ],
            result.AllMessages());
    }

    [Fact]
    public void Fired_CountsAndRemembersWhen()
    {
        var rule = Rule(true);

        rule.Fired(Now);
        rule.Fired(Now.AddMinutes(1));

        Assert.Equal((2L, Now.AddMinutes(1)), (rule.FiredCount, rule.LastFiredAt!.Value));
    }
}
