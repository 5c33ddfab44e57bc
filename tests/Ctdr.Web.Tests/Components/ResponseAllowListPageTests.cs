using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Response.AllowList;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Response;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>The Response allow-list page over the real database: entries and automatic items as text, add with messages, remove with confirmation.</summary>
public sealed class ResponseAllowListPageTests : CtdrComponentContext
{
    private const string Markup = "<img src=x onerror=alert(1)>";

    private async Task<long> AddAsync(string value, string reason)
    {
        var (result, id) = await Services.GetRequiredService<ResponseAllowList>().AddAsync(new ResponseAllowListForm(value, reason));
        Assert.True(result.Succeeded, result.Message);
        return id!.Value;
    }

    private static string[] Rows(IRenderedComponent<ResponseAllowListPage> page) =>
        [.. page.FindAll("[data-testid=allow-table] tbody tr").Select(row => string.Join(" | ", row.QuerySelectorAll("td").Take(5).Select(c => c.TextContent.Trim())))];

    private static string? ErrorOf(IRenderedComponent<ResponseAllowListPage> page, string testId) =>
        page.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();

    [Fact]
    public async Task Page_ListsEntriesThenAutomaticItems_WithValuesAndReasonsAsText()
    {
        await AddAsync("203.0.113.9", Markup);
        await AddAsync("*.Shop.Example.com", "storefronts");

        var page = Render<ResponseAllowListPage>();

        page.WaitForAssertion(() => Assert.Equal(2 + ReservedRanges.All.Count, Rows(page).Length), HangGuard.Timeout);
        var rows = Rows(page);
        Assert.Equal("Domain | *.shop.example.com | storefronts | manual | 0", rows[0]);
        Assert.Equal($"IP | 203.0.113.9 | {Markup} | manual | 0", rows[1]);
        Assert.Equal("CIDR | 0.0.0.0/8 | \"This network\" (RFC 1122) | private range | 0", rows[2]);
        Assert.Equal("CIDR | ff00::/8 | Multicast (RFC 4291) | private range | 0", rows[^1]);
        Assert.Empty(page.FindAll("[data-testid=allow-table] img"));
        Assert.Equal(2, page.FindAll("[data-testid^=allow-remove-]").Count);
    }

    [Fact]
    public async Task Add_ShowsTheMessageUnderTheField_WhenTheNetworkIsTooBroad()
    {
        var page = Render<ResponseAllowListPage>();
        page.WaitForElement("[data-testid=allow-value]", HangGuard.Timeout);

        await page.Find("[data-testid=allow-value]").ChangeAsync(new ChangeEventArgs { Value = "0.0.0.0/0" });
        await page.Find("[data-testid=allow-reason]").ChangeAsync(new ChangeEventArgs { Value = "everyone" });
        await page.Find("[data-testid=allow-add]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(
            () => Assert.Equal("0.0.0.0/0 is too broad: an IPv4 entry may cover at most a /8, or most of the internet would become unblockable. Add narrower networks.", ErrorOf(page, "allow-value")),
            HangGuard.Timeout);
        Assert.Equal(ReservedRanges.All.Count, Rows(page).Length);
    }

    [Fact]
    public async Task Add_ListsTheNormalisedEntry_WhenTheFormIsValid()
    {
        var page = Render<ResponseAllowListPage>();
        page.WaitForElement("[data-testid=allow-value]", HangGuard.Timeout);

        await page.Find("[data-testid=allow-value]").ChangeAsync(new ChangeEventArgs { Value = "2001:DB8:0::7" });
        await page.Find("[data-testid=allow-reason]").ChangeAsync(new ChangeEventArgs { Value = "office v6" });
        await page.Find("[data-testid=allow-add]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal("IP | 2001:db8::7 | office v6 | manual | 0", Rows(page)[0]), HangGuard.Timeout);
        Assert.Equal(["never"], page.FindAll("[data-testid=allow-ends]").Take(1).Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public async Task Remove_AsksThenRemovesAndAudits_WhenConfirmed()
    {
        var id = await AddAsync("198.51.100.0/24", "partner");
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ResponseAllowListPage>();
        page.WaitForElement($"[data-testid=allow-remove-{id}]", HangGuard.Timeout);

        var click = page.Find($"[data-testid=allow-remove-{id}]").ClickAsync(new MouseEventArgs());
        dialogs.WaitForElement(".mud-message-box", HangGuard.Timeout);
        Assert.Equal("Blocks of 198.51.100.0/24 will no longer be refused. Reason given: partner", dialogs.Find(".mud-message-box .mud-dialog-content").TextContent.Trim());
        await dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Remove").ClickAsync(new MouseEventArgs());
        await click.WaitAsync(HangGuard.Timeout);

        page.WaitForAssertion(() => Assert.Equal(ReservedRanges.All.Count, Rows(page).Length), HangGuard.Timeout);
        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.ResponseAllowList.CountAsync());
        Assert.Equal(
            [AuditAction.ResponseAllowListEntryAdded, AuditAction.ResponseAllowListEntryRemoved],
            await db.AuditEntries.Where(a => a.TargetName == "198.51.100.0/24").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Page_ShowsWhatEachItemPrevented_WhenTheGuardRecordedRefusals()
    {
        await AddAsync("203.0.113.9", "office");
        var allowList = Services.GetRequiredService<ResponseAllowList>();
        var matcher = await allowList.CurrentAsync();
        await allowList.RecordPreventedAsync(matcher.Match("203.0.113.0/24")!);
        await allowList.RecordPreventedAsync(matcher.Match("203.0.113.9")!);
        await allowList.RecordPreventedAsync(matcher.Match("192.168.1.1")!);

        var page = Render<ResponseAllowListPage>();

        page.WaitForAssertion(() => Assert.Equal(1 + ReservedRanges.All.Count, Rows(page).Length), HangGuard.Timeout);
        Assert.Equal("IP | 203.0.113.9 | office | manual | 2", Rows(page)[0]);
        Assert.Equal(["CIDR | 192.168.0.0/16 | Private network (RFC 1918) | private range | 1"], Rows(page).Where(r => r.EndsWith(" | 1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Page_OffersNoFormAndNoRemoval_WhenTheUserIsAViewer()
    {
        await AddAsync("203.0.113.9", "office");
        await SignInAsAsync(Roles.Viewer);

        var page = Render<ResponseAllowListPage>();

        page.WaitForAssertion(() => Assert.Equal(1 + ReservedRanges.All.Count, Rows(page).Length), HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=allow-form]"));
        Assert.Empty(page.FindAll("[data-testid^=allow-remove-]"));
    }
}
