using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

/// <summary>
/// The reference workflow's detection step: with the sandbox's WAF logs flowing, enable the predefined WAF rules;
/// the sandbox's SQL injection campaign then shows up on the Alerts page without a reload, with the attacker's IP as
/// its entity and the WAF records as its evidence.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DetectionJourneyTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const int SqlInjectionRequests = 40;
    private const string AttackerIp = "203.0.113.7";
    private const string SqlInjectionTitle = "SQL injection against a site protected by the Alibaba Cloud WAF";

    protected override IReadOnlyDictionary<string, string?> AppSettings { get; } = new Dictionary<string, string?>(TestUsers.BootstrapAdministrator)
    {
        ["Sandbox:GenerateTraffic"] = "false",
        ["Sandbox:ScenarioEvery"] = "00:00:00",
    };

    [Fact]
    public Task Analyst_SeesTheSqlInjectionAlertsLive_AfterEnablingThePredefinedWafRules() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);

        // The sandbox's WAF logs, connected and saved.
        await Page.GetByTestId("nav-accounts").ClickAsync();
        var accounts = new CloudAccountsPage(Page);
        await accounts.ExpectShownAsync();
        await Page.GetByTestId("connect-sandbox").ClickAsync();
        await Expect(accounts.AccountRows).ToHaveCountAsync(3);
        await GenerateAsync("alibaba-waf", 20, null);
        await accounts.AddSourceButtonOf(1).ClickAsync();
        var add = new AddLogSourcePage(Page);
        await Expect(add.Heading).ToBeVisibleAsync();
        await Page.GetByTestId("check-validity").ClickAsync();
        await Expect(Page.GetByTestId("validity-step").Locator("[data-testid=validity-step-status]")).ToHaveTextAsync(["✓ Passed", "✓ Passed", "✓ Passed", "✓ Passed", "✓ Passed"]);
        await Page.GetByTestId("save-source").ClickAsync();
        await Expect(Page.GetByTestId("source-status")).ToHaveTextAsync("Active");

        // Enable the predefined WAF rules.
        await Page.GotoAsync("/rules?product=AlibabaWaf");
        var rules = new RulesPage(Page);
        await Expect(rules.Heading).ToBeVisibleAsync();
        await Expect(rules.StateOf("alibaba-waf-sqli")).ToHaveTextAsync("Disabled");
        await rules.EnableShown.ClickAsync();
        await Expect(rules.StateOf("alibaba-waf-sqli")).ToHaveTextAsync("Live");
        await Expect(rules.SwitchOf("alibaba-waf-sqli")).ToBeCheckedAsync();

        // The Alerts page is open when the attack happens.
        await Page.GetByTestId("nav-alerts").ClickAsync();
        var alerts = new AlertsPage(Page);
        await alerts.ExpectShownAsync();
        await Expect(alerts.Empty).ToBeVisibleAsync();
        await Page.EvaluateAsync("window.__sameDocument = 1");
        await GenerateAsync("alibaba-waf", SqlInjectionRequests, "sqli");

        var row = alerts.RowsOf(SqlInjectionTitle);
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(row.GetByTestId("alert-ip")).ToHaveTextAsync(AttackerIp);
        await Expect(row.GetByTestId("alert-count")).ToHaveTextAsync("40", new() { Timeout = 30_000 });
        Assert.Equal(1, await Page.EvaluateAsync<int>("window.__sameDocument"));

        // Its page: the attacker's IP as entity, the WAF records as evidence.
        await row.ClickAsync();
        await Expect(Page.GetByTestId("alert-detail-title")).ToHaveTextAsync(SqlInjectionTitle);
        await Expect(alerts.Entity("ip")).ToHaveTextAsync(AttackerIp);
        await Expect(Page.GetByTestId("alert-detail-count")).ToHaveTextAsync("40");
        await Expect(alerts.Evidence).ToHaveCountAsync(20);
        await alerts.Evidence.First.ClickAsync();
        await Expect(alerts.EvidenceRaw.First).ToContainTextAsync("\"final_rule_type\": \"sqli\"");
        await Expect(alerts.EvidenceRaw.First).ToContainTextAsync($"\"real_client_ip\": \"{AttackerIp}\"");

        Assert.True(BrowserConsole.Errors.Count == 0, string.Join(Environment.NewLine, BrowserConsole.Errors));
    });
}
