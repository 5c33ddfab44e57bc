using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.Detection;

public partial class RuleTextTests
{
    private const string Header = "rule r1\ntitle \"T\"\nseverity low\n";

    private static RuleDefinition ParseRule(string text)
    {
        var (rule, errors) = RuleText.ParseSingle(text);
        Assert.Empty(errors);
        return rule!;
    }

    private static RuleCondition Where(string condition) => ParseRule(Header + "where " + condition + "\n").Condition!;

    private static FieldCondition F(string field, MatchOperator op, params string[] values) => new(field, op, values);

    [Fact]
    public void Parse_ReadsEveryStatement_WhenTheDocumentedExampleIsGiven()
    {
        const string text = """
            rule alibaba-waf-sqli
            title "SQL injection blocked by the Alibaba Cloud WAF"
            description "The WAF's core rules classified a request as SQL injection."
            severity high
            products AlibabaWaf
            attack TA0001 T1190
            where firewall_rule.type = "sqli"
               or http_request.url.query_string contains ("union select", "' or '1'='1", "sleep(")
            entities ip = src_endpoint.ip, asset = http_request.url.hostname
            suppress 10m by ip
            recommendation "Block the source IP on the WAF for 24 hours and review the targeted URL."
            sample match "sqlmap probe"
              {"time":"2025-03-03T16:03:20+08:00","real_client_ip":"203.0.113.7","final_rule_type":"sqli","status":"405"}
            end
            sample nomatch "ordinary page view"
              {"time":"2025-03-03T16:03:20+08:00","real_client_ip":"192.0.2.10","status":"200"}
            end
            """;

        var rule = ParseRule(text);

        var expected = new RuleDefinition
        {
            Id = "alibaba-waf-sqli",
            Title = "SQL injection blocked by the Alibaba Cloud WAF",
            Description = "The WAF's core rules classified a request as SQL injection.",
            Severity = RuleSeverity.High,
            Products = ValueList.Of(LogProduct.AlibabaWaf),
            Tactic = "TA0001",
            Technique = "T1190",
            Condition = new OrCondition(ValueList.Of<RuleCondition>(
                F("firewall_rule.type", MatchOperator.Equals, "sqli"),
                F("http_request.url.query_string", MatchOperator.Contains, "union select", "' or '1'='1", "sleep("))),
            Entities = ValueList.Of(
                new EntityMapping(EntityKind.Ip, "src_endpoint.ip"),
                new EntityMapping(EntityKind.Asset, "http_request.url.hostname")),
            Suppression = new Suppression(TimeSpan.FromMinutes(10), ValueList.Of(EntityKind.Ip)),
            Recommendation = "Block the source IP on the WAF for 24 hours and review the targeted URL.",
            Samples = ValueList.Of(
                new RuleSample("sqlmap probe", true, null, ValueList.Of(new SampleRecord(
                    """{"time":"2025-03-03T16:03:20+08:00","real_client_ip":"203.0.113.7","final_rule_type":"sqli","status":"405"}"""))),
                new RuleSample("ordinary page view", false, null, ValueList.Of(new SampleRecord(
                    """{"time":"2025-03-03T16:03:20+08:00","real_client_ip":"192.0.2.10","status":"200"}""")))),
        };
        Assert.Equal(expected, rule);
    }

    [Theory]
    [InlineData("cloud.region = \"cn-hangzhou\"", MatchOperator.Equals, new[] { "cn-hangzhou" })]
    [InlineData("cloud.region != \"cn-hangzhou\"", MatchOperator.NotEquals, new[] { "cn-hangzhou" })]
    [InlineData("cloud.region in (\"a\", \"b\")", MatchOperator.Equals, new[] { "a", "b" })]
    [InlineData("cloud.region in (\"a\")", MatchOperator.Equals, new[] { "a" })]
    [InlineData("cloud.region not in (\"a\", \"b\")", MatchOperator.NotEquals, new[] { "a", "b" })]
    [InlineData("http_request.user_agent contains \"sqlmap\"", MatchOperator.Contains, new[] { "sqlmap" })]
    [InlineData("http_request.user_agent startswith (\"curl/\", \"python\")", MatchOperator.StartsWith, new[] { "curl/", "python" })]
    [InlineData("http_request.url.path endswith \".php\"", MatchOperator.EndsWith, new[] { ".php" })]
    [InlineData("http_request.url.path matches \"^/admin/\\\\d+$\"", MatchOperator.Regex, new[] { "^/admin/\\d+$" })]
    [InlineData("src_endpoint.ip cidr (\"10.0.0.0/8\", \"2001:db8::/32\")", MatchOperator.Cidr, new[] { "10.0.0.0/8", "2001:db8::/32" })]
    [InlineData("actor.user.name exists", MatchOperator.Exists, new string[0])]
    [InlineData("http_response.code > 399", MatchOperator.GreaterThan, new[] { "399" })]
    [InlineData("http_response.code >= 400", MatchOperator.GreaterOrEqual, new[] { "400" })]
    [InlineData("http_response.latency < -1", MatchOperator.LessThan, new[] { "-1" })]
    [InlineData("time <= 1700000000000", MatchOperator.LessOrEqual, new[] { "1700000000000" })]
    [InlineData("http_response.code = 200", MatchOperator.Equals, new[] { "200" })]
    [InlineData("http_response.code in (200, 204)", MatchOperator.Equals, new[] { "200", "204" })]
    public void Parse_BuildsTheFieldCondition_WhenEachOperatorIsUsed(string condition, MatchOperator op, string[] values)
    {
        var parsed = Where(condition);

        Assert.Equal(new FieldCondition(condition.Split(' ')[0], op, values), parsed);
    }

    [Theory]
    [InlineData("http_request.url.path contains all (\"a\", \"b\")", MatchOperator.Contains, false, true)]
    [InlineData("http_request.url.path contains cased \"A\"", MatchOperator.Contains, true, false)]
    [InlineData("http_request.url.path contains all cased \"A\"", MatchOperator.Contains, true, true)]
    [InlineData("http_request.url.path startswith all cased \"A\"", MatchOperator.StartsWith, true, true)]
    [InlineData("http_request.url.path endswith all \"A\"", MatchOperator.EndsWith, false, true)]
    [InlineData("http_request.url.path matches cased \"A\"", MatchOperator.Regex, true, false)]
    [InlineData("http_request.url.path = cased \"A\"", MatchOperator.Equals, true, false)]
    [InlineData("http_request.url.path != cased \"A\"", MatchOperator.NotEquals, true, false)]
    [InlineData("http_request.url.path in cased (\"A\")", MatchOperator.Equals, true, false)]
    [InlineData("http_request.url.path not in cased (\"A\")", MatchOperator.NotEquals, true, false)]
    public void Parse_SetsTheModifiers_WhenAllOrCasedIsGiven(string condition, MatchOperator op, bool cased, bool all)
    {
        var parsed = Assert.IsType<FieldCondition>(Where(condition));

        Assert.Equal(op, parsed.Operator);
        Assert.Equal(cased, parsed.CaseSensitive);
        Assert.Equal(all, parsed.MatchAllValues);
    }

    [Fact]
    public void Parse_BindsNotTighterThanAndTighterThanOr_WhenNoParenthesesAreGiven()
    {
        var parsed = Where("cloud.region = \"a\" or cloud.region = \"b\" and not cloud.region = \"c\"");

        var a = F("cloud.region", MatchOperator.Equals, "a");
        var b = F("cloud.region", MatchOperator.Equals, "b");
        var c = F("cloud.region", MatchOperator.Equals, "c");
        Assert.Equal(
            new OrCondition(ValueList.Of<RuleCondition>(a, new AndCondition(ValueList.Of<RuleCondition>(b, new NotCondition(c))))),
            parsed);
    }

    [Fact]
    public void Parse_GroupsByParentheses_WhenParenthesesAreGiven()
    {
        var parsed = Where("(cloud.region = \"a\" or cloud.region = \"b\") and not (cloud.region = \"c\" and message exists)");

        var a = F("cloud.region", MatchOperator.Equals, "a");
        var b = F("cloud.region", MatchOperator.Equals, "b");
        var c = F("cloud.region", MatchOperator.Equals, "c");
        var m = F("message", MatchOperator.Exists);
        Assert.Equal(
            new AndCondition(ValueList.Of<RuleCondition>(
                new OrCondition(ValueList.Of<RuleCondition>(a, b)),
                new NotCondition(new AndCondition(ValueList.Of<RuleCondition>(c, m))))),
            parsed);
    }

    [Fact]
    public void Parse_KeepsNestedGroupsOfTheSameKind_WhenTheyAreParenthesised()
    {
        var parsed = Where("(message exists and cloud.region exists) and ((metadata.uid exists))");

        Assert.Equal(
            new AndCondition(ValueList.Of<RuleCondition>(
                new AndCondition(ValueList.Of<RuleCondition>(F("message", MatchOperator.Exists), F("cloud.region", MatchOperator.Exists))),
                F("metadata.uid", MatchOperator.Exists))),
            parsed);
    }

    [Fact]
    public void Parse_AcceptsAnyFieldAndRawPaths_WhenTheyAreUsed()
    {
        var parsed = Where("* contains (\"mimikatz\", \"whoami\") or raw.event.additionalEventData.MFAUsed = \"No\" or * = \"x\"");

        Assert.Equal(
            new OrCondition(ValueList.Of<RuleCondition>(
                F("*", MatchOperator.Contains, "mimikatz", "whoami"),
                F("raw.event.additionalEventData.MFAUsed", MatchOperator.Equals, "No"),
                F("*", MatchOperator.Equals, "x"))),
            parsed);
    }

    [Fact]
    public void Parse_UnescapesStrings_WhenEscapesAreGiven()
    {
        var parsed = Where("message = \"a \\\"quoted\\\" \\\\ back\\nslash\\tend # not a comment\" # a comment");

        Assert.Equal(F("message", MatchOperator.Equals, "a \"quoted\" \\ back\nslash\tend # not a comment"), parsed);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void Parse_ReadsTheWindow_WhenTheDurationHasEachUnit(string duration, int seconds)
    {
        var rule = ParseRule(Header + $"where message exists\ncount by src_endpoint.ip within {duration} >= 3\n");

        Assert.Equal(TimeSpan.FromSeconds(seconds), rule.Aggregation!.Window);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m")]
    [InlineData(90, "90s")]
    [InlineData(3600, "1h")]
    [InlineData(5400, "90m")]
    [InlineData(86400, "1d")]
    [InlineData(90000, "25h")]
    [InlineData(604800, "7d")]
    public void FormatDuration_UsesTheLargestExactUnit_WhenGivenSeconds(int seconds, string expected)
    {
        Assert.Equal(expected, RuleText.FormatDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5x")]
    [InlineData("1.5h")]
    [InlineData("-5m")]
    [InlineData("5M")]
    [InlineData("99999999999999999d")]
    public void TryParseDuration_Fails_WhenTheTextIsNotADuration(string text)
    {
        Assert.False(RuleText.TryParseDuration(text, out _));
    }

    [Fact]
    public void Parse_ReadsTheOptionalStatements_WhenTheyAreGiven()
    {
        var rule = ParseRule("""
            rule r1.v2_x
            title "T"
            severity informational
            threat serious
            products HuaweiWaf, TencentWaf
            attack TA0006 T1110.001
            author "Jane Doe"
            license "DRL 1.1"
            reference "https://example.com/a"
            reference "https://example.com/b"
            where http_response.code = 401
            count distinct actor.user.name by src_endpoint.ip, cloud.account.uid within 10m > 9
            entities ip = src_endpoint.ip, account = cloud.account.uid, user = actor.user.name, access_key = actor.user.credential_uid, asset = raw.host
            suppress 1h
            """);

        Assert.Equal("r1.v2_x", rule.Id);
        Assert.Equal(RuleSeverity.Informational, rule.Severity);
        Assert.Equal(ThreatLevel.Serious, rule.ThreatLevel);
        Assert.Equal(ValueList.Of(LogProduct.HuaweiWaf, LogProduct.TencentWaf), rule.Products);
        Assert.Equal(("TA0006", "T1110.001"), (rule.Tactic, rule.Technique));
        Assert.Equal(("Jane Doe", "DRL 1.1"), (rule.Author, rule.License));
        Assert.Equal(ValueList.Of("https://example.com/a", "https://example.com/b"), rule.References);
        Assert.Equal(
            new Aggregation(ValueList.Of("src_endpoint.ip", "cloud.account.uid"), TimeSpan.FromMinutes(10), AggregateFunction.DistinctCount, "actor.user.name", 10),
            rule.Aggregation);
        Assert.Equal(
            ValueList.Of(
                new EntityMapping(EntityKind.Ip, "src_endpoint.ip"),
                new EntityMapping(EntityKind.Account, "cloud.account.uid"),
                new EntityMapping(EntityKind.User, "actor.user.name"),
                new EntityMapping(EntityKind.AccessKey, "actor.user.credential_uid"),
                new EntityMapping(EntityKind.Asset, "raw.host")),
            rule.Entities);
        Assert.Equal(new Suppression(TimeSpan.FromHours(1), ValueList<EntityKind>.Empty), rule.Suppression);
        Assert.Null(rule.Description);
        Assert.Null(rule.Recommendation);
    }

    [Fact]
    public void Parse_ReadsCountWithoutDistinct_WhenTheThresholdUsesGreaterOrEqual()
    {
        var rule = ParseRule(Header + "where message exists\ncount by src_endpoint.ip within 5m >= 40\n");

        Assert.Equal(new Aggregation(ValueList.Of("src_endpoint.ip"), TimeSpan.FromMinutes(5), AggregateFunction.Count, null, 40), rule.Aggregation);
    }

    [Fact]
    public void Parse_ReadsTheSequenceAndItsSteps_WhenStepsSpanSeveralLines()
    {
        var rule = ParseRule(Header + """
            where cloud.provider = "AlibabaCloud"
            sequence ordered by actor.user.name, cloud.account.uid within 10m
              step login: api.operation = "ConsoleSignin"
              step stop: api.operation = "StopLogging"
                or api.operation = "DeleteTrail"
            """);

        Assert.Equal(
            new Sequence(
                ValueList.Of(
                    new SequenceStep("login", F("api.operation", MatchOperator.Equals, "ConsoleSignin")),
                    new SequenceStep("stop", new OrCondition(ValueList.Of<RuleCondition>(
                        F("api.operation", MatchOperator.Equals, "StopLogging"),
                        F("api.operation", MatchOperator.Equals, "DeleteTrail"))))),
                ValueList.Of("actor.user.name", "cloud.account.uid"),
                TimeSpan.FromMinutes(10),
                Ordered: true),
            rule.Sequence);
        Assert.Equal(F("cloud.provider", MatchOperator.Equals, "AlibabaCloud"), rule.Condition);
    }

    [Fact]
    public void Parse_ReadsAnUnorderedSequence_WhenThereIsNoWhere()
    {
        var rule = ParseRule(Header + "sequence by src_endpoint.ip within 1h\n  step a: message exists\n  step b: cloud.region exists\n");

        Assert.False(rule.Sequence!.Ordered);
        Assert.Null(rule.Condition);
        Assert.Equal(["a", "b"], rule.Sequence.Steps.Select(s => s.Name));
    }

    [Fact]
    public void Parse_ReadsRepeatedRecordsAndTheProduct_WhenASampleUsesThem()
    {
        var rule = ParseRule(Header + """
            products AlibabaWaf
            where message exists
            sample match "forty requests" product AlibabaActionTrail
              {"a":"}{\"x"} x 40 every 1s
              {"b":[1,{"c":2}]}   # the last one
            end
            """);

        Assert.Equal(
            ValueList.Of(new RuleSample(
                "forty requests",
                true,
                LogProduct.AlibabaActionTrail,
                ValueList.Of(
                    new SampleRecord("""{"a":"}{\"x"}""", 40, TimeSpan.FromSeconds(1)),
                    new SampleRecord("""{"b":[1,{"c":2}]}""")))),
            rule.Samples);
    }

    [Fact]
    public void Parse_ReadsEveryRule_WhenAFileHoldsSeveralWithComments()
    {
        const string text = """
            # Library: two rules

            rule first   # trailing comment
            title "First" # the title
            severity medium

            # the condition
            where message exists
              # an indented comment inside the statement
              and cloud.region exists

            rule second
            title "Second"
            severity critical
            where message exists
            """;

        var result = RuleText.Parse(text);

        Assert.Empty(result.Errors);
        Assert.Equal(["first", "second"], result.Rules.Select(r => r.Id));
        Assert.Equal(
            new AndCondition(ValueList.Of<RuleCondition>(F("message", MatchOperator.Exists), F("cloud.region", MatchOperator.Exists))),
            result.Rules[0].Condition);
        Assert.Equal(RuleSeverity.Critical, result.Rules[1].Severity);
    }

    [Fact]
    public void Parse_GivesTheSameRule_WhenTheTextHasCrLfLineEndsAndAByteOrderMark()
    {
        var text = Header + "where message exists\n  or cloud.region exists\nsample match \"s\" product AlibabaWaf\n  {\"a\":1}\nend\n";

        var lf = ParseRule(text);
        var crlf = ParseRule("\uFEFF" + text.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(lf, crlf);
    }

    [Fact]
    public void ParseCondition_ReadsAConditionOnItsOwn_WhenItSpansLines()
    {
        var (condition, errors) = RuleText.ParseCondition("src_endpoint.ip cidr \"10.0.0.0/8\"\n  and not actor.user.name exists");

        Assert.Empty(errors);
        Assert.Equal(
            new AndCondition(ValueList.Of<RuleCondition>(
                F("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/8"),
                new NotCondition(F("actor.user.name", MatchOperator.Exists)))),
            condition);
    }

    [Fact]
    public void Parse_ReturnsNothing_WhenTheTextIsEmptyOrOnlyComments()
    {
        var result = RuleText.Parse("# nothing here\n\n");

        Assert.Empty(result.Rules);
        Assert.Empty(result.Errors);
    }
}
