using Bunit;
using Bunit.TestDoubles;
using Ctdr.Web.Components.Pages.Logs;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>Log search over records stored through the real log store: conditions, the address, and attacker-controlled text.</summary>
public sealed class LogSearchPageTests : CtdrComponentContext
{
    private const string ScriptQuery = "q=<script>window.__xss=1</script>";
    private const string ImagePath = "/<img src=x onerror=alert(1)>";

    [Fact]
    public async Task Conditions_ShowTheParsersMessagePerLine_AndSearchNothing_WhenLinesAreWrong()
    {
        var page = Render<LogSearchPage>();
        page.WaitForElement("[data-testid=log-empty]", HangGuard.Timeout);

        await page.Find("[data-testid=log-conditions]").InputAsync(new ChangeEventArgs
        {
            Value = "src_endpoint.ip = 203.0.113.7\nsrc_endpoint.address = 203.0.113.7\n\nhttp_response.code contains 40\nhttp_request.url.path ~ /admin",
        });

        Assert.Equal(
            [
                "Line 2: unknown field 'src_endpoint.address'.",
                "Line 4: 'http_response.code' is a number; use =, !=, > or <.",
                "Line 5: the operator must be one of =, !=, contains, startswith, >, <.",
            ],
            page.FindAll("[data-testid=log-condition-error]").Select(e => e.TextContent));

        await page.Find("[data-testid=log-search]").ClickAsync(new MouseEventArgs());

        Assert.Equal("http://localhost/", Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Equal(3, page.FindAll("[data-testid=log-condition-error]").Count);
    }

    [Fact]
    public async Task Results_ShowMarkupAsText_WhenStoredRecordsCarryAttackPayloads()
    {
        var source = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        var time = Services.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(-1);
        await StoredLogs.AppendAsync(Services, source, [StoredLogs.HttpRecord("x1", time, "/search", ScriptQuery), StoredLogs.HttpRecord("x2", time.AddSeconds(-1), ImagePath)], 400);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();

        var page = Render<LogSearchPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=log-path]").Count), HangGuard.Timeout);
        Assert.Equal(["/search?" + ScriptQuery, ImagePath], page.FindAll("[data-testid=log-path]").Select(p => p.TextContent));
        Assert.Empty(page.FindAll("[data-testid=log-grid] script, [data-testid=log-grid] img"));
        Assert.Contains("&lt;script&gt;window.__xss=1&lt;/script&gt;", page.Markup, StringComparison.Ordinal);

        await page.FindAll("[data-testid=log-grid] tbody tr")[0].ClickAsync(new MouseEventArgs());

        dialogs.WaitForElement("[data-testid=log-record-raw]", HangGuard.Timeout);
        var fields = dialogs.FindAll("[data-testid=log-record-field]").ToDictionary(r => r.Children[0].TextContent, r => r.Children[1].TextContent);
        Assert.Equal(ScriptQuery, fields["http_request.url.query_string"]);
        Assert.Equal("203.0.113.7", fields["src_endpoint.ip"]);
        Assert.Equal("x1", fields["metadata.uid"]);
        var raw = dialogs.Find("[data-testid=log-record-raw]");
        Assert.Equal("pre", raw.TagName, ignoreCase: true);
        Assert.Equal($"{{\n  \"uid\": \"x1\",\n  \"path\": \"/search\",\n  \"query\": \"{ScriptQuery}\",\n  \"status\": 403\n}}", raw.TextContent);
        Assert.Empty(raw.Children);
        Assert.Empty(dialogs.FindAll("[data-testid=log-record-dialog] script, [data-testid=log-record-dialog] img"));
    }

    [Fact]
    public async Task Search_WritesTheSearchIntoTheAddress_WhenTheFormIsValid()
    {
        var page = Render<LogSearchPage>();
        page.WaitForElement("[data-testid=log-empty]", HangGuard.Timeout);
        await page.Find("[data-testid=log-text]").ChangeAsync(new ChangeEventArgs { Value = "admin" });
        await page.Find("[data-testid=log-conditions]").InputAsync(new ChangeEventArgs { Value = "http_response.code = 403\nsrc_endpoint.ip = 203.0.113.7" });

        await page.Find("[data-testid=log-search]").ClickAsync(new MouseEventArgs());

        Assert.Equal(
            "http://localhost/logs?q=admin&where=http_response.code%20%3D%20403%0Asrc_endpoint.ip%20%3D%20203.0.113.7",
            Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task Page_RunsTheSearchOfALink_WhenOpenedAtItsAddress()
    {
        var source = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        var time = Services.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(-5);
        await StoredLogs.AppendAsync(
            Services,
            source,
            [StoredLogs.HttpRecord("a", time, "/login", srcIp: "198.51.100.9"), StoredLogs.HttpRecord("b", time, "/admin"), StoredLogs.HttpRecord("c", time.AddHours(-2), "/admin")],
            300);
        Services.GetRequiredService<BunitNavigationManager>().NavigateTo("/logs?range=24h&q=admin");

        var page = Render<LogSearchPage>();

        page.WaitForAssertion(() => Assert.Equal(["/admin", "/admin"], page.FindAll("[data-testid=log-path]").Select(p => p.TextContent)), HangGuard.Timeout);
        Assert.Equal("admin", page.Find("[data-testid=log-text]").GetAttribute("value"));
    }
}
