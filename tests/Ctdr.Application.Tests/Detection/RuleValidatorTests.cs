using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.Detection;

public class RuleValidatorTests
{
    private static readonly FieldCondition AnyMessage = new("message", MatchOperator.Exists, ValueList<string>.Empty);

    private static readonly RuleDefinition Valid = new()
    {
        Id = "waf-sqli",
        Title = "SQL injection",
        Severity = RuleSeverity.High,
        Products = ValueList.Of(LogProduct.AlibabaWaf),
        Tactic = "TA0001",
        Technique = "T1190",
        Condition = new FieldCondition("firewall_rule.type", MatchOperator.Equals, ValueList.Of("sqli")),
        Entities = ValueList.Of(new EntityMapping(EntityKind.Ip, "src_endpoint.ip")),
        Suppression = new Suppression(TimeSpan.FromMinutes(10), ValueList.Of(EntityKind.Ip)),
        Samples = ValueList.Of(new RuleSample("probe", true, null, ValueList.Of(new SampleRecord("{\"a\":1}")))),
    };

    private static RuleValidationError Error(string statement, string message) => new(statement, message);

    private static IReadOnlyList<RuleValidationError> ValidateWhere(RuleCondition condition) =>
        RuleValidator.Validate(Valid with { Condition = condition });

    private static FieldCondition F(string field, MatchOperator op, params string[] values) => new(field, op, values);

    [Fact]
    public void Validate_ReturnsNoErrors_WhenTheRuleIsValid()
    {
        Assert.Empty(RuleValidator.Validate(Valid));
    }

    [Theory]
    [InlineData("", "the rule needs an id")]
    [InlineData("Waf", "rule id 'Waf' may only hold lower-case letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("-waf", "rule id '-waf' may only hold lower-case letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("waf sqli", "rule id 'waf sqli' may only hold lower-case letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    public void Validate_ReportsTheId_WhenItIsMalformed(string id, string message)
    {
        Assert.Equal([Error("rule", message)], RuleValidator.Validate(Valid with { Id = id }));
    }

    [Fact]
    public void Validate_ReportsTheId_WhenItIsLongerThan100Characters()
    {
        Assert.Empty(RuleValidator.Validate(Valid with { Id = new string('a', 100) }));
        Assert.Equal(
            [Error("rule", "the rule id is 101 characters long; at most 100 are allowed")],
            RuleValidator.Validate(Valid with { Id = new string('a', 101) }));
    }

    [Theory]
    [InlineData("", "the rule needs a title")]
    [InlineData("  ", "the rule needs a title")]
    [InlineData("two\nlines", "the title must be one line")]
    public void Validate_ReportsTheTitle_WhenItIsMissingOrNotOneLine(string title, string message)
    {
        Assert.Equal([Error("title", message)], RuleValidator.Validate(Valid with { Title = title }));
    }

    [Fact]
    public void Validate_ReportsTheTitle_WhenItIsLongerThan200Characters()
    {
        Assert.Empty(RuleValidator.Validate(Valid with { Title = new string('x', 200) }));
        Assert.Equal(
            [Error("title", "the title is 201 characters long; at most 200 are allowed")],
            RuleValidator.Validate(Valid with { Title = new string('x', 201) }));
    }

    [Fact]
    public void Validate_ReportsControlCharacters_WhenATextCannotBeWritten()
    {
        Assert.Equal(
            [Error("description", "the text holds the control character U+000D, which rule text cannot hold")],
            RuleValidator.Validate(Valid with { Description = "a\r\nb" }));
        Assert.Empty(RuleValidator.Validate(Valid with { Description = "a\n\tb" }));
    }

    [Fact]
    public void Validate_ReportsTheProduct_WhenItIsNamedTwice()
    {
        Assert.Equal(
            [Error("products", "product 'AlibabaWaf' is named twice")],
            RuleValidator.Validate(Valid with { Products = ValueList.Of(LogProduct.AlibabaWaf, LogProduct.HuaweiWaf, LogProduct.AlibabaWaf) }));
    }

    [Theory]
    [InlineData("TA9999", null, "unknown ATT&CK tactic 'TA9999' (tactics are TA0001 to TA0043, e.g. TA0001 Initial Access)")]
    [InlineData("ta0001", null, "write the ATT&CK tactic as 'TA0001'")]
    [InlineData("TA0001", "T190", "'T190' is not an ATT&CK technique id such as T1190 or T1110.001")]
    [InlineData("TA0001", "T1110.01", "'T1110.01' is not an ATT&CK technique id such as T1190 or T1110.001")]
    [InlineData("TA0001", "t1190", "write the ATT&CK technique as 'T1190'")]
    [InlineData(null, "T1190", "an ATT&CK technique needs a tactic (attack <tactic> <technique>)")]
    public void Validate_ReportsTheAttackIds_WhenTheyAreMalformed(string? tactic, string? technique, string message)
    {
        Assert.Equal([Error("attack", message)], RuleValidator.Validate(Valid with { Tactic = tactic, Technique = technique }));
    }

    [Fact]
    public void Validate_AcceptsAnUnlistedTechnique_WhenItIsWellFormed()
    {
        Assert.Empty(RuleValidator.Validate(Valid with { Tactic = "TA0040", Technique = "T9999.123" }));
    }

    [Theory]
    [InlineData("src_endpoint.ipp", "unknown field 'src_endpoint.ipp' (did you mean 'src_endpoint.ip'?)")]
    [InlineData("Message", "unknown field 'Message' (did you mean 'message'?)")]
    [InlineData("bogus", "unknown field 'bogus'")]
    [InlineData("raw.", "'raw.' needs a path into the original record, e.g. raw.event.additionalEventData.MFAUsed")]
    [InlineData("raw.a.", "'raw.a.' has an empty member name")]
    [InlineData("raw.a b", "'raw.a b' holds ' ', which a field path cannot contain")]
    public void Validate_ReportsTheField_WhenItIsNotAField(string field, string message)
    {
        Assert.Equal([Error("where", message)], ValidateWhere(F(field, MatchOperator.Equals, "x")));
    }

    [Theory]
    [InlineData("raw.event.additionalEventData.MFAUsed")]
    [InlineData("raw.x-forwarded-for")]
    [InlineData("http_request.url.query_string")]
    public void Validate_AcceptsTheField_WhenItIsKnownOrRaw(string field)
    {
        Assert.Empty(ValidateWhere(F(field, MatchOperator.Contains, "x")));
    }

    [Theory]
    [InlineData(MatchOperator.Equals, true)]
    [InlineData(MatchOperator.Contains, true)]
    [InlineData(MatchOperator.StartsWith, true)]
    [InlineData(MatchOperator.EndsWith, true)]
    [InlineData(MatchOperator.Regex, true)]
    [InlineData(MatchOperator.NotEquals, false)]
    [InlineData(MatchOperator.Cidr, false)]
    [InlineData(MatchOperator.GreaterThan, false)]
    public void Validate_AllowsAnyField_OnlyWhenTheOperatorSearchesText(MatchOperator op, bool allowed)
    {
        var value = op switch
        {
            MatchOperator.Cidr => "10.0.0.0/8",
            MatchOperator.GreaterThan => "1",
            _ => "x",
        };

        var errors = ValidateWhere(F("*", op, value));

        Assert.Equal(allowed ? 0 : 1, errors.Count);
    }

    [Fact]
    public void Validate_ReportsNumericComparisons_WhenTheValueOrFieldIsNotANumber()
    {
        Assert.Equal(
            [Error("where", "'>' needs a whole number, and '4xx' is not one")],
            ValidateWhere(F("http_response.code", MatchOperator.GreaterThan, "4xx")));
        Assert.Equal(
            [Error("where", "'>=' needs a whole number, and '99999999999999999999' is not one")],
            ValidateWhere(F("http_response.code", MatchOperator.GreaterOrEqual, "99999999999999999999")));
        Assert.Equal(
            [Error("where", "'<' compares numbers, and 'src_endpoint.ip' is not a number or time field")],
            ValidateWhere(F("src_endpoint.ip", MatchOperator.LessThan, "5")));
        Assert.Equal(
            [Error("where", "'<=' takes one number")],
            ValidateWhere(F("http_response.code", MatchOperator.LessOrEqual, "1", "2")));
        Assert.Empty(ValidateWhere(F("raw.status", MatchOperator.GreaterThan, "-5")));
        Assert.Empty(ValidateWhere(F("time", MatchOperator.LessThan, "1700000000000")));
    }

    [Fact]
    public void Validate_ChecksTheValueCount_WhenTheOperatorNeedsValuesOrNone()
    {
        Assert.Equal([Error("where", "'exists' takes no values")], ValidateWhere(F("message", MatchOperator.Exists, "x")));
        Assert.Equal([Error("where", "'contains' needs a value")], ValidateWhere(F("message", MatchOperator.Contains)));
        Assert.Equal([Error("where", "'=' needs a value")], ValidateWhere(F("message", MatchOperator.Equals)));
        Assert.Empty(ValidateWhere(F("message", MatchOperator.Equals, "a", "b", "c")));
        Assert.Empty(ValidateWhere(F("message", MatchOperator.NotEquals, string.Empty)));
    }

    [Fact]
    public void Validate_ReportsTheValue_WhenACidrRangeOrRegexIsInvalid()
    {
        Assert.Equal(
            [Error("where", "'10.0.0.1' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32")],
            ValidateWhere(F("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/8", "10.0.0.1")));
        Assert.Equal(
            [Error("where", "'cidr' compares IP addresses, and 'http_response.code' is a number or time field")],
            ValidateWhere(F("http_response.code", MatchOperator.Cidr, "10.0.0.0/8")));
        var regex = Assert.Single(ValidateWhere(F("message", MatchOperator.Regex, "[a-")));
        Assert.StartsWith("invalid regular expression: ", regex.Message, StringComparison.Ordinal);
        Assert.Equal(
            [Error("where", "'(?<=a)b' needs backtracking (a backreference, lookaround, atomic group or conditional), which can take exponential time on attacker input; write it without")],
            ValidateWhere(F("message", MatchOperator.Regex, "(?<=a)b", "a+b")));
    }

    [Fact]
    public void Validate_ReportsTheModifier_WhenTheOperatorDoesNotTakeIt()
    {
        Assert.Equal(
            [Error("where", "'cased' does not apply to 'cidr'")],
            ValidateWhere(new FieldCondition("src_endpoint.ip", MatchOperator.Cidr, ValueList.Of("10.0.0.0/8"), CaseSensitive: true)));
        Assert.Equal(
            [Error("where", "'all' does not apply to 'matches'; it goes with contains, startswith and endswith")],
            ValidateWhere(new FieldCondition("message", MatchOperator.Regex, ValueList.Of("a"), MatchAllValues: true)));
        Assert.Empty(ValidateWhere(new FieldCondition("message", MatchOperator.Equals, ValueList.Of("a"), CaseSensitive: true)));
    }

    [Fact]
    public void Validate_ReportsAGroup_WhenItHoldsFewerThanTwoConditions()
    {
        Assert.Equal(
            [Error("where", "an 'and' needs at least two conditions")],
            ValidateWhere(new AndCondition(ValueList.Of<RuleCondition>(AnyMessage))));
        Assert.Equal(
            [Error("where", "an 'or' needs at least two conditions")],
            ValidateWhere(new OrCondition(ValueList<RuleCondition>.Empty)));
    }

    [Fact]
    public void Validate_ReportsTheDepth_WhenTheConditionNestsTooDeeply()
    {
        RuleCondition condition = AnyMessage;
        for (var i = 0; i < RuleValidator.MaxConditionDepth - 1; i++)
        {
            condition = new NotCondition(condition);
        }

        Assert.Empty(ValidateWhere(condition));
        Assert.Equal(
            [Error("where", "the condition nests more than 64 levels deep")],
            ValidateWhere(new NotCondition(condition)));
    }

    [Fact]
    public void Validate_ReportsTheRule_WhenItHasNeitherWhereNorSequence()
    {
        Assert.Equal(
            [Error("where", "the rule needs a 'where' condition or a 'sequence'")],
            RuleValidator.Validate(Valid with { Condition = null }));
    }

    [Theory]
    [InlineData(0, 5, "the window must be between 1s and 1d")]
    [InlineData(86_401, 5, "the window must be between 1s and 1d")]
    [InlineData(0.5, 5, "the window must be a whole number of seconds")]
    [InlineData(60, 0, "the threshold must be at least 1")]
    public void Validate_ReportsTheAggregation_WhenTheWindowOrThresholdIsOutOfRange(double seconds, long threshold, string message)
    {
        var aggregation = new Aggregation(ValueList.Of("src_endpoint.ip"), TimeSpan.FromSeconds(seconds), AggregateFunction.Count, null, threshold);

        Assert.Equal([Error("count", message)], RuleValidator.Validate(Valid with { Aggregation = aggregation }));
    }

    [Fact]
    public void Validate_ReportsTheAggregation_WhenItsFieldsAreMissingOrWrong()
    {
        var window = TimeSpan.FromMinutes(5);
        Assert.Equal(
            [Error("count", "'count distinct' needs a field")],
            RuleValidator.Validate(Valid with { Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip"), window, AggregateFunction.DistinctCount, null, 3) }));
        Assert.Equal(
            [Error("count", "a plain count has no distinct field; use 'count distinct <field>'")],
            RuleValidator.Validate(Valid with { Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip"), window, AggregateFunction.Count, "message", 3) }));
        Assert.Equal(
            [Error("count", "'count' needs 'by' and at least one field")],
            RuleValidator.Validate(Valid with { Aggregation = new Aggregation(ValueList<string>.Empty, window, AggregateFunction.Count, null, 3) }));
        Assert.Equal(
            [
                Error("count", "unknown field 'src.ip'"),
                Error("count", "'*' (any field) is only for conditions; name one field"),
                Error("count", "'message' is named twice after 'by'"),
            ],
            RuleValidator.Validate(Valid with { Aggregation = new Aggregation(ValueList.Of("src.ip", "*", "message", "message"), window, AggregateFunction.Count, null, 3) }));
    }

    [Fact]
    public void Validate_ReportsCountAndSequenceTogether_WhenBothAreSet()
    {
        var sequence = new Sequence(
            ValueList.Of(new SequenceStep("a", AnyMessage), new SequenceStep("b", AnyMessage)),
            ValueList.Of("src_endpoint.ip"),
            TimeSpan.FromMinutes(5),
            Ordered: false);
        var aggregation = new Aggregation(ValueList.Of("src_endpoint.ip"), TimeSpan.FromMinutes(5), AggregateFunction.Count, null, 3);

        Assert.Empty(RuleValidator.Validate(Valid with { Condition = null, Sequence = sequence }));
        Assert.Equal(
            [Error("count", "a rule has either 'count' or 'sequence', not both")],
            RuleValidator.Validate(Valid with { Sequence = sequence, Aggregation = aggregation }));
    }

    [Fact]
    public void Validate_ReportsTheSteps_WhenTheyAreTooFewMisnamedOrWrong()
    {
        var by = ValueList.Of("actor.user.name");
        var window = TimeSpan.FromMinutes(5);

        Assert.Equal(
            [Error("sequence", "a sequence needs at least two steps (step <name>: <condition>)")],
            RuleValidator.Validate(Valid with { Sequence = new Sequence(ValueList.Of(new SequenceStep("a", AnyMessage)), by, window, true) }));
        Assert.Equal(
            [
                Error("step 'a b'", "step name 'a b' may only hold letters, digits, '-', '_' and '.'"),
                Error("step 'c'", "unknown field 'nope'"),
                Error("step 'c'", "two steps are named 'c'"),
            ],
            RuleValidator.Validate(Valid with
            {
                Sequence = new Sequence(
                    ValueList.Of(new SequenceStep("a b", AnyMessage), new SequenceStep("c", F("nope", MatchOperator.Exists)), new SequenceStep("c", AnyMessage)),
                    by,
                    window,
                    true),
            }));
        Assert.Equal(
            [Error("sequence", "'sequence' needs 'by' and at least one field")],
            RuleValidator.Validate(Valid with
            {
                Sequence = new Sequence(ValueList.Of(new SequenceStep("a", AnyMessage), new SequenceStep("b", AnyMessage)), ValueList<string>.Empty, window, true),
            }));
    }

    [Fact]
    public void Validate_ReportsTheEntities_WhenAKindIsMappedTwiceOrAFieldIsUnknown()
    {
        Assert.Equal(
            [
                Error("entities", "unknown field 'dst.ip'"),
                Error("entities", "the entity 'ip' is mapped twice"),
            ],
            RuleValidator.Validate(Valid with
            {
                Entities = ValueList.Of(new EntityMapping(EntityKind.Asset, "dst.ip"), new EntityMapping(EntityKind.Ip, "src_endpoint.ip"), new EntityMapping(EntityKind.Ip, "raw.ip")),
            }));
    }

    [Fact]
    public void Validate_ReportsTheSuppression_WhenThePeriodIsOutOfRangeOrAKindIsNotMapped()
    {
        Assert.Equal(
            [
                Error("suppress", "the suppression period must be between 1s and 7d"),
                Error("suppress", "suppress by 'user', but 'entities' maps no user"),
            ],
            RuleValidator.Validate(Valid with { Suppression = new Suppression(TimeSpan.FromDays(8), ValueList.Of(EntityKind.Ip, EntityKind.User)) }));
        Assert.Empty(RuleValidator.Validate(Valid with { Suppression = new Suppression(TimeSpan.FromDays(7), ValueList<EntityKind>.Empty) }));
    }

    [Theory]
    [InlineData("[1,2]", "a sample record is a JSON object: it starts with '{' and ends with '}'")]
    [InlineData(" {\"a\":1}", "a sample record is a JSON object: it starts with '{' and ends with '}'")]
    [InlineData("{\"a\":\n1}", "a sample record is one line of JSON")]
    [InlineData("{\"a\":1,}", "the sample record is not valid JSON at character 8: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    public void Validate_ReportsTheRecord_WhenItIsNotOneLineOfJsonObject(string json, string message)
    {
        var sample = new RuleSample("probe", true, null, ValueList.Of(new SampleRecord(json)));

        Assert.Equal([Error("sample 'probe'", message)], RuleValidator.Validate(Valid with { Samples = ValueList.Of(sample) }));
    }

    [Theory]
    [InlineData(0, 0, "a record repeats 1 to 100000 times")]
    [InlineData(100_001, 0, "a record repeats 1 to 100000 times")]
    [InlineData(2, -1, "'every' must be between 0s and 1d")]
    [InlineData(2, 0.5, "'every' must be a whole number of seconds")]
    public void Validate_ReportsTheRepetition_WhenItIsOutOfRange(int repeat, double everySeconds, string message)
    {
        var sample = new RuleSample("probe", true, null, ValueList.Of(new SampleRecord("{}", repeat, TimeSpan.FromSeconds(everySeconds))));

        Assert.Equal([Error("sample 'probe'", message)], RuleValidator.Validate(Valid with { Samples = ValueList.Of(sample) }));
    }

    [Fact]
    public void Validate_ReportsTheSamples_WhenNamesRepeatOrProductOrRecordsAreMissing()
    {
        var record = ValueList.Of(new SampleRecord("{}"));
        var rule = Valid with
        {
            Products = ValueList<LogProduct>.Empty,
            Samples = ValueList.Of(
                new RuleSample("a", true, LogProduct.HuaweiWaf, record),
                new RuleSample("a", false, LogProduct.HuaweiWaf, ValueList<SampleRecord>.Empty),
                new RuleSample("b", false, null, record)),
        };

        Assert.Equal(
            [
                Error("sample 'a'", "two samples are named 'a'"),
                Error("sample 'a'", "the sample has no records (one JSON object per indented line before 'end')"),
                Error("sample 'b'", "the sample needs a product (sample ... product <LogProduct>) because the rule names no products"),
            ],
            RuleValidator.Validate(rule));
    }

    [Fact]
    public void ValidateCondition_NamesTheCondition_WhenAFieldIsUnknown()
    {
        Assert.Equal(
            [Error("condition", "unknown field 'src_endpoint.ipp' (did you mean 'src_endpoint.ip'?)")],
            RuleValidator.ValidateCondition(F("src_endpoint.ipp", MatchOperator.Exists)));
    }

    [Theory]
    [InlineData("src_endpoint.ip", true)]
    [InlineData("raw.a.b", true)]
    [InlineData("raw.", false)]
    [InlineData("*", false)]
    [InlineData("src_endpoint", false)]
    public void IsValidField_TellsFields_WhenGivenNames(string field, bool valid)
    {
        Assert.Equal(valid, RuleValidator.IsValidField(field));
    }
}
