using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Tests.Detection;

public partial class RuleTextTests
{
    private static IReadOnlyList<string> Errors(string text)
    {
        var result = RuleText.Parse(text);
        Assert.Empty(result.Rules);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Parse_ReportsTheOpeningQuote_WhenAStringIsUnterminated()
    {
        Assert.Equal(
            ["line 2, column 7: unterminated string: a string ends with \" on the same line"],
            Errors("rule r1\ntitle \"no end\nseverity low\nwhere message exists\n"));
    }

    [Fact]
    public void Parse_ReportsTheBackslash_WhenAnEscapeIsUnknown()
    {
        Assert.Equal(
            ["line 4, column 20: unknown escape '\\W' in a string: use \\\" \\\\ \\n or \\t (a backslash is written \\\\)"],
            Errors(Header + "where message = \"C:\\Windows\"\n"));
    }

    [Fact]
    public void Parse_ReportsTheKeywordWithASuggestion_WhenAStatementIsUnknown()
    {
        Assert.Equal(
            ["line 3, column 1: unknown statement 'severty' (did you mean 'severity'?)"],
            Errors("rule r1\ntitle \"T\"\nseverty low\nseverity low\nwhere message exists\n"));
    }

    [Fact]
    public void Parse_ReportsTheFieldWithASuggestion_WhenAFieldIsUnknown()
    {
        Assert.Equal(
            ["line 5, column 7: unknown field 'src_endpoint.ipp' (did you mean 'src_endpoint.ip'?)"],
            Errors(Header + "where message exists\n  and src_endpoint.ipp = \"203.0.113.7\"\n"));
    }

    [Fact]
    public void Parse_ReportsEveryUnknownField_WhenOneConditionHasSeveral()
    {
        Assert.Equal(
            [
                "line 4, column 7: unknown field 'mesage' (did you mean 'message'?)",
                "line 4, column 25: unknown field 'nothing.like.this'",
                "line 5, column 15: unknown field 'src.ip'",
            ],
            Errors(Header + "where mesage exists and nothing.like.this exists\nentities ip = src.ip\n"));
    }

    [Fact]
    public void Parse_ReportsTheRuleLine_WhenTitleAndSeverityAreMissing()
    {
        Assert.Equal(
            [
                "line 2, column 1: the rule needs a severity: severity critical, high, medium, low or informational",
                "line 2, column 1: the rule needs a title",
            ],
            Errors("# header\nrule r1\nwhere message exists\n"));
    }

    [Fact]
    public void Parse_ReportsTheDuration_WhenItHasNoUnit()
    {
        Assert.Equal(
            ["line 5, column 33: '5' is not a duration: write a whole number and a unit s, m, h or d, e.g. 30s, 5m, 1h, 7d"],
            Errors(Header + "where message exists\ncount by src_endpoint.ip within 5 >= 3\n"));
    }

    [Fact]
    public void Parse_ReportsTheWindow_WhenItIsOutOfRange()
    {
        Assert.Equal(
            ["line 5, column 33: the window must be between 1s and 1d"],
            Errors(Header + "where message exists\ncount by src_endpoint.ip within 2d >= 3\n"));
    }

    [Fact]
    public void Parse_ReportsTheCountStatement_WhenItComesWithASequence()
    {
        Assert.Equal(
            ["line 7, column 1: a rule has either 'count' or 'sequence', not both"],
            Errors(Header + """
                sequence by src_endpoint.ip within 5m
                  step a: message exists
                  step b: cloud.region exists
                count by src_endpoint.ip within 5m >= 3

                """));
    }

    [Fact]
    public void Parse_ReportsTheValue_WhenARegexDoesNotCompile()
    {
        var errors = Errors(Header + "where http_request.url.path matches (\"^ok$\", \"(unclosed\")\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("line 4, column 46: invalid regular expression: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AcceptsARegex_WhenItNeedsTheBacktrackingEngine()
    {
        var rule = ParseRule(Header + "where http_request.url.path matches \"(a)\\\\1(?=b)\"\n");

        Assert.Equal("(a)\\1(?=b)", ((Ctdr.Application.Detection.FieldCondition)rule.Condition!).Values[0]);
    }

    [Fact]
    public void Parse_ReportsTheValue_WhenACidrRangeIsInvalid()
    {
        Assert.Equal(
            ["line 4, column 43: '10.0.0.0/33' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32"],
            Errors(Header + "where src_endpoint.ip cidr (\"10.0.0.0/8\", \"10.0.0.0/33\")\n"));
    }

    [Fact]
    public void Parse_ReportsTheSecondStatement_WhenAStatementIsDuplicated()
    {
        Assert.Equal(
            ["line 4, column 1: duplicate 'title' statement (the first is on line 2)"],
            Errors(Header + "title \"Again\"\nwhere message exists\n"));
    }

    [Fact]
    public void Parse_ReportsTheErrorsOfEveryRule_WhenTwoRulesHaveErrors()
    {
        var result = RuleText.Parse("""
            rule first
            title "First"
            severity hihg
            where message = 
            rule good
            title "Good"
            severity low
            where message exists
            rule second
            title "Second"
            severity low
            where message contain "x"
            entities ip = src_endpoint.ipp
            """);

        Assert.Equal(["good"], result.Rules.Select(r => r.Id));
        Assert.Equal(
            [
                "line 3, column 10: unknown severity 'hihg' (did you mean 'high'?); use critical, high, medium, low or informational",
                "line 4, column 16: expected a value after '='",
                "line 12, column 15: unknown operator 'contain' (did you mean 'contains'?)",
                "line 13, column 15: unknown field 'src_endpoint.ipp' (did you mean 'src_endpoint.ip'?)",
            ],
            result.Errors.Select(e => e.ToString()));
    }
}
