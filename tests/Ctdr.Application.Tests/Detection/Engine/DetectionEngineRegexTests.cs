using System.Text.RegularExpressions;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;

namespace Ctdr.Application.Tests.Detection.Engine;

public class DetectionEngineRegexTests
{
    private static readonly string Attack = new string('a', 50_000) + "!";

    [Fact]
    public void CatastrophicPatterns_CompleteAndTimeoutsAreCounted_WhenFieldsAreLong()
    {
        var options = new DetectionOptions { RegexTimeout = TimeSpan.FromMilliseconds(100) };
        var nested = Rule("nested", Test("http_request.url.query_string", MatchOperator.Regex, "(a+)+$"));
        var backreference = Rule("backreference", Test("http_request.url.query_string", MatchOperator.Regex, "(a+)+\\1$"));
        var plain = Rule("plain", Test("http_request.url.query_string", MatchOperator.Contains, "aaa!"));
        var compiled = RuleCompiler.Compile([Active(nested, 1), Active(backreference, 2), Active(plain, 3)], [], options);
        var engine = new DetectionEngine(compiled, options);

        var sink = Run(engine, Waf("r1", T0, query: Attack), Waf("r2", T0.AddSeconds(1), query: Attack));

        var nestedRegex = Assert.Single(compiled.RegexesOf("nested"));
        Assert.Equal(RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, nestedRegex.Options);
        Assert.Equal(Regex.InfiniteMatchTimeout, nestedRegex.MatchTimeout);
        var backreferenceRegex = Assert.Single(compiled.RegexesOf("backreference"));
        Assert.Equal(RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, backreferenceRegex.Options);
        Assert.Equal(TimeSpan.FromMilliseconds(100), backreferenceRegex.MatchTimeout);
        Assert.Equal([("plain", "r1"), ("plain", "r2")], sink.Candidates.Select(c => (c.RuleKey, c.Evidence.Uid)));
        Assert.Equal(2, engine.Statistics.RegexTimeouts);
        Assert.Equal(2, engine.Statistics.Records);
    }

    [Fact]
    public void BacktrackingPattern_StillMatches_WhenWithinTimeout()
    {
        var sink = Run(NewEngine(Rule("lookahead", Test("http_request.user_agent", MatchOperator.Regex, "^(?=.*sqlmap).*/1\\.\\d"))), Waf("r1", T0, userAgent: "SQLMAP/1.7"));

        Assert.Single(sink.Candidates);
    }

    [Theory]
    [InlineData("union\\s+select", "elect")]
    [InlineData("/etc/passwd", "/etc/pa")]
    [InlineData("(?i)wget http", "wget")]
    [InlineData("abc|def", null)]
    [InlineData("xabc?d", "xab")]
    [InlineData("ab.d", null)]
    [InlineData("ab+cde", "cde")]
    [InlineData("(foo)?barbaz", "barbaz")]
    [InlineData("[a-z]+\\.php\\?id=", "php")]
    public void RequiredLiteral_IsConservative_WhenExtracted(string pattern, string? expected)
    {
        Assert.Equal(expected, RegexLiterals.Required(pattern));
    }

    [Fact]
    public void RegexPrefilter_KeepsResults_WhenLiteralPresentOrAbsent()
    {
        var engine = NewEngine(
            Rule("passwd", Test("http_request.url.path", MatchOperator.Regex, "/etc/pa[s]+wd")),
            Rule("php", Test("http_request.url.path", MatchOperator.Regex, "\\.PHP$")));

        var sink = Run(engine, Waf("a", T0, path: "/x/ETC/PASSWD"), Waf("b", T0, path: "/index.php"), Waf("c", T0, path: "/etc/other"));

        Assert.Equal([("passwd", "a"), ("php", "b")], sink.Candidates.Select(c => (c.RuleKey, c.Evidence.Uid)));
    }
}
