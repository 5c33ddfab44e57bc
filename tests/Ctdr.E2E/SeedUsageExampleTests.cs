using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Ctdr.Infrastructure.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

/// <summary>
/// The seed's usage example, in the browser, against the sandbox cloud: activate without the log access policy →
/// connect the sandbox Alibaba Cloud account → add its WAF logs (Check Validity) → enable the predefined WAF rules →
/// create an automatic response rule (trigger: event; action: the WAF IP-blocking playbook) → the sandbox attack →
/// the event on Security Event Handling → the Disposal Center shows the policy and its task → the sandbox WAF console
/// shows Ctdr's blocking rule → the attacker's later requests are logged as blocked by exactly that rule → unblock in
/// the Disposal Center removes the IP, and the attacker's traffic is no longer blocked by it.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class SeedUsageExampleTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const string AttackerIp = "203.0.113.66";

    protected override IReadOnlyDictionary<string, string?> AppSettings { get; } = new Dictionary<string, string?>(TestUsers.BootstrapAdministrator)
    {
        ["Sandbox:GenerateTraffic"] = "false",
        ["Sandbox:ScenarioEvery"] = "00:00:00",
    };

    [Fact]
    public Task AutomaticRule_BlocksTheAttackerOnTheWaf_AndUnblockingLiftsIt() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);

        // Activate without the log access policy; connect the sandbox accounts; add the Alibaba WAF logs.
        await Page.GetByTestId("nav-activation").ClickAsync();
        var activation = new ActivationPage(Page);
        await activation.ExpectShownAsync();
        await activation.ActivateWithoutPolicy.ClickAsync();
        await Expect(activation.Status).ToHaveTextAsync("Activated");
        await Page.GetByTestId("nav-accounts").ClickAsync();
        var accounts = new CloudAccountsPage(Page);
        await accounts.ExpectShownAsync();
        await Page.GetByTestId("connect-sandbox").ClickAsync();
        await Expect(accounts.AccountRows).ToHaveCountAsync(3);
        await GenerateAsync("alibaba-waf", 20, null);
        await accounts.AddSourceButtonOf(1).ClickAsync();
        var add = new AddLogSourcePage(Page);
        await Expect(add.Project).ToHaveValueAsync("wafnew-project-5000000000000001-cn-hangzhou");
        await Expect(add.LogStore).ToHaveValueAsync("wafnew-logstore");
        await Page.GetByTestId("check-validity").ClickAsync();
        await Expect(Page.GetByTestId("validity-step").Locator("[data-testid=validity-step-status]")).ToHaveTextAsync(["✓ Passed", "✓ Passed", "✓ Passed", "✓ Passed", "✓ Passed"]);
        await Page.GetByTestId("save-source").ClickAsync();
        await Expect(Page.GetByTestId("source-status")).ToHaveTextAsync("Active");

        // Enable the predefined WAF rules.
        await Page.GotoAsync("/rules?product=AlibabaWaf");
        var rules = new RulesPage(Page);
        await Expect(rules.StateOf("alibaba-waf-sqli")).ToHaveTextAsync("Disabled");
        await rules.EnableShown.ClickAsync();
        await Expect(rules.StateOf("alibaba-waf-sqli")).ToHaveTextAsync("Live");

        // An automatic response rule: on an event, run the WAF IP-blocking playbook.
        await Page.GetByTestId("nav-response-rules").ClickAsync();
        var responseRules = new ResponseRulesPage(Page);
        await Expect(responseRules.Heading).ToBeVisibleAsync();
        await responseRules.OpenNewRuleAsync();
        await Page.GetByTestId("rule-name").FillAsync("Block WAF attackers");
        await Expect(Page.GetByTestId("rule-action-playbook-0")).ToHaveTextAsync("Block the attacker IP on the WAF");
        await Page.GetByTestId("rule-save").ClickAsync();
        await Expect(responseRules.Rows.GetByTestId("response-rule-name")).ToHaveTextAsync(["Block WAF attackers"]);
        await Expect(responseRules.Rows.GetByTestId("response-rule-actions")).ToHaveTextAsync(["run Block the attacker IP on the WAF"]);

        // The attack; the event appears on Security Event Handling.
        await Page.GetByTestId("nav-events").ClickAsync();
        var events = new EventsPage(Page);
        await events.ExpectShownAsync();
        await GenerateAsync("alibaba-waf", 40, "killchain");
        await Expect(events.Rows).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(events.Rows.GetByTestId("event-title")).ToContainTextAsync(AttackerIp);

        // The Disposal Center: the policy from the rule, in force, and its task with the cloud-side rule id.
        await Page.GetByTestId("nav-disposal").ClickAsync();
        var disposal = new DisposalCenterPage(Page);
        await disposal.ExpectShownAsync();
        await Expect(disposal.PolicyRows).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(disposal.PolicyRows.GetByTestId("policy-target")).ToHaveTextAsync(AttackerIp);
        await Expect(disposal.PolicyRows.GetByTestId("policy-by")).ToHaveTextAsync("rule:Block WAF attackers");
        await Expect(disposal.PolicyRows.GetByTestId("policy-effective")).ToHaveTextAsync("in force", new() { Timeout = 30_000 });
        await disposal.TasksTab.ClickAsync();
        await Expect(disposal.TaskRows.GetByTestId("task-status")).ToHaveTextAsync(["Succeeded"]);
        var ruleId = (await disposal.TaskRows.GetByTestId("task-rule").TextContentAsync())!.Trim();
        Assert.Matches("^[0-9]+$", ruleId);

        // The sandbox WAF console lists Ctdr's rule with the attacker's address.
        var console = await Context.NewPageAsync();
        var sandbox = App.Services.GetRequiredService<SandboxEndpoint>().Address!;
        await console.GotoAsync(new Uri(sandbox, "/_sandbox/waf").ToString());
        await Expect(console.Locator($"tr[data-rule-id='{ruleId}']")).ToContainTextAsync(AttackerIp);

        // The attacker's later requests are logged as blocked by exactly that rule.
        await GenerateAsync("alibaba-waf", 20, "killchain");
        var search = new LogSearchPage(Page);
        await Page.GotoAsync("/logs?range=24h");
        await search.ExpectShownAsync();
        await search.Conditions.FillAsync($"src_endpoint.ip = {AttackerIp}\nfirewall_rule.uid = {ruleId}");
        await SearchUntilAsync(search, "1-20 of 20");

        // Unblock from the Disposal Center: the address leaves the WAF, and later requests are no longer blocked by the rule.
        await Page.GetByTestId("nav-disposal").ClickAsync();
        await disposal.ExpectShownAsync();
        await disposal.PolicyRows.GetByRole(AriaRole.Button, new() { Name = "Unblock" }).ClickAsync();
        await Expect(disposal.PolicyRows.GetByTestId("policy-status")).ToHaveTextAsync("Reverted", new() { Timeout = 30_000 });
        await Expect(disposal.PolicyRows.GetByTestId("policy-effective")).ToHaveTextAsync("not in force");
        await console.ReloadAsync();
        await Expect(console.GetByText(AttackerIp)).ToHaveCountAsync(0);
        await GenerateAsync("alibaba-waf", 20, "killchain");
        await Page.GotoAsync("/logs?range=24h");
        await search.ExpectShownAsync();
        await search.Conditions.FillAsync($"src_endpoint.ip = {AttackerIp}");
        await SearchUntilAsync(search, "1-50 of 80");
        await Page.GotoAsync("/logs?range=24h&where=" + Uri.EscapeDataString($"src_endpoint.ip = {AttackerIp}\nfirewall_rule.uid = {ruleId}"));
        await search.ExpectShownAsync();
        await Expect(search.Grid.Locator(".mud-table-pagination-caption").Last).ToHaveTextAsync("1-20 of 20");

        Assert.True(BrowserConsole.Errors.Count == 0, string.Join(Environment.NewLine, BrowserConsole.Errors));
    });

    /// <summary>Searches again until the result count reads <paramref name="caption"/>: the records arrive with the next pulls (every 5 seconds).</summary>
    private static async Task SearchUntilAsync(LogSearchPage search, string caption)
    {
        var caption0 = search.Grid.Locator(".mud-table-pagination-caption").Last;
        for (var attempt = 0; ; attempt++)
        {
            await search.SearchButton.ClickAsync();
            try
            {
                await Expect(caption0).ToHaveTextAsync(caption, new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 20)
            {
                // Not all records are stored yet.
            }
        }
    }
}
