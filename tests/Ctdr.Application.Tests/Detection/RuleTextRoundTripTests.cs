using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Tests.Detection;

public class RuleTextRoundTripTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 500; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ParseSingle_GivesBackTheRule_WhenAValidRuleIsPrinted(int seed)
    {
        var rule = new RandomRules(seed).Rule();
        Assert.Empty(RuleValidator.Validate(rule));

        var text = RuleText.Print(rule);
        var (parsed, errors) = RuleText.ParseSingle(text);

        Assert.Empty(errors);
        Assert.Equal(rule, parsed);
        Assert.Equal(text, RuleText.Print(parsed!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Parse_GivesBackEveryRule_WhenSeveralRulesArePrintedIntoOneFile(int seed)
    {
        var generator = new RandomRules(seed * 1000);
        var rules = Enumerable.Range(0, 20).Select(_ => generator.Rule()).ToList();

        var text = RuleText.PrintAll(rules);
        var result = RuleText.Parse(text);

        Assert.Empty(result.Errors);
        Assert.Equal(rules, result.Rules);
        Assert.Equal(text, RuleText.PrintAll(result.Rules));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ParseCondition_GivesBackTheCondition_WhenAValidConditionIsPrinted(int seed)
    {
        var condition = new RandomRules(seed).Condition();
        Assert.Empty(RuleValidator.ValidateCondition(condition));

        var text = RuleText.PrintCondition(condition);
        var (parsed, errors) = RuleText.ParseCondition(text);

        Assert.Empty(errors);
        Assert.Equal(condition, parsed);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void Print_GivesBackTheText_WhenTheTextIsCanonical()
    {
        const string text = """
            rule alibaba-waf-sqli
            title "SQL injection blocked by the Alibaba Cloud WAF"
            description "The WAF's core rules classified a request as \"SQL injection\".\nSee the WAF console."
            severity high
            threat suspicious
            products AlibabaWaf, TencentWaf
            attack TA0001 T1190
            author "Ctdr"
            license "MIT"
            reference "https://attack.mitre.org/techniques/T1190/"
            reference "C:\\waf\\notes.txt"
            where firewall_rule.type = "sqli"
              or http_request.url.query_string contains ("union select", "' or '1'='1", "sleep(")
              or http_response.code in (403, 405) and not (cloud.region = "cn-hangzhou" or * matches cased "(?i)x#y")
              or http_request.user_agent startswith all cased ("sqlmap", "Mozilla") and raw.final_action != "pass"
              or http_response.latency > 1000 and src_endpoint.ip cidr ("10.0.0.0/8", "2001:db8::/32") and actor.user.name exists
              or (message = "a" or message not in cased ("b", "c"))
            count distinct http_request.url.path by src_endpoint.ip, http_request.url.hostname within 90s >= 40
            entities ip = src_endpoint.ip, asset = http_request.url.hostname
            suppress 7d by ip, asset
            recommendation "Block the source IP on the WAF for 24 hours."
            sample match "forty requests" product AlibabaWaf
              {"time":"2025-03-03T16:03:20+08:00","real_client_ip":"203.0.113.7","status":"405"} x 40 every 1s
              {"time":"2025-03-03T16:05:00+08:00","note":"# not a comment"}
            end
            sample nomatch "ordinary page view"
              {"time":"2025-03-03T16:03:20+08:00","status":"200"}
            end

            rule actiontrail-stop-logging
            title "Logging stopped after a console sign-in"
            severity critical
            sequence ordered by actor.user.name within 1h
              step signin: api.operation = "ConsoleSignin"
              step stop: api.operation in ("StopLogging", "DeleteTrail") and not api.response.error exists
            entities user = actor.user.name

            """;

        var result = RuleText.Parse(text);

        Assert.Empty(result.Errors);
        Assert.Equal(text, RuleText.PrintAll(result.Rules));
    }

    [Fact]
    public void Print_WritesTheCanonicalForm_WhenTheTextIsWrittenLoosely()
    {
        const string loose = """
            rule r1   # comment
            where http_response.code = "200" and (message exists and (cloud.region exists))
               or   http_request.url.path in ("/a")
            severity low
            title "T"
            count by src_endpoint.ip within 120s > 9
            suppress 3600s
            """;

        var printed = RuleText.Print(RuleText.ParseSingle(loose).Rule!);

        Assert.Equal(
            """
            rule r1
            title "T"
            severity low
            where http_response.code = 200 and (message exists and cloud.region exists)
              or http_request.url.path = "/a"
            count by src_endpoint.ip within 2m >= 10
            suppress 1h

            """,
            printed);
        Assert.Equal(printed, RuleText.Print(RuleText.ParseSingle(printed).Rule!));
    }
}
