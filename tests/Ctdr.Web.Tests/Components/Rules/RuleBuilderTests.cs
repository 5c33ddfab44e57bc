using Bunit;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Library;
using Ctdr.Application.Detection.Text;
using Ctdr.Web.Components.Pages.Rules;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace Ctdr.Web.Tests.Components.Rules;

/// <summary>The rule builder and the rule text are two views of one rule.</summary>
public sealed class RuleBuilderTests : CtdrComponentContext
{
    public static TheoryData<string> PredefinedIds() => [.. PredefinedRules.All.Select(r => r.Id)];

    [Theory]
    [MemberData(nameof(PredefinedIds))]
    public void Draft_GivesBackTheSameRule_ForEveryPredefinedRule(string id)
    {
        var rule = PredefinedRules.Find(id)!;

        var (back, problems) = RuleDraft.From(rule).ToDefinition();

        Assert.Empty(problems);
        Assert.Equal(rule, back);
        Assert.Equal(RuleText.Print(rule), RuleText.Print(back!));
    }

    [Fact]
    public void Draft_GivesBackNestedGroupsNegationsAndModifiers_WhenTheTextHasThem()
    {
        const string text = """
            rule nested
            title "Nested"
            severity high
            products AlibabaWaf
            where (http_request.url.path contains all cased ("a", "B") and not http_response.code in (200, 204))
               or (src_endpoint.ip cidr ("10.0.0.0/8", "192.168.0.0/16") and (firewall_rule.type = "sqli" and raw.waf_test != "true"))
            count distinct http_request.url.path by src_endpoint.ip, http_request.url.hostname within 90s >= 7
            entities ip = src_endpoint.ip
            suppress 2h by ip
            """;
        var (rule, errors) = RuleText.ParseSingle(text);
        Assert.Empty(errors);

        var (back, problems) = RuleDraft.From(rule!).ToDefinition();

        Assert.Empty(problems);
        Assert.Equal(rule, back);
    }

    [Fact]
    public async Task Editor_PrintsTheBuildersChangeIntoTheText_WhenTheTitleIsEdited()
    {
        var rule = PredefinedRules.Find("alibaba-waf-success-after-attack")!;
        var text = RuleText.Print(rule);
        string? changed = null;
        var editor = Render<RuleEditor>(p => p
            .Add(e => e.Text, text)
            .Add(e => e.IdLocked, true)
            .Add(e => e.TextChanged, (string t) => changed = t));

        await editor.FindAll(".mud-tab")[1].ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        editor.WaitForElement("[data-testid=builder-title]", HangGuard.Timeout);
        await editor.Find("[data-testid=builder-title]").ChangeAsync(new ChangeEventArgs { Value = "Renamed" });

        Assert.Equal(RuleText.Print(rule with { Title = "Renamed" }), changed);
    }

    [Fact]
    public void Editor_ShowsParseErrorsWithTheirPosition_WhenTheTextIsWrong()
    {
        var editor = Render<RuleEditor>(p => p.Add(e => e.Text, "rule x\ntitle \"X\"\nseverity high\nwhere src_endpoint.ipp = \"1.2.3.4\"\n"));

        var problems = editor.FindAll("[data-testid=rule-problem]").Select(p => p.TextContent).ToList();

        var problem = Assert.Single(problems);
        Assert.StartsWith("line 4, column 7: ", problem, StringComparison.Ordinal);
        Assert.Contains("src_endpoint.ipp", problem, StringComparison.Ordinal);
    }
}
