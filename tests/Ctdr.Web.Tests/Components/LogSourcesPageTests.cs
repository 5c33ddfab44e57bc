using System.Text;
using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Live;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Pages.LogSources;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>The log source list and a source's page, over the real use cases, log store and live feed.</summary>
public sealed class LogSourcesPageTests : CtdrComponentContext
{
    [Fact]
    public async Task List_ShowsTheNewStatistics_WhenAnIngestionMessageArrives()
    {
        var id = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        var page = Render<LogSourcesPage>();
        page.WaitForAssertion(() => Assert.Equal("0", page.Find($"[data-testid=source-stored-{id}]").TextContent), HangGuard.Timeout);
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await StoredLogs.AppendAsync(Services, id, [StoredLogs.HttpRecord("a", now, "/"), StoredLogs.HttpRecord("b", now, "/admin")], 300);

        await Services.GetRequiredService<ILiveFeed>().PublishAsync(
            new LiveMessage(LiveKinds.Ingestion, "Edge WAF: 2 new records, 0 quarantined", Permission.ViewConsole, Services.GetRequiredService<TimeProvider>().GetUtcNow(), Invariant.Text(id)));

        page.WaitForAssertion(() => Assert.Equal("2", page.Find($"[data-testid=source-stored-{id}]").TextContent), HangGuard.Timeout);
        Assert.Equal("Active", page.Find($"[data-testid=source-status-{id}]").TextContent.Trim());
        Assert.Equal("pushed over HTTP", page.Find($"[data-testid=source-binding-{id}]").TextContent);
    }

    [Fact]
    public async Task List_OffersNoChanges_WhenAViewerOpensIt()
    {
        var id = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        await SignInAsAsync(Roles.Viewer);

        var page = Render<LogSourcesPage>();

        page.WaitForElement($"[data-testid=source-link-{id}]", HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=add-log-source]"));
        Assert.Empty(page.FindAll("[data-testid=add-pushed-source]"));
        Assert.Empty(page.FindAll($"[data-testid=source-delete-{id}]"));
        Assert.Empty(page.FindAll($"[data-testid=source-pause-{id}]"));
    }

    [Fact]
    public async Task List_PausesAndResumesASource_WhenTheAdministratorAsks()
    {
        var id = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        var page = Render<LogSourcesPage>();
        page.WaitForElement($"[data-testid=source-pause-{id}]", HangGuard.Timeout);

        await page.Find($"[data-testid=source-pause-{id}]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal("Paused", page.Find($"[data-testid=source-status-{id}]").TextContent.Trim()), HangGuard.Timeout);
        Assert.Equal(LogSourceStatus.Paused, (await Services.GetRequiredService<LogSourceAdministration>().GetAsync(id))!.Status);

        await page.Find($"[data-testid=source-resume-{id}]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal("Active", page.Find($"[data-testid=source-status-{id}]").TextContent.Trim()), HangGuard.Timeout);
    }

    [Fact]
    public async Task AddPushedSource_ShowsTheKeyOnceAndStoresOnlyItsHash_WhenCreated()
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<LogSourcesPage>();
        page.WaitForElement("[data-testid=sources-empty]", HangGuard.Timeout);

        var adding = page.Find("[data-testid=add-pushed-source]").ClickAsync(new MouseEventArgs());
        dialogs.WaitForElement("[data-testid=pushed-source-name]", HangGuard.Timeout);
        await dialogs.Find("[data-testid=pushed-source-name]").InputAsync(new ChangeEventArgs { Value = "Edge firewall alerts" });
        await dialogs.Find("[data-testid=pushed-source-create]").ClickAsync(new MouseEventArgs());
        dialogs.WaitForElement("[data-testid=push-key]", HangGuard.Timeout);

        var key = dialogs.Find("[data-testid=push-key]").GetAttribute("value")!;
        Assert.StartsWith(PushKeys.Prefix, key, StringComparison.Ordinal);
        var source = Assert.Single(await Services.GetRequiredService<LogSourceAdministration>().ListAsync());
        Assert.Equal(("Edge firewall alerts", key[..PushKeys.VisiblePrefixLength]), (source.Name, source.PushKeyPrefix));
        await using (var db = await Services.GetRequiredService<ICtdrDbFactory>().CreateAsync())
        {
            Assert.Equal(PushKeys.Hash(key), await db.LogSources.Where(s => s.Id == source.Id).Select(s => s.PushKeyHash).SingleAsync());
        }

        Assert.Contains($"POST http://localhost/api/ingest/{source.Id}", dialogs.Markup, StringComparison.Ordinal);
        await dialogs.Find("[data-testid=push-key-done]").ClickAsync(new MouseEventArgs());
        await adding.WaitAsync(HangGuard.Timeout);

        page.WaitForElement($"[data-testid=source-link-{source.Id}]", HangGuard.Timeout);
        Assert.DoesNotContain(key, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(key, dialogs.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateKey_IssuesANewKeyShownOnceAndRetiresTheOldOne_WhenConfirmed()
    {
        var (created, id, oldKey) = await Services.GetRequiredService<LogSourceAdministration>().CreatePushSourceAsync("Edge WAF", null);
        Assert.True(created.Succeeded);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<LogSourcePage>(p => p.Add(x => x.Id, id!.Value));
        page.WaitForElement($"[data-testid=source-rotate-key-{id}]", HangGuard.Timeout);

        var rotating = page.Find($"[data-testid=source-rotate-key-{id}]").ClickAsync(new MouseEventArgs());
        dialogs.WaitForElement(".mud-message-box", HangGuard.Timeout);
        await dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Rotate").ClickAsync(new MouseEventArgs());
        dialogs.WaitForElement("[data-testid=push-key]", HangGuard.Timeout);

        var newKey = dialogs.Find("[data-testid=push-key]").GetAttribute("value")!;
        Assert.NotEqual(oldKey, newKey);
        await using (var db = await Services.GetRequiredService<ICtdrDbFactory>().CreateAsync())
        {
            var hash = await db.LogSources.Where(s => s.Id == id).Select(s => s.PushKeyHash).SingleAsync();
            Assert.True(PushKeys.Matches(newKey, hash));
            Assert.False(PushKeys.Matches(oldKey, hash));
        }

        await dialogs.Find("[data-testid=push-key-done]").ClickAsync(new MouseEventArgs());
        await rotating.WaitAsync(HangGuard.Timeout);
        page.WaitForAssertion(() => Assert.Equal(newKey[..PushKeys.VisiblePrefixLength] + "…", page.Find("[data-testid=status-push-key]").TextContent.Trim()), HangGuard.Timeout);
        Assert.DoesNotContain(newKey, page.Markup + dialogs.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourcePage_ShowsTheStatusAndQuarantinedRecordsAsText_WhenARecordHoldsMarkup()
    {
        const string Raw = """{"msg":"<script>window.__xss=1</script><img src=x onerror=alert(1)>"}""";
        var id = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var batch = new LogBatch(id, null, null, [StoredLogs.HttpRecord("a", now, "/") with { SourceId = id }], [new QuarantineItem("missing field 'time'", Encoding.UTF8.GetBytes(Raw), null)], 512, now);
        await Services.GetRequiredService<ILogStore>().AppendAsync(batch, CancellationToken.None);

        var page = Render<LogSourcePage>(p => p.Add(x => x.Id, id));

        page.WaitForElement("[data-testid=quarantine-record]", HangGuard.Timeout);
        Assert.Equal("Edge WAF", page.Find("[data-testid=source-name]").TextContent);
        Assert.Equal(
            ("1", "1", "512 B", "pushed over HTTP"),
            (Text(page, "status-stored-today"), Text(page, "status-quarantined-today"), Text(page, "status-bytes-today"), Text(page, "status-interval")));
        Assert.Equal("missing field 'time'", page.Find("[data-testid=quarantine-reason]").TextContent);
        page.Find("[data-testid=quarantine-record] .mud-expand-panel-header").Click();
        var raw = page.WaitForElement("[data-testid=quarantine-raw]", HangGuard.Timeout);
        Assert.Equal("pre", raw.TagName, ignoreCase: true);
        Assert.Equal(Raw, raw.TextContent);
        Assert.Empty(raw.Children);
        Assert.Empty(page.FindAll("[data-testid=source-quarantine] script, [data-testid=source-quarantine] img"));
    }

    [Fact]
    public void SourcePage_SaysTheSourceDoesNotExist_WhenItWasDeleted()
    {
        var page = Render<LogSourcePage>(p => p.Add(x => x.Id, 4242));

        page.WaitForElement("[data-testid=source-missing]", HangGuard.Timeout);
    }

    private static string Text(IRenderedComponent<LogSourcePage> page, string testId) => page.Find($"[data-testid={testId}]").TextContent.Trim();
}
