using System.Net.Http.Headers;
using System.Text;
using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

/// <summary>
/// The reference workflow's aggregation step, in the browser against the sandbox cloud: with the Alibaba Cloud WAF
/// and ActionTrail logs flowing and the predefined rules on, the sandbox's multi-stage attack (directory scan → SQL
/// injection → web shell from one IP; an access key created and logging stopped by a user from the same IP) becomes
/// exactly one security event — inserted in the open list without a reload — whose attack chain follows the kill
/// chain and whose graph links the attacker to the site, the user and the account. A third-party finding about the
/// same attacker, pushed through the ingest API, stays an alert and says why.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class EventsJourneyTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const string AttackerIp = "203.0.113.66";
    private const string EventTitle = $"6 alerts from {AttackerIp}: SQL injection against a site protected by the Alibaba Cloud WAF";
    private const string FindingTitle = "Critical finding reported by a third-party security product";

    protected override IReadOnlyDictionary<string, string?> AppSettings { get; } = new Dictionary<string, string?>(TestUsers.BootstrapAdministrator)
    {
        ["Sandbox:GenerateTraffic"] = "false",
        ["Sandbox:ScenarioEvery"] = "00:00:00",
    };

    [Fact]
    public Task KillChain_BecomesOneExplainedEvent_AndAThirdPartyFindingStaysAnAlert() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);

        // The sandbox's Alibaba Cloud account with its WAF logs (names follow from the account) and its ActionTrail trail.
        await Page.GetByTestId("nav-accounts").ClickAsync();
        var accounts = new CloudAccountsPage(Page);
        await accounts.ExpectShownAsync();
        await Page.GetByTestId("connect-sandbox").ClickAsync();
        await Expect(accounts.AccountRows).ToHaveCountAsync(3);
        await accounts.AddSourceButtonOf(1).ClickAsync();
        var add = new AddLogSourcePage(Page);
        await Expect(add.Heading).ToBeVisibleAsync();
        await Page.GetByTestId("save-source").ClickAsync();
        await Expect(Page.GetByTestId("source-status")).ToHaveTextAsync("Active");

        await Page.GotoAsync(AddLogSourcePage.Path + "?account=1");
        await Expect(add.Heading).ToBeVisibleAsync();
        await add.ChooseProductAsync("ActionTrail audit events");
        await add.Project.FillAsync("actiontrail-project-5000000000000001-cn-hangzhou");
        await add.LogStore.FillAsync("actiontrail_sandbox-trail");
        await Page.GetByTestId("save-source").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/log-sources/2$"));
        await Expect(Page.GetByTestId("source-status")).ToHaveTextAsync("Active");

        // A pushed source for an EDR's findings.
        await Page.GetByTestId("nav-log-sources").ClickAsync();
        var sources = new LogSourcesPage(Page);
        await sources.ExpectShownAsync();
        var key = await sources.AddPushedSourceAsync("EDR findings");
        await sources.KeyDone.ClickAsync();

        // The predefined rules of the three products.
        var rules = new RulesPage(Page);
        foreach (var (product, probe) in new[] { ("AlibabaWaf", "alibaba-waf-sqli"), ("AlibabaActionTrail", "alibaba-actiontrail-logging-stopped"), ("ThirdPartyOcsf", "third-party-finding-critical") })
        {
            await Page.GotoAsync("/rules?product=" + product);
            await Expect(rules.StateOf(probe)).ToHaveTextAsync("Disabled");
            await rules.EnableShown.ClickAsync();
            await Expect(rules.StateOf(probe)).ToHaveTextAsync("Live");
        }

        // The Security Event Handling page is open when the attack happens.
        await Page.GetByTestId("nav-events").ClickAsync();
        var events = new EventsPage(Page);
        await events.ExpectShownAsync();
        await Expect(events.Empty).ToBeVisibleAsync();
        await Page.EvaluateAsync("window.__sameDocument = 1");
        await GenerateAsync("alibaba-waf", 40, "killchain");
        await GenerateAsync("alibaba-actiontrail", 10, "killchain");
        await PushFindingAsync(key);

        await Expect(events.Rows).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(events.Rows.GetByTestId("event-alerts")).ToHaveTextAsync("6", new() { Timeout = 60_000 });
        await Expect(events.Rows.GetByTestId("event-title")).ToHaveTextAsync(EventTitle);
        await Expect(events.Rows.GetByTestId("event-level")).ToHaveTextAsync("Serious");
        await Expect(events.Rows.GetByTestId("event-score")).ToHaveTextAsync("84");
        Assert.Equal(1, await Page.EvaluateAsync<int>("window.__sameDocument"));

        // The event: its chain in kill-chain order, each step with its reason, and the entity graph.
        await events.Rows.First.ClickAsync();
        await Expect(Page.GetByTestId("event-detail-title")).ToHaveTextAsync(EventTitle);
        await Expect(events.ChainTactics).ToHaveTextAsync(["Reconnaissance", "Reconnaissance", "Initial Access", "Persistence", "Persistence", "Defense Evasion"]);
        await Expect(events.ChainTitles).ToHaveTextAsync(
        [
            "Vulnerability scanner or attack tool seen by the Alibaba Cloud WAF",
            "Directory scanning: many distinct missing paths from one IP (Alibaba Cloud WAF)",
            "SQL injection against a site protected by the Alibaba Cloud WAF",
            "Web shell upload or use on a site protected by the Alibaba Cloud WAF",
            "Access key created from an external IP (Alibaba Cloud ActionTrail)",
            "ActionTrail logging stopped",
        ]);
        await Expect(events.ChainReasons.Filter(new() { HasTextString = $"shares the IP {AttackerIp} with the event, within 30 min of its last activity" })).ToHaveCountAsync(5);
        await Expect(events.ChainReasons.Filter(new() { HasTextString = "opened the event" })).ToHaveCountAsync(1);
        foreach (var node in new[] { AttackerIp, "shop.example.com", "deploy-bot", "5000000000000001" })
        {
            await Expect(events.GraphNode(node)).ToHaveCountAsync(1);
        }

        // The finding about the same attacker is an alert of its own, in no event, and its page says why.
        await Page.GetByTestId("nav-alerts").ClickAsync();
        var alerts = new AlertsPage(Page);
        await alerts.ExpectShownAsync();
        await Expect(alerts.RowsOf(FindingTitle)).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await alerts.RowsOf(FindingTitle).ClickAsync();
        await Expect(Page.GetByTestId("alert-no-event")).ToHaveTextAsync("Alerts from Third-party product logs do not form security events and are not handled automatically: only Alibaba Cloud, Huawei Cloud and Tencent Cloud logs do.");
        await Expect(alerts.Entity("ip")).ToHaveTextAsync(AttackerIp);
        await Page.GetByTestId("nav-events").ClickAsync();
        await events.ExpectShownAsync();
        await Expect(events.Rows).ToHaveCountAsync(1);

        // The overview counts it: one serious event, unhandled.
        await Page.GetByTestId("nav-overview").ClickAsync();
        await Expect(Page.GetByTestId("event-count-serious-unhandled")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("event-counts-all")).ToHaveTextAsync("All events (1)");

        Assert.True(BrowserConsole.Errors.Count == 0, string.Join(Environment.NewLine, BrowserConsole.Errors));
    });

    private async Task PushFindingAsync(string key)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var finding = "[{\"class_uid\":2004,\"activity_id\":1,\"time\":" + time + ",\"severity_id\":5,\"message\":\"Web shell on web-01\","
            + "\"metadata\":{\"uid\":\"edr-1\",\"product\":{\"name\":\"EDR\"}},\"finding_info\":{\"uid\":\"edr-1\",\"title\":\"Web shell\"},"
            + "\"src_endpoint\":{\"ip\":\"" + AttackerIp + "\"},\"dst_endpoint\":{\"hostname\":\"web-01\"}}]";
        using var http = new HttpClient { BaseAddress = App.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/ingest/3") { Content = new StringContent(finding, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }
}
