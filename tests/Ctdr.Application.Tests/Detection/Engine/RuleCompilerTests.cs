using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.LogSources;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;

namespace Ctdr.Application.Tests.Detection.Engine;

public class RuleCompilerTests
{
    private static RuleCompileException CompileError(RuleCondition condition) =>
        Assert.Throws<RuleCompileException>(() => RuleCompiler.Compile([Active(Rule("bad-rule", condition))], [], new DetectionOptions()));

    [Theory]
    [InlineData("src_endpoint.address", MatchOperator.Equals, "x", "unknown field 'src_endpoint.address'")]
    [InlineData("http_request.url.path", MatchOperator.Regex, "(unclosed", "invalid regular expression '(unclosed'")]
    [InlineData("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/33", "invalid CIDR range '10.0.0.0/33'")]
    [InlineData("http_response.code", MatchOperator.GreaterThan, "many", "'http_response.code' GreaterThan needs a number, not 'many'")]
    [InlineData("*", MatchOperator.NotEquals, "x", "'*' (any field) cannot be used with NotEquals")]
    [InlineData("raw.", MatchOperator.Equals, "x", "unknown field 'raw.'")]
    [InlineData("raw.a..b", MatchOperator.Equals, "x", "invalid raw field 'raw.a..b'")]
    public void Compile_NamesRuleAndProblem_WhenDefinitionInvalid(string field, MatchOperator op, string value, string problem)
    {
        var error = CompileError(new FieldCondition(field, op, ValueList.Of(value)));

        Assert.Equal("bad-rule", error.RuleKey);
        Assert.StartsWith("Rule 'bad-rule': " + problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_RejectsAllowListEntry_WhenConditionInvalid()
    {
        var error = Assert.Throws<RuleCompileException>(() => RuleCompiler.Compile([], [new AllowListRule(4, null, Test("nope", MatchOperator.Exists))], new DetectionOptions()));

        Assert.Equal("allow-list:4", error.RuleKey);
    }

    [Fact]
    public void Compile_IndexesEqualityAndLiterals_WhenConjunctionsAllowIt()
    {
        var compiled = RuleCompiler.Compile(
            [
                Active(Rule("eq", new AndCondition(ValueList.Of<RuleCondition>(Test("http_response.code", MatchOperator.Equals, "403"), Test("firewall_rule.type", MatchOperator.Equals, "sqli", "xss")))), 1),
                Active(Rule("contains", Test("http_request.url.query_string", MatchOperator.Contains, "union select")), 2),
                Active(Rule("regex", Test("http_request.url.query_string", MatchOperator.Regex, "etc/pass(wd)?")), 3),
                Active(Rule("or", new OrCondition(ValueList.Of<RuleCondition>(Test("firewall_rule.type", MatchOperator.Equals, "sqli"), Test("src_endpoint.ip", MatchOperator.Exists)))), 4),
                Active(Rule("trail-only", Test("api.operation", MatchOperator.Equals, "ConsoleSignin"), LogProduct.AlibabaActionTrail), 5),
            ],
            [],
            new DetectionOptions());

        var waf = compiled.IndexFor(LogProduct.AlibabaWaf);
        var equality = Assert.Single(waf.Equalities);
        Assert.Equal("firewall_rule.type", equality.Field.Path);
        Assert.Equal([0], equality.Units["SQLI"]);
        Assert.Equal([0], equality.Units["xss"]);
        var prefilter = Assert.Single(waf.Prefilters);
        Assert.Equal("http_request.url.query_string", prefilter.Field.Path);
        Assert.Equal([1, 2], prefilter.Units);
        Assert.Equal([3], waf.Always);
        Assert.Equal(2, compiled.IndexFor(LogProduct.AlibabaActionTrail).Equalities.Length);
    }
}
