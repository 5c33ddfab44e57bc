using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

/// <summary>Log search in the browser, over records written by the real log store. Attackers write URLs: they are shown as text.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class LogSearchTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const string ScriptQuery = "q=<script>window.__xss=1</script>";
    private const string ImagePath = "/<img src=x onerror=window.__xss=2>";

    protected override IReadOnlyDictionary<string, string?> AppSettings => TestUsers.BootstrapAdministrator;

    [Fact]
    public Task LogSearch_ShowsAttackPayloadsAsText_InTheResultsAndTheRecord() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        await Page.GetByTestId("nav-log-sources").ClickAsync();
        var sources = new LogSourcesPage(Page);
        await sources.ExpectShownAsync();
        await sources.AddPushedSourceAsync("Edge WAF");
        await sources.KeyDone.ClickAsync();
        await Expect(sources.SourceRows).ToHaveCountAsync(1);
        var now = App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await AppendAsync(1, now, [Record("x1", now.AddMinutes(-1), "/search", ScriptQuery), Record("x2", now.AddMinutes(-2), ImagePath, null)]);

        await Page.GetByTestId("nav-logs").ClickAsync();
        var search = new LogSearchPage(Page);
        await search.ExpectShownAsync();

        await Expect(search.Paths).ToHaveTextAsync(["/search?" + ScriptQuery, ImagePath]);
        await Expect(search.Grid.Locator("img, script")).ToHaveCountAsync(0);

        await search.Paths.First.ClickAsync();
        await Expect(search.RecordDialog).ToBeVisibleAsync();
        await Expect(search.RecordRaw).ToContainTextAsync($"\"query\": \"{ScriptQuery}\"");
        await Expect(search.RecordFields.Filter(new() { HasText = "http_request.url.query_string" }).Locator("td").Nth(1)).ToHaveTextAsync(ScriptQuery);
        await Expect(search.RecordDialog.Locator("img, script")).ToHaveCountAsync(0);
        Assert.True(await Page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));

        // Rendered as markup, the tags would also have tripped the content security policy.
        Assert.True(BrowserConsole.Errors.Count == 0, string.Join(Environment.NewLine, BrowserConsole.Errors));
    });

    [Fact]
    public Task LogSearch_ShowsTheConditionMistakesPerLine_AndKeepsAValidSearchInTheAddress() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        await Page.GetByTestId("nav-logs").ClickAsync();
        var search = new LogSearchPage(Page);
        await search.ExpectShownAsync();
        await Expect(search.Empty).ToHaveTextAsync("No record matches.");

        await search.Conditions.FillAsync("src_endpoint.ip = 203.0.113.7\nsrc_endpoint.address = 1.2.3.4");

        await Expect(search.ConditionErrors).ToHaveTextAsync(["Line 2: unknown field 'src_endpoint.address'."]);

        await search.Conditions.FillAsync("src_endpoint.ip = 203.0.113.7");
        await Expect(search.ConditionErrors).ToHaveCountAsync(0);
        await search.SearchButton.ClickAsync();

        // A regular expression: as a string, Playwright would read the address as a pattern.
        await Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(new Uri(App.BaseUrl, LogSearchPage.Path + "?where=src_endpoint.ip%20%3D%20203.0.113.7").AbsoluteUri) + "$"));
        await Page.ReloadAsync();
        await search.ExpectShownAsync();
        await Expect(search.Conditions).ToHaveValueAsync("src_endpoint.ip = 203.0.113.7");
    });

    private async Task AppendAsync(long sourceId, DateTimeOffset receivedAt, IReadOnlyList<SecurityLog> logs)
    {
        var batch = new LogBatch(sourceId, null, null, [.. logs.Select(l => l with { SourceId = sourceId })], [], 600, receivedAt);
        var result = await App.Services.GetRequiredService<ILogStore>().AppendAsync(batch, CancellationToken.None);
        Assert.Equal(new AppendResult(true, logs.Count, 0, 0), result);
    }

    private static SecurityLog Record(string uid, DateTimeOffset time, string path, string? query) => new()
    {
        Uid = uid,
        Time = time,
        ClassUid = OcsfClass.HttpActivity,
        ActivityId = OcsfActivity.HttpGet,
        DispositionId = OcsfDisposition.Blocked,
        Provider = CloudProvider.Other,
        Product = LogProduct.ThirdPartyOcsf,
        SrcIp = "203.0.113.7",
        HttpMethod = "GET",
        UrlHostname = "shop.example.com",
        UrlPath = path,
        UrlQuery = query,
        HttpStatus = 403,
        Raw = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { uid, path, query, status = 403 })),
    };
}
