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
    public void Parse_RefusesARegex_WhenItNeedsTheBacktrackingEngine()
    {
        Assert.Equal(
            ["line 4, column 37: '(a)\\1(?=b)' needs backtracking (a backreference, lookaround, atomic group or conditional), which can take exponential time on attacker input; write it without"],
            Errors(Header + "where http_request.url.path matches \"(a)\\\\1(?=b)\"\n"));
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

public partial class RuleTextTests
{
    private const string WhereLine = "where message exists\n";

    [Fact]
    public void Parse_ReportsTheStatement_WhenItComesBeforeAnyRule()
    {
        var result = RuleText.Parse("title \"x\"\nrule r1\ntitle \"T\"\nseverity low\nwhere message exists\n");

        Assert.Equal(["line 1, column 1: 'title' comes before any rule: a rule starts with 'rule <id>'"], result.Errors.Select(e => e.ToString()));
        Assert.Equal(["r1"], result.Rules.Select(r => r.Id));
    }

    [Fact]
    public void Parse_ReportsTheSample_WhenItHasNoEnd()
    {
        Assert.Equal(
            ["line 5, column 1: this sample is not closed: add a line 'end' after its records"],
            Errors(Header + WhereLine + "sample match \"s\" product AlibabaWaf\n  {\"a\":1}\nrecommendation \"x\"\n"));
    }

    [Fact]
    public void Parse_ReportsTheEnd_WhenNoSampleIsOpen()
    {
        Assert.Equal(["line 5, column 1: 'end' without a 'sample' before it"], Errors(Header + WhereLine + "end\n"));
    }

    [Fact]
    public void Parse_ReportsTheRecord_WhenItIsNotIndented()
    {
        Assert.Equal(
            ["line 6, column 1: sample records are indented: start this line with a space"],
            Errors(Header + WhereLine + "sample match \"s\" product AlibabaWaf\n{\"a\":1}\nend\n"));
    }

    [Fact]
    public void Parse_ReportsEveryBadRecord_WhenASampleHasSeveral()
    {
        var errors = Errors(Header + WhereLine + """
            sample match "s" product AlibabaWaf
              {"a":1,"b":"é",}
              {"a":1
              {"a":1} x 0 every 1s
              {"a":1} x 5
              [1]
              {"a":1} x 2 every 1s
            end
            """);

        Assert.Equal(
            [
                "line 6, column 18: the sample record is not valid JSON at character 16: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.",
                "line 7, column 3: the JSON record does not end on this line: write each sample record on one line",
                "line 8, column 13: a record repeats 1 to 100000 times",
                "line 9, column 14: expected 'every <duration>' after 'x 5', found the end of the line",
                "line 10, column 3: expected a sample record: a JSON object on one indented line, starting with '{'",
            ],
            errors);
    }

    [Theory]
    [InlineData("where message = (\"a\", \"b\")", 17, "'=' takes one value; use 'in (...)' for a list")]
    [InlineData("where message != (\"a\", \"b\")", 18, "'!=' takes one value; use 'not in (...)' for a list")]
    [InlineData("where message in \"a\"", 18, "expected a list in parentheses after 'in', e.g. (\"a\", \"b\"), found the string \"a\"")]
    [InlineData("where message exists AND cloud.region exists", 22, "expected 'and', 'or' or the end of the condition, found 'AND' (keywords are lower case)")]
    [InlineData("where message exists and", 25, "expected a condition after 'and'")]
    [InlineData("where (message exists", 22, "expected ')' to close the '(' at line 4, column 7, found the end of the line")]
    [InlineData("where message = ConsoleSignin", 17, "expected a value in double quotes or a whole number, found 'ConsoleSignin' (write \"ConsoleSignin\")")]
    [InlineData("where \"message\" = \"x\"", 7, "expected a field name, found the string \"message\" (field names are not quoted)")]
    [InlineData("where http_response.code > \"5\"", 28, "'>' compares numbers: write the number without quotes")]
    [InlineData("where message == \"x\"", 16, "write '=' once")]
    [InlineData("where message not contains \"x\"", 19, "expected 'in' after 'message not' (to negate a test, write 'not' before the field), found 'contains'")]
    [InlineData("where message contains cased all \"x\"", 30, "write 'all' before 'cased'")]
    [InlineData("where message matches all \"x\"", 23, "'all' goes with contains, startswith and endswith, not with matches")]
    [InlineData("where message contain \"x\"", 15, "unknown operator 'contain' (did you mean 'contains'?)")]
    [InlineData("where message", 14, "expected an operator after 'message' (=, !=, in, not in, contains, startswith, endswith, matches, cidr, exists, >, >=, <, <=)")]
    [InlineData("where message ! \"x\"", 15, "unexpected '!' (did you mean '!='?)")]
    [InlineData("where http_request.url.path > 5", 29, "'>' compares numbers, and 'http_request.url.path' is not a number or time field")]
    [InlineData("where * != \"x\"", 9, "'*' (any text field) works only with '=', 'in', 'contains', 'startswith', 'endswith' and 'matches', not with '!='")]
    [InlineData("where message contains \"\"", 24, "'contains' with an empty value matches every record")]
    public void Parse_ReportsTheToken_WhenAConditionIsMalformed(string where, int column, string message)
    {
        Assert.Equal([$"line 4, column {column}: {message}"], Errors(Header + where + "\n"));
    }

    [Theory]
    [InlineData("severity High", "line 3, column 10: unknown severity 'High' (keywords are lower case: 'high'); use critical, high, medium, low or informational")]
    [InlineData("title T", "line 2, column 7: expected text in double quotes after 'title', found 'T'")]
    [InlineData("threat high", "line 4, column 8: unknown threat 'high'; use serious, suspicious or remind")]
    [InlineData("attack TA0001 T1190 T1", "line 4, column 21: unexpected 'T1' after the ATT&CK ids")]
    [InlineData("attack ta0001", "line 4, column 8: write the ATT&CK tactic as 'TA0001'")]
    [InlineData("products AlibabaWAF", "line 4, column 10: unknown product 'AlibabaWAF' (did you mean 'AlibabaWaf'?); products are AlibabaWaf, AlibabaCloudFirewall, AlibabaActionTrail, HuaweiWaf, TencentWaf, ThirdPartyOcsf")]
    [InlineData("products AlibabaWaf, AlibabaWaf", "line 4, column 22: product 'AlibabaWaf' is named twice")]
    [InlineData("entities host = src_endpoint.ip", "line 4, column 10: unknown entity kind 'host'; kinds are ip, asset, account, user, access_key")]
    [InlineData("entities ip = src_endpoint.ip, ip = dst_endpoint.ip", "line 4, column 32: the entity 'ip' is mapped twice")]
    [InlineData("suppress 10m by user", "line 4, column 17: suppress by 'user', but 'entities' maps no user")]
    [InlineData("suppress 8d", "line 4, column 10: the suppression period must be between 1s and 7d")]
    [InlineData("count by * within 5m >= 1", "line 4, column 10: '*' (any field) is only for conditions; name one field")]
    [InlineData("count by src_endpoint.ip within 5m >= 0", "line 4, column 39: the threshold must be at least 1")]
    [InlineData("count by src_endpoint.ip within 5m", "line 4, column 35: expected '>=' and the threshold after the window, found the end of the line")]
    [InlineData("count src_endpoint.ip within 5m >= 3", "line 4, column 7: expected 'by' and the fields that group records in 'count', found 'src_endpoint.ip'")]
    [InlineData("recommendation \"a\" \"b\"", "line 4, column 20: unexpected the string \"b\" after the recommendation")]
    public void Parse_ReportsTheToken_WhenAStatementIsMalformed(string statement, string error)
    {
        var lines = Header.Split('\n').ToList();
        if (statement.StartsWith("severity", StringComparison.Ordinal) || statement.StartsWith("title", StringComparison.Ordinal))
        {
            lines[statement.StartsWith("title", StringComparison.Ordinal) ? 1 : 2] = statement;
            lines[^1] = WhereLine;
        }
        else
        {
            lines[^1] = statement + "\n" + WhereLine;
        }

        Assert.Equal([error], Errors(string.Join('\n', lines)));
    }

    [Fact]
    public void Parse_ReportsTheRuleId_WhenItIsNotLowerCase()
    {
        Assert.Equal(
            ["line 1, column 6: rule id 'R1' may only hold lower-case letters, digits, '-', '_' and '.', and must start with a letter or digit"],
            Errors("rule R1\ntitle \"T\"\nseverity low\n" + WhereLine));
    }

    [Fact]
    public void Parse_ReportsTheSequence_WhenStepsAreTooFewOrRepeated()
    {
        Assert.Equal(
            ["line 4, column 1: a sequence needs at least two steps (step <name>: <condition>)"],
            Errors(Header + "sequence by src_endpoint.ip within 5m\n  step a: message exists\n"));
        Assert.Equal(
            ["line 6, column 8: two steps are named 'a'"],
            Errors(Header + "sequence by src_endpoint.ip within 5m\n  step a: message exists\n  step a: message exists\n"));
        Assert.Equal(
            ["line 5, column 10: expected ':' after the step name 'a', found 'message'"],
            Errors(Header + "sequence by src_endpoint.ip within 5m\n  step a message exists\n  step b: message exists\n"));
        Assert.Equal(
            ["line 6, column 26: expected 'and', 'or', 'step' or the end of the sequence, found 'cloud.region'"],
            Errors(Header + "sequence by src_endpoint.ip within 5m\n  step a: message exists\n  step b: message exists cloud.region exists\n"));
    }

    [Fact]
    public void Parse_ReportsTheIndentedLine_WhenNoStatementComesBeforeIt()
    {
        var result = RuleText.Parse("  where message exists\n" + Header + WhereLine);

        Assert.Equal(["line 1, column 3: this line is indented, so it continues a statement, but no statement comes before it"], result.Errors.Select(e => e.ToString()));
        Assert.Single(result.Rules);
    }

    [Fact]
    public void ParseSingle_ReportsTheSecondRule_WhenTheTextHoldsTwo()
    {
        var (rule, errors) = RuleText.ParseSingle(Header + WhereLine + "\nrule r2\ntitle \"U\"\nseverity low\n" + WhereLine);

        Assert.Null(rule);
        Assert.Equal(["line 6, column 1: expected one rule, but a second rule starts here"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ParseSingle_ReportsTheStart_WhenTheTextHoldsNoRule()
    {
        var (rule, errors) = RuleText.ParseSingle("# nothing\n");

        Assert.Null(rule);
        Assert.Equal(["line 1, column 1: expected a rule: rule <id>, then its statements"], errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("", "line 1, column 1: expected a condition")]
    [InlineData("message = 1 )", "line 1, column 13: expected 'and', 'or' or the end of the condition, found ')'")]
    [InlineData("message exists\n  and mesage exists", "line 2, column 7: unknown field 'mesage' (did you mean 'message'?)")]
    [InlineData("message = \"open", "line 1, column 11: unterminated string: a string ends with \" on the same line")]
    public void ParseCondition_ReportsTheToken_WhenTheConditionIsMalformed(string text, string error)
    {
        var (condition, errors) = RuleText.ParseCondition(text);

        Assert.Null(condition);
        Assert.Equal([error], errors.Select(e => e.ToString()));
    }
}

public partial class RuleTextTests
{
    [Fact]
    public void Parse_ReportsOnlyTheMisspeltStatement_WhenARequiredStatementIsMisspelt()
    {
        Assert.Equal(
            ["line 2, column 1: unknown statement 'titel' (did you mean 'title'?)", "line 3, column 1: unknown statement 'Severity' (keywords are lower case: 'severity')"],
            Errors("rule r1\ntitel \"T\"\nSeverity low\nwhere message exists\n"));
    }

    [Fact]
    public void Parse_StopsAtTheLimit_WhenParenthesesNestTooDeeply()
    {
        var text = Header + "where " + new string('(', 300) + "message exists" + new string(')', 300) + "\n";

        Assert.Equal(["line 4, column 264: the condition nests too deeply"], Errors(text));
    }

    [Fact]
    public void Parse_ReportsTheDepth_WhenNotNestsBeyondTheModelLimit()
    {
        var text = Header + "where " + string.Concat(Enumerable.Repeat("not ", 70)) + "message exists\n";

        Assert.Equal(["line 4, column 263: the condition nests more than 64 levels deep"], Errors(text));
    }
}
