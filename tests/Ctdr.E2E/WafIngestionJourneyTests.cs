using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

/// <summary>
/// The reference workflow's first half, against the sandbox cloud running in the app: activate without the log
/// access policy, connect the sandbox's Alibaba Cloud account, add its WAF 3.0 logs, Check Validity, save, see the
/// records flow, and find the SQL injection campaign in log search.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class WafIngestionJourneyTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const int BenignRequests = 200;
    private const int SqlInjectionRequests = 40;
    private const string AttackerIp = "203.0.113.7";

    // The test puts exactly the records it counts into the sandbox; the demo traffic and schedule stay off.
    protected override IReadOnlyDictionary<string, string?> AppSettings { get; } = new Dictionary<string, string?>(TestUsers.BootstrapAdministrator)
    {
        ["Sandbox:GenerateTraffic"] = "false",
        ["Sandbox:ScenarioEvery"] = "00:00:00",
    };

    [Fact]
    public Task Administrator_ConnectsTheSandboxWafLogs_AndFindsTheSqlInjectionCampaign() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);

        // 1. Activate without the log access policy: nothing is added by itself.
        await Page.GetByTestId("nav-activation").ClickAsync();
        var activation = new ActivationPage(Page);
        await activation.ExpectShownAsync();
        await activation.ActivateWithoutPolicy.ClickAsync();
        await Expect(activation.Status).ToHaveTextAsync("Activated");
        await Expect(activation.PolicySwitch).ToHaveTextAsync("Log access policy: off");

        // 2. Connect the sandbox accounts: Alibaba Cloud, Huawei Cloud, Tencent Cloud; no log source yet.
        await Page.GetByTestId("nav-accounts").ClickAsync();
        var accounts = new CloudAccountsPage(Page);
        await accounts.ExpectShownAsync();
        await Page.GetByTestId("connect-sandbox").ClickAsync();
        await Expect(accounts.AccountRows).ToHaveCountAsync(3);
        await Expect(accounts.SourceCountOf(1)).ToHaveTextAsync("0");

        // The sandbox's WAF receives benign traffic and a SQL injection campaign.
        await GenerateAsync("alibaba-waf", BenignRequests, null);
        await GenerateAsync("alibaba-waf", SqlInjectionRequests, "sqli");

        // 3. Add the account's WAF logs: the WAF 3.0 project and logstore follow from the account.
        await accounts.AddSourceButtonOf(1).ClickAsync();
        var add = new AddLogSourcePage(Page);
        await Expect(add.Heading).ToBeVisibleAsync();
        await Expect(add.Project).ToHaveValueAsync("wafnew-project-5000000000000001-cn-hangzhou");
        await Expect(add.LogStore).ToHaveValueAsync("wafnew-logstore");

        // 4. Check Validity passes, step by step.
        await Page.GetByTestId("check-validity").ClickAsync();
        var steps = Page.GetByTestId("validity-step");
        await Expect(steps.Locator("[data-testid=validity-step-name]")).ToHaveTextAsync(["Credentials", "Project", "Logstore", "Read permission", "Sample record parses"]);
        await Expect(steps.Locator("[data-testid=validity-step-status]")).ToHaveTextAsync(["✓ Passed", "✓ Passed", "✓ Passed", "✓ Passed", "✓ Passed"]);

        // 5. Save: the source is active and its records flow in.
        await Page.GetByTestId("save-source").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/log-sources/1$"));
        await Expect(Page.GetByTestId("source-status")).ToHaveTextAsync("Active");
        var total = (BenignRequests + SqlInjectionRequests).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Expect(Page.GetByTestId("status-stored-today")).ToHaveTextAsync(total, new() { Timeout = 60_000 });
        await Expect(Page.GetByTestId("status-stored-total")).ToHaveTextAsync(total);

        // 6. Log search finds exactly the campaign's requests, blocked by the WAF.
        await Page.GetByTestId("nav-logs").ClickAsync();
        var search = new LogSearchPage(Page);
        await search.ExpectShownAsync();
        await search.Conditions.FillAsync($"src_endpoint.ip = {AttackerIp}\nhttp_request.user_agent startswith sqlmap");
        await search.SearchButton.ClickAsync();
        await Expect(search.Grid.Locator(".mud-table-pagination-caption").Last).ToHaveTextAsync($"1-{SqlInjectionRequests} of {SqlInjectionRequests}");
        await Expect(search.Paths).ToHaveCountAsync(SqlInjectionRequests);
        await Expect(search.Paths.First).ToContainTextAsync(".php?");

        await search.Paths.First.ClickAsync();
        await Expect(search.RecordDialog).ToBeVisibleAsync();
        await Expect(search.RecordFields.Filter(new() { HasText = "src_endpoint.ip" }).Locator("td").Nth(1)).ToHaveTextAsync(AttackerIp);
        await Expect(search.RecordFields.Filter(new() { HasText = "disposition_id" }).Locator("td").Nth(1)).ToHaveTextAsync("2");
        await Expect(search.RecordRaw).ToContainTextAsync("\"final_rule_type\": \"sqli\"");

        Assert.True(BrowserConsole.Errors.Count == 0, string.Join(Environment.NewLine, BrowserConsole.Errors));
    });
}
