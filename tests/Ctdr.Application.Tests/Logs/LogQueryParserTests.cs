using Ctdr.Application.Logs;

namespace Ctdr.Application.Tests.Logs;

public class LogQueryParserTests
{
    [Fact]
    public void Parse_ReadsOneConditionPerLine()
    {
        var (conditions, errors) = LogQueryParser.Parse("""
            src_endpoint.ip = 203.0.113.7
            http_request.url.query_string contains "union select"
            http_response.code > 399
            http_request.user_agent startswith sqlmap
            cloud.region != cn-hangzhou

            """);

        Assert.False(errors.Any);
        Assert.Equal(
            [
                new FieldCondition("src_endpoint.ip", ConditionOperator.Equals, "203.0.113.7"),
                new FieldCondition("http_request.url.query_string", ConditionOperator.Contains, "union select"),
                new FieldCondition("http_response.code", ConditionOperator.GreaterThan, "399"),
                new FieldCondition("http_request.user_agent", ConditionOperator.StartsWith, "sqlmap"),
                new FieldCondition("cloud.region", ConditionOperator.NotEquals, "cn-hangzhou"),
            ],
            conditions);
    }

    [Fact]
    public void Parse_AllowsOperatorsWithoutSpaces()
    {
        var (conditions, errors) = LogQueryParser.Parse("http_response.code>=1\nsrc_endpoint.ip=10.0.0.1");

        Assert.Equal(["Conditions"], errors.ToResult().Errors.Keys);
        Assert.Equal([new FieldCondition("src_endpoint.ip", ConditionOperator.Equals, "10.0.0.1")], conditions);
    }

    [Fact]
    public void Parse_ReportsEveryBadLine_ByNumber()
    {
        var (_, errors) = LogQueryParser.Parse("nope.field = 1\nhttp_response.code contains 4\nsrc_endpoint.ip > 3\nhttp_response.code = abc\nsrc_endpoint.ip =\ntime > yesterday\njust words");

        Assert.Equal(
            [
                "Line 1: unknown field 'nope.field'.",
                "Line 2: 'http_response.code' is a number; use =, !=, > or <.",
                "Line 3: 'src_endpoint.ip' is text; > and < apply to numbers and times.",
                "Line 4: 'http_response.code' is a number; 'abc' is not.",
                "Line 5: give a value after '='.",
                "Line 6: 'yesterday' is not a time; write e.g. 2026-11-28T08:00:00Z.",
                "Line 7: unknown field 'just'.",
            ],
            errors.ToResult().Errors["Conditions"]);
    }

    [Fact]
    public void Fields_CoverEverySecurityLogMember_Once()
    {
        var members = typeof(SecurityLog).GetProperties().Select(p => p.Name).Where(n => n is not nameof(SecurityLog.Raw) and not nameof(SecurityLog.SourceId)).Order();

        Assert.Equal(members, SecurityLogFields.All.Select(f => f.Member).Order());
        Assert.Equal(SecurityLogFields.All.Count, SecurityLogFields.All.Select(f => f.Path).Distinct().Count());
    }
}
