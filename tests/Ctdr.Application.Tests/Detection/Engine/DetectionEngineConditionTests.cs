using Ctdr.Application.Detection;
using Ctdr.Application.Logs;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;
using Ctdr.Application.LogSources;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;

namespace Ctdr.Application.Tests.Detection.Engine;

public class DetectionEngineConditionTests
{
    private static readonly SecurityLog Log = Waf("u1", T0, ip: "203.0.113.7", path: "/Admin/Login.php", query: "id=1 UNION SELECT 2", ruleType: "sqli", status: 404, userAgent: "sqlmap/1.7");

    [Theory]
    [InlineData("http_request.url.path", "/admin/login.php", false, true)]
    [InlineData("http_request.url.path", "/admin/login.php", true, false)]
    [InlineData("http_request.url.path", "/Admin/Login.php", true, true)]
    [InlineData("http_request.url.path", "/admin", false, false)]
    [InlineData("http_request.url.hostname", "SHOP.example.com", false, true)]
    [InlineData("cloud.region", "cn-hangzhou", false, false)]
    public void Equals_ComparesIgnoringCaseUnlessCased_WhenOneValue(string field, string value, bool cased, bool expected)
    {
        Assert.Equal(expected, Matches(new FieldCondition(field, MatchOperator.Equals, ValueList.Of(value), CaseSensitive: cased), Log));
    }

    [Fact]
    public void Equals_HoldsForAnyValue_WhenSeveralValues()
    {
        Assert.True(Matches(Test("firewall_rule.type", MatchOperator.Equals, "xss", "SQLI", "rce"), Log));
        Assert.False(Matches(Test("firewall_rule.type", MatchOperator.Equals, "xss", "rce"), Log));
    }

    [Theory]
    [InlineData("firewall_rule.type", "sqli", false)]
    [InlineData("firewall_rule.type", "xss", true)]
    [InlineData("cloud.region", "cn-hangzhou", true)]
    [InlineData("http_response.code", "404", false)]
    [InlineData("http_response.code", "200", true)]
    [InlineData("connection_info.direction_id", "0", true)]
    public void NotEquals_HoldsWhenAbsentOrDifferent_WhenCompared(string field, string value, bool expected)
    {
        Assert.Equal(expected, Matches(Test(field, MatchOperator.NotEquals, value), Log));
    }

    [Fact]
    public void NotEquals_FailsForAnyListedValue_WhenNotIn()
    {
        Assert.False(Matches(Test("firewall_rule.type", MatchOperator.NotEquals, "xss", "SQLI"), Log));
        Assert.True(Matches(Test("firewall_rule.type", MatchOperator.NotEquals, "xss", "rce"), Log));
    }

    [Theory]
    [InlineData(MatchOperator.Contains, "union select", false, false, true)]
    [InlineData(MatchOperator.Contains, "union select", true, false, false)]
    [InlineData(MatchOperator.Contains, "UNION SELECT", true, false, true)]
    [InlineData(MatchOperator.StartsWith, "ID=1", false, false, true)]
    [InlineData(MatchOperator.StartsWith, "union", false, false, false)]
    [InlineData(MatchOperator.EndsWith, "select 2", false, false, true)]
    [InlineData(MatchOperator.EndsWith, "select 2", true, false, false)]
    [InlineData(MatchOperator.Contains, "sleep(", false, false, false)]
    public void TextOperators_FollowCaseRule_WhenOneValue(MatchOperator op, string value, bool cased, bool all, bool expected)
    {
        Assert.Equal(expected, Matches(new FieldCondition("http_request.url.query_string", op, ValueList.Of(value), cased, all), Log));
    }

    [Fact]
    public void Contains_NeedsEveryValue_WhenAll()
    {
        Assert.True(Matches(new FieldCondition("http_request.url.query_string", MatchOperator.Contains, ValueList.Of("union", "select"), MatchAllValues: true), Log));
        Assert.False(Matches(new FieldCondition("http_request.url.query_string", MatchOperator.Contains, ValueList.Of("union", "sleep("), MatchAllValues: true), Log));
        Assert.True(Matches(new FieldCondition("http_request.url.query_string", MatchOperator.Contains, ValueList.Of("union", "sleep(")), Log));
    }

    [Fact]
    public void StartsWithAndEndsWith_NeedEveryValue_WhenAll()
    {
        Assert.True(Matches(new FieldCondition("http_request.url.path", MatchOperator.StartsWith, ValueList.Of("/admin", "/ADMIN/log"), MatchAllValues: true), Log));
        Assert.False(Matches(new FieldCondition("http_request.url.path", MatchOperator.StartsWith, ValueList.Of("/admin", "/api"), MatchAllValues: true), Log));
        Assert.True(Matches(new FieldCondition("http_request.url.path", MatchOperator.EndsWith, ValueList.Of(".asp", ".PHP")), Log));
    }

    [Fact]
    public void TextOperators_Fail_WhenFieldAbsent()
    {
        var log = Waf("u1", T0, query: null);
        Assert.False(Matches(Test("http_request.url.query_string", MatchOperator.Contains, "a"), log));
        Assert.False(Matches(Test("http_request.url.query_string", MatchOperator.Equals, "a"), log));
        Assert.False(Matches(Test("http_request.url.query_string", MatchOperator.Regex, ".*"), log));
        Assert.False(Matches(Test("http_request.url.query_string", MatchOperator.Exists), log));
    }

    [Fact]
    public void Exists_FailsForEmptyValue_WhenPresentButEmpty()
    {
        Assert.False(Matches(Test("http_request.url.query_string", MatchOperator.Exists), Waf("u1", T0, query: string.Empty)));
        Assert.True(Matches(Test("http_request.url.query_string", MatchOperator.Exists), Waf("u1", T0, query: "a=1")));
        Assert.False(Matches(Test("connection_info.direction_id", MatchOperator.Exists), Waf("u1", T0)));
        Assert.True(Matches(Test("http_response.code", MatchOperator.Exists), Waf("u1", T0, status: 200)));
        Assert.False(Matches(Test("http_response.code", MatchOperator.Exists), Waf("u1", T0, status: null)));
    }

    [Theory]
    [InlineData(MatchOperator.GreaterThan, "403", true)]
    [InlineData(MatchOperator.GreaterThan, "404", false)]
    [InlineData(MatchOperator.GreaterOrEqual, "404", true)]
    [InlineData(MatchOperator.LessThan, "404", false)]
    [InlineData(MatchOperator.LessThan, "404.5", true)]
    [InlineData(MatchOperator.LessOrEqual, "404", true)]
    [InlineData(MatchOperator.LessOrEqual, "-1", false)]
    [InlineData(MatchOperator.Equals, "404", true)]
    [InlineData(MatchOperator.Equals, "0404", true)]
    public void NumericOperators_CompareNumbers_WhenNumberField(MatchOperator op, string value, bool expected)
    {
        Assert.Equal(expected, Matches(Test("http_response.code", op, value), Log));
    }

    [Fact]
    public void NumericOperators_Fail_WhenAbsentOrNotNumeric()
    {
        Assert.False(Matches(Test("http_response.code", MatchOperator.GreaterThan, "0"), Waf("u1", T0, status: null)));
        Assert.False(Matches(Test("http_response.code", MatchOperator.LessThan, "1000"), Waf("u1", T0, status: null)));
        Assert.False(Matches(Test("http_request.url.path", MatchOperator.GreaterThan, "0"), Waf("u1", T0, path: "/a")));
        Assert.True(Matches(Test("http_request.url.path", MatchOperator.GreaterThan, "10"), Waf("u1", T0, path: "10.5")));
        Assert.True(Matches(Test("raw.bytes", MatchOperator.GreaterOrEqual, "1e3"), Waf("u1", T0, raw: """{"bytes": 1000}""")));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.0/24", true)]
    [InlineData("203.0.114.7", "203.0.113.0/24", false)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.0/24", true)]
    [InlineData("2001:db8::1", "2001:db8::/32", true)]
    [InlineData("2001:db9::1", "2001:db8::/32", false)]
    [InlineData("2001:db8::1", "203.0.113.0/24", false)]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("not-an-ip", "0.0.0.0/0", false)]
    public void Cidr_MatchesRanges_WhenIpv4OrIpv6(string ip, string range, bool expected)
    {
        Assert.Equal(expected, Matches(Test("src_endpoint.ip", MatchOperator.Cidr, range), Waf("u1", T0, ip: ip)));
    }

    [Fact]
    public void Cidr_HoldsForAnyRange_WhenSeveralRanges()
    {
        Assert.True(Matches(Test("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/8", "2001:db8::/32"), Waf("u1", T0, ip: "2001:db8:1::5")));
        Assert.False(Matches(Test("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/8", "2001:db8::/32"), Waf("u1", T0, ip: "192.168.1.1")));
    }

    [Fact]
    public void Regex_IgnoresCaseUnlessCased_WhenMatched()
    {
        Assert.True(Matches(Test("http_request.user_agent", MatchOperator.Regex, "^SQLMAP/\\d"), Log));
        Assert.False(Matches(new FieldCondition("http_request.user_agent", MatchOperator.Regex, ValueList.Of("^SQLMAP/\\d"), CaseSensitive: true), Log));
        Assert.True(Matches(new FieldCondition("http_request.user_agent", MatchOperator.Regex, ValueList.Of("map", "^sql"), MatchAllValues: true), Log));
        Assert.False(Matches(new FieldCondition("http_request.user_agent", MatchOperator.Regex, ValueList.Of("map", "^nikto"), MatchAllValues: true), Log));
    }

    [Fact]
    public void AnyField_SearchesEveryTextField_WhenStar()
    {
        Assert.True(Matches(Test("*", MatchOperator.Contains, "SQLMAP"), Log));
        Assert.True(Matches(Test("*", MatchOperator.Equals, "203.0.113.7"), Log));
        Assert.True(Matches(Test("*", MatchOperator.Regex, "login\\.php$"), Log));
        Assert.False(Matches(Test("*", MatchOperator.Contains, "nikto"), Log));
        Assert.False(Matches(Test("*", MatchOperator.Equals, "404"), Log));
    }

    [Theory]
    [InlineData("""{"event":"{\"eventName\":\"ConsoleSignin\",\"additionalEventData\":{\"MFAUsed\":\"false\"}}"}""")]
    [InlineData("""{"event":{"eventName":"ConsoleSignin","additionalEventData":{"MFAUsed":"false"}}}""")]
    public void RawField_ReadsNestedMember_WhenEventIsStringOrObject(string raw)
    {
        var log = new SecurityLog { Uid = "e1", Time = T0, Product = LogProduct.AlibabaActionTrail, Raw = System.Text.Encoding.UTF8.GetBytes(raw) };

        Assert.True(Matches(Test("raw.event.additionalEventData.MFAUsed", MatchOperator.Equals, "FALSE"), log));
        Assert.True(Matches(Test("raw.event.eventName", MatchOperator.Equals, "ConsoleSignin"), log));
        Assert.False(Matches(Test("raw.event.additionalEventData.MFAUsed", MatchOperator.Equals, "true"), log));
        Assert.False(Matches(Test("raw.event.missing", MatchOperator.Exists), log));
        Assert.True(Matches(Test("raw.event.missing", MatchOperator.NotEquals, "x"), log));
    }

    [Fact]
    public void RawField_ParsesJsonOncePerRecord_WhenManyRulesReadIt()
    {
        var raw = """{"event":"{\"eventName\":\"ConsoleSignin\",\"additionalEventData\":{\"MFAUsed\":\"false\"}}","n":1}""";
        var log = new SecurityLog { Uid = "e1", Time = T0, Product = LogProduct.AlibabaActionTrail, Raw = System.Text.Encoding.UTF8.GetBytes(raw) };
        var engine = NewEngine(
            Rule("a", Test("raw.event.additionalEventData.MFAUsed", MatchOperator.Equals, "false")),
            Rule("b", Test("raw.event.eventName", MatchOperator.Equals, "ConsoleSignin")),
            Rule("c", Test("raw.n", MatchOperator.Equals, "1")),
            Rule("d", Test("raw.event.eventName", MatchOperator.Contains, "sign")));

        var sink = Run(engine, log);

        Assert.Equal(4, sink.Candidates.Count);
        Assert.Equal(2, engine.JsonParses); // the record, and the string member "event" once
    }

    [Fact]
    public void Conditions_CombineAndOrNot_WhenNested()
    {
        var sqli = Test("firewall_rule.type", MatchOperator.Equals, "sqli");
        var xss = Test("firewall_rule.type", MatchOperator.Equals, "xss");
        var blocked = Test("http_response.code", MatchOperator.Equals, "404");

        Assert.True(Matches(new AndCondition(ValueList.Of<RuleCondition>(sqli, blocked)), Log));
        Assert.False(Matches(new AndCondition(ValueList.Of<RuleCondition>(xss, blocked)), Log));
        Assert.True(Matches(new OrCondition(ValueList.Of<RuleCondition>(xss, blocked)), Log));
        Assert.False(Matches(new OrCondition(ValueList.Of<RuleCondition>(xss, new NotCondition(blocked))), Log));
        Assert.True(Matches(new AndCondition(ValueList.Of<RuleCondition>(new NotCondition(xss), new OrCondition(ValueList.Of<RuleCondition>(xss, sqli)))), Log));
        Assert.True(Matches(new AndCondition(ValueList<RuleCondition>.Empty), Log));
        Assert.False(Matches(new OrCondition(ValueList<RuleCondition>.Empty), Log));
    }

    [Fact]
    public void Products_LimitTheRule_WhenListed()
    {
        var engine = NewEngine(
            Rule("waf", Test("src_endpoint.ip", MatchOperator.Exists), LogProduct.AlibabaWaf),
            Rule("trail", Test("src_endpoint.ip", MatchOperator.Exists), LogProduct.AlibabaActionTrail),
            Rule("any", Test("src_endpoint.ip", MatchOperator.Exists)));

        var sink = Run(engine, Waf("u1", T0));

        Assert.Equal(["any", "waf"], sink.Candidates.Select(c => c.RuleKey).Order(StringComparer.Ordinal));
    }
}
