using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Sigma;

namespace Ctdr.Application.Tests.Detection.Sigma;

public sealed partial class SigmaImporterTests
{
    [Fact]
    public void Import_AndsFieldsAndOrsListValues_WhenSelectionIsAMap()
    {
        var condition = Condition("""
            detection:
              selection:
                http_request.http_method: POST
                http_response.code:
                  - 200
                  - 302
              condition: selection
            """);

        Assert.Equal(
            And(F("http_request.http_method", MatchOperator.Equals, "POST"), F("http_response.code", MatchOperator.Equals, "200", "302")),
            condition);
    }

    [Fact]
    public void Import_OrsTheMaps_WhenSelectionIsAListOfMaps()
    {
        var condition = Condition("""
            detection:
              selection:
                - http_request.http_method: PUT
                  http_request.url.path: /upload
                - http_request.http_method: DELETE
              condition: selection
            """);

        Assert.Equal(
            Or(
                And(F("http_request.http_method", MatchOperator.Equals, "PUT"), F("http_request.url.path", MatchOperator.Equals, "/upload")),
                F("http_request.http_method", MatchOperator.Equals, "DELETE")),
            condition);
    }

    [Fact]
    public void Import_SearchesAnyFieldForTheKeywords_WhenSearchIdentifierIsAKeywordList()
    {
        var condition = Condition("""
            detection:
              keywords:
                - sqlmap
                - 'union select'
                - 'nikto*scan'
              condition: keywords
            """);

        Assert.Equal(
            Or(F("*", MatchOperator.Contains, "sqlmap", "union select"), F("*", MatchOperator.Regex, "(?s)^.*nikto.*scan.*$")),
            condition);
    }

    [Fact]
    public void Import_RequiresEveryKeyword_WhenKeywordsHaveTheAllModifier()
    {
        var condition = Condition("""
            detection:
              keywords:
                '|all':
                  - select
                  - from
              condition: keywords
            """);

        Assert.Equal(F("*", MatchOperator.Contains, "select", "from") with { MatchAllValues = true }, condition);
    }

    [Theory]
    [InlineData("admin", MatchOperator.Equals, "admin")]
    [InlineData("'*admin*'", MatchOperator.Contains, "admin")]
    [InlineData("'admin*'", MatchOperator.StartsWith, "admin")]
    [InlineData("'*admin'", MatchOperator.EndsWith, "admin")]
    [InlineData("'**admin**'", MatchOperator.Contains, "admin")]
    [InlineData("'ad*min'", MatchOperator.Regex, "(?s)^ad.*min$")]
    [InlineData("'ad?in'", MatchOperator.Regex, "(?s)^ad.in$")]
    [InlineData("'*a.b?c*'", MatchOperator.Regex, "(?s)^.*a\\.b.c.*$")]
    [InlineData("'*'", MatchOperator.Exists, null)]
    [InlineData("'what\\?'", MatchOperator.Equals, "what?")]
    [InlineData("'\\*star*'", MatchOperator.StartsWith, "*star")]
    [InlineData("'C:\\Windows\\*'", MatchOperator.Equals, "C:\\Windows*")]
    [InlineData("'C:\\\\*'", MatchOperator.StartsWith, "C:\\")]
    [InlineData("'(x)\\\\?y'", MatchOperator.Regex, "(?s)^\\(x\\)\\\\.y$")]
    public void Import_ChoosesTheOperator_WhenValueHasWildcards(string value, MatchOperator op, string? text)
    {
        var condition = Condition($"""
            detection:
              selection:
                http_request.url.path: {value}
              condition: selection
            """);

        Assert.Equal(text is null ? F("http_request.url.path", op) : F("http_request.url.path", op, text), condition);
    }

    [Fact]
    public void Import_TestsTheFieldIsAbsent_WhenValueIsNull()
    {
        var condition = Condition("""
            detection:
              selection:
                http_request.user_agent: null
                http_request.x_forwarded_for: ~
                http_request.url.query_string: 'null'
              condition: selection
            """);

        Assert.Equal(
            And(
                new NotCondition(F("http_request.user_agent", MatchOperator.Exists)),
                new NotCondition(F("http_request.x_forwarded_for", MatchOperator.Exists)),
                F("http_request.url.query_string", MatchOperator.Equals, "null")),
            condition);
    }

    [Fact]
    public void Import_KeepsNumbersAndBooleansAsWritten_WhenValuesAreNotText()
    {
        var condition = Condition("""
            detection:
              selection:
                http_response.code: 0404
                raw.event.additionalEventData.MFAUsed: false
              condition: selection
            """, "product: ctdr\n  service: AlibabaActionTrail");

        Assert.Equal(
            And(F("http_response.code", MatchOperator.Equals, "0404"), F("raw.event.additionalEventData.MFAUsed", MatchOperator.Equals, "false")),
            condition);
    }

    public static TheoryData<string, RuleCondition> Modifiers => new()
    {
        { "http_request.url.path|contains: admin", F("http_request.url.path", MatchOperator.Contains, "admin") },
        { "http_request.url.path|startswith: /wp-", F("http_request.url.path", MatchOperator.StartsWith, "/wp-") },
        { "http_request.url.path|endswith: .php", F("http_request.url.path", MatchOperator.EndsWith, ".php") },
        { "http_request.url.path|contains: 'a*b'", F("http_request.url.path", MatchOperator.Regex, "(?s)^.*a.*b.*$") },
        { "http_request.url.path|contains|all: [etc, passwd]", F("http_request.url.path", MatchOperator.Contains, "etc", "passwd") with { MatchAllValues = true } },
        { "http_request.url.path|contains|cased: Admin", F("http_request.url.path", MatchOperator.Contains, "Admin") with { CaseSensitive = true } },
        { "http_request.url.path|cased: /Admin", F("http_request.url.path", MatchOperator.Equals, "/Admin") with { CaseSensitive = true } },
        { "http_request.url.path|re: '^/a[0-9]+$'", F("http_request.url.path", MatchOperator.Regex, "^/a[0-9]+$") with { CaseSensitive = true } },
        { "http_request.url.path|re|i: '^/admin'", F("http_request.url.path", MatchOperator.Regex, "^/admin") },
        { "http_request.url.path|re|m|s: 'a.b$'", F("http_request.url.path", MatchOperator.Regex, "(?ms)a.b$") with { CaseSensitive = true } },
        { "http_request.url.path|re|all: ['a', 'b']", And(F("http_request.url.path", MatchOperator.Regex, "a") with { CaseSensitive = true }, F("http_request.url.path", MatchOperator.Regex, "b") with { CaseSensitive = true }) },
        { "src_endpoint.ip|cidr: ['10.0.0.0/8', '2001:db8::/32']", F("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/8", "2001:db8::/32") },
        { "http_request.user_agent|exists: true", F("http_request.user_agent", MatchOperator.Exists) },
        { "http_request.user_agent|exists: false", new NotCondition(F("http_request.user_agent", MatchOperator.Exists)) },
        { "http_response.code|gt: 499", F("http_response.code", MatchOperator.GreaterThan, "499") },
        { "http_response.code|gte: 500", F("http_response.code", MatchOperator.GreaterOrEqual, "500") },
        { "http_response.code|lt: 200", F("http_response.code", MatchOperator.LessThan, "200") },
        { "http_response.code|lte: -1", F("http_response.code", MatchOperator.LessOrEqual, "-1") },
        { "http_response.code|neq: 200", F("http_response.code", MatchOperator.NotEquals, "200") },
        { "http_request.http_method|neq: [GET, HEAD]", F("http_request.http_method", MatchOperator.NotEquals, "GET", "HEAD") },
        { "http_request.url.path|neq|contains: admin", new NotCondition(F("http_request.url.path", MatchOperator.Contains, "admin")) },
        { "src_endpoint.ip|cidr|neq: 10.0.0.0/8", new NotCondition(F("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/8")) },
        { "http_request.url.query_string|base64: 'id=1'", F("http_request.url.query_string", MatchOperator.Equals, "aWQ9MQ==") },
        { "http_request.url.query_string|base64|contains: 'cmd'", F("http_request.url.query_string", MatchOperator.Contains, "Y21k") },
        { "http_request.url.query_string|base64|startswith: 'cmd'", F("http_request.url.query_string", MatchOperator.StartsWith, "Y21k") },
        { "http_request.url.query_string|wide|base64|contains: 'cmd'", F("http_request.url.query_string", MatchOperator.Contains, "YwBtAGQA") },
        { "http_request.url.query_string|utf16be|base64: 'cmd'", F("http_request.url.query_string", MatchOperator.Equals, "AGMAbQBk") },
        { "http_request.url.query_string|utf16|base64: 'cmd'", F("http_request.url.query_string", MatchOperator.Equals, "//5jAG0AZAA=") },
        { "http_request.url.query_string|windash|contains: ' -enc'", F("http_request.url.query_string", MatchOperator.Contains, " -enc", " /enc", " \u2013enc", " \u2014enc", " \u2015enc") },
        { "http_request.url.query_string|windash: '/a-b'", F("http_request.url.query_string", MatchOperator.Equals, "-a-b", "-a/b", "-a\u2013b", "-a\u2014b", "-a\u2015b", "/a-b", "/a/b", "/a\u2013b", "/a\u2014b", "/a\u2015b", "\u2013a-b", "\u2013a/b", "\u2013a\u2013b", "\u2013a\u2014b", "\u2013a\u2015b", "\u2014a-b", "\u2014a/b", "\u2014a\u2013b", "\u2014a\u2014b", "\u2014a\u2015b", "\u2015a-b", "\u2015a/b", "\u2015a\u2013b", "\u2015a\u2014b", "\u2015a\u2015b") },
        { "http_request.url.path: ['/a*', '*.php', '/index.html', '/b*']", Or(F("http_request.url.path", MatchOperator.StartsWith, "/a", "/b"), F("http_request.url.path", MatchOperator.EndsWith, ".php"), F("http_request.url.path", MatchOperator.Equals, "/index.html")) },
        { "http_request.url.path: [null, '/']", Or(F("http_request.url.path", MatchOperator.Equals, "/"), new NotCondition(F("http_request.url.path", MatchOperator.Exists))) },
    };

    [Theory]
    [MemberData(nameof(Modifiers))]
    public void Import_TranslatesTheModifiers_WhenFieldHasModifiers(string entry, RuleCondition expected)
    {
        var condition = Condition($"""
            detection:
              selection:
                {entry}
              condition: selection
            """);

        Assert.Equal(expected, condition);
    }

    [Fact]
    public void Import_ExpandsPatternsAndExcludesUnderscoreIdentifiersFromThem_WhenConditionUsesOf()
    {
        const string Detection = """
            detection:
              sel_a:
                http_request.http_method: A
              sel_b:
                http_request.http_method: B
              filter:
                http_request.http_method: F
              _helper:
                http_request.http_method: H
              condition: {0}
            """;
        var a = F("http_request.http_method", MatchOperator.Equals, "A");
        var b = F("http_request.http_method", MatchOperator.Equals, "B");
        var f = F("http_request.http_method", MatchOperator.Equals, "F");
        var h = F("http_request.http_method", MatchOperator.Equals, "H");

        Assert.Equal(Or(a, b), Condition(Detection.Replace("{0}", "1 of sel*", StringComparison.Ordinal)));
        Assert.Equal(And(a, b), Condition(Detection.Replace("{0}", "all of sel_*", StringComparison.Ordinal)));
        Assert.Equal(Or(a, b, f), Condition(Detection.Replace("{0}", "1 of them", StringComparison.Ordinal)));
        Assert.Equal(And(a, b, f), Condition(Detection.Replace("{0}", "all of them", StringComparison.Ordinal)));
        Assert.Equal(And(Or(a, b), new NotCondition(h)), Condition(Detection.Replace("{0}", "1 of sel* and not 1 of _*", StringComparison.Ordinal)));
        Assert.Equal(And(a, new NotCondition(f)), Condition(Detection.Replace("{0}", "sel_a and not filter", StringComparison.Ordinal)));
    }

    [Fact]
    public void Import_BindsNotTighterThanAndTighterThanOr_WhenConditionHasNoParentheses()
    {
        const string Detection = """
            detection:
              a:
                http_request.http_method: A
              b:
                http_request.http_method: B
              c:
                http_request.http_method: C
              condition: {0}
            """;
        var a = F("http_request.http_method", MatchOperator.Equals, "A");
        var b = F("http_request.http_method", MatchOperator.Equals, "B");
        var c = F("http_request.http_method", MatchOperator.Equals, "C");

        Assert.Equal(Or(a, And(b, new NotCondition(c))), Condition(Detection.Replace("{0}", "a or b and not c", StringComparison.Ordinal)));
        Assert.Equal(And(Or(a, b), new NotCondition(c)), Condition(Detection.Replace("{0}", "(a or b) and not c", StringComparison.Ordinal)));
        Assert.Equal(new NotCondition(And(a, b)), Condition(Detection.Replace("{0}", "not (a and b)", StringComparison.Ordinal)));
        Assert.Equal(And(new NotCondition(a), b), Condition(Detection.Replace("{0}", "not a and b", StringComparison.Ordinal)));
        Assert.Equal(Or(a, And(b, c)), Condition(Detection.Replace("{0}", "a or ((b) and c)", StringComparison.Ordinal)));
        Assert.Equal(And(new NotCondition(Or(a, b, c)), a), Condition(Detection.Replace("{0}", "not 1 of them and a", StringComparison.Ordinal)));
    }

    [Fact]
    public void Import_OrsTheConditions_WhenConditionIsAList()
    {
        var condition = Condition("""
            detection:
              a:
                http_request.http_method: A
              b:
                http_request.http_method: B
              c:
                http_request.http_method: C
              condition:
                - a and b
                - c
            """);

        Assert.Equal(
            Or(And(F("http_request.http_method", MatchOperator.Equals, "A"), F("http_request.http_method", MatchOperator.Equals, "B")), F("http_request.http_method", MatchOperator.Equals, "C")),
            condition);
    }
}
