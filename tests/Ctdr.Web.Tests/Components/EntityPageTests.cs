using Bunit;
using Bunit.TestDoubles;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Live;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Alerts;
using Ctdr.Web.Components.Pages.Investigation;
using Ctdr.Web.Components.Pages.Logs;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Components;

/// <summary>
/// The entity investigation page over the real use case and database, on a fixed clock: its lists, the pivot into
/// log search, messages for wrong addresses, live updates, and entity values shown as text.
/// </summary>
public sealed class EntityPageTests : CtdrComponentContext
{
    private const string Attacker = "203.0.113.66";
    private const string Script = "<script>x</script>";

    /// <summary>08:00:30 UTC: the log window ends at 08:01:00 and starts 31 days before.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 30, TimeSpan.Zero));

    public EntityPageTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    private async Task<long> RaiseAsync(string fingerprint, DateTimeOffset time, params AlertEntity[] entities)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        var rule = await db.DetectionRules.SingleAsync(r => r.Key == "alibaba-waf-sqli");
        var evidence = new EvidenceRef(1, 1, "uid-" + fingerprint, time);
        var draft = new AlertDraft(fingerprint, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, "5000000000000001", LogProduct.AlibabaWaf, 3, time, time, [evidence], [.. entities], evidence, null);
        var alert = Alert.Raise(draft, rule, time);
        db.Alerts.Add(alert);
        await db.SaveChangesAsync();
        return alert.Id;
    }

    private async Task<long> EventOfAsync(long alertId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        return await db.EventMemberships.Where(m => m.AlertId == alertId).Select(m => m.EventId).SingleAsync();
    }

    private async Task<IReadOnlyDictionary<string, long>> LogIdsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        return await db.SecurityLogs.ToDictionaryAsync(l => l.Uid, l => l.Id);
    }

    private IRenderedComponent<EntityPage> RenderAt(string address)
    {
        Services.GetRequiredService<BunitNavigationManager>().NavigateTo(address);
        var kind = address.Split('?')[0]["/entities/".Length..];
        return Render<EntityPage>(p => p.Add(x => x.Kind, kind));
    }

    [Fact]
    public async Task Page_ListsTheIpsEventsAlertsAndLogs_AndItsPivotShowsTheSameLogsInLogSearch()
    {
        var source = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        await StoredLogs.AppendAsync(
            Services,
            source,
            [
                StoredLogs.HttpRecord("a1", Now.AddMinutes(-20), "/admin", srcIp: Attacker),
                StoredLogs.HttpRecord("a2", Now.AddMinutes(-5), "/login", "user=admin", srcIp: Attacker),
                StoredLogs.HttpRecord("other", Now.AddMinutes(-4), "/", srcIp: "198.51.100.9"),
            ],
            300);
        var alert = await RaiseAsync("f1", Now.AddMinutes(-10), new AlertEntity(EntityKind.Ip, Attacker));
        await Services.GetRequiredService<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        var eventId = await EventOfAsync(alert);
        var logs = await LogIdsAsync();

        var page = RenderAt("/entities/ip?value=203.0.113.66");

        page.WaitForElement("[data-testid=entity-title]", HangGuard.Timeout);
        Assert.Equal(Attacker, page.Find("[data-testid=entity-title]").TextContent);
        Assert.Equal("2026-11-28 07:40:30 UTC", page.Find("[data-testid=entity-first-seen]").TextContent);
        Assert.Equal("2026-11-28 07:55:30 UTC", page.Find("[data-testid=entity-last-seen]").TextContent);
        Assert.Equal([$"/events/{eventId}"], page.FindAll("[data-testid=entity-event] a").Select(a => a.GetAttribute("href")));
        Assert.Equal([$"/alerts/{alert}"], page.FindAll("[data-testid=entity-alert] a").Select(a => a.GetAttribute("href")));
        Assert.Equal(
            ["203.0.113.66 GET shop.example.com /login?user=admin 403 Blocked", "203.0.113.66 GET shop.example.com /admin 403 Blocked"],
            page.FindAll("[data-testid=entity-log-summary]").Select(s => s.TextContent));
        Assert.Equal([$"entity-log-open-{logs["a2"]}", $"entity-log-open-{logs["a1"]}"], page.FindAll("[data-testid^=entity-log-open-]").Select(b => b.GetAttribute("data-testid")));
        Assert.Empty(page.FindAll("[data-testid=entity-nothing]"));
        var pivot = page.Find("[data-testid=entity-pivot]").GetAttribute("href");
        Assert.Equal("/logs?from=2026-10-28T08%3A01%3A00Z&to=2026-11-28T08%3A01%3A00Z&where=src_endpoint.ip%20%3D%20203.0.113.66", pivot);

        Services.GetRequiredService<BunitNavigationManager>().NavigateTo(pivot!);
        var search = Render<LogSearchPage>();

        search.WaitForAssertion(() => Assert.Equal(2, search.FindAll("[data-testid^=log-open-]").Count), HangGuard.Timeout);
        Assert.Equal([$"log-open-{logs["a2"]}", $"log-open-{logs["a1"]}"], search.FindAll("[data-testid^=log-open-]").Select(b => b.GetAttribute("data-testid")));
    }

    [Fact]
    public async Task EntityValue_RendersAsText_WhenItCarriesMarkup()
    {
        var source = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        await StoredLogs.AppendAsync(Services, source, [StoredLogs.HttpRecord("s1", Now.AddMinutes(-3), "/", srcIp: Attacker) with { ActorUserName = Script }], 100);
        await RaiseAsync("f1", Now.AddMinutes(-2), new AlertEntity(EntityKind.User, Script));

        var page = RenderAt("/entities/user?value=" + Uri.EscapeDataString(Script));

        page.WaitForElement("[data-testid=entity-title]", HangGuard.Timeout);
        Assert.Equal(Script, page.Find("[data-testid=entity-title]").TextContent);
        Assert.Single(page.FindAll("[data-testid=entity-alert]"));
        Assert.Equal(["203.0.113.66 GET shop.example.com / 403 " + Script + " Blocked"], page.FindAll("[data-testid=entity-log-summary]").Select(s => s.TextContent));
        Assert.Empty(page.FindAll("script"));
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", page.Markup, StringComparison.Ordinal);
        Assert.Equal(
            "/logs?from=2026-10-28T08%3A01%3A00Z&to=2026-11-28T08%3A01%3A00Z&where=actor.user.name%20%3D%20%3Cscript%3Ex%3C%2Fscript%3E",
            page.Find("[data-testid=entity-pivot]").GetAttribute("href"));
    }

    [Fact]
    public void Page_SaysTheKindIsUnknown_WhenTheAddressNamesNoKind()
    {
        var page = RenderAt("/entities/domain?value=shop.example.com");

        Assert.Contains("There is no kind of entity called “domain”.", page.Find("[data-testid=entity-unknown-kind]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=entity-title]"));
    }

    [Fact]
    public void Page_AsksForTheValue_WhenTheAddressHasNone()
    {
        var page = RenderAt("/entities/access-key?value=%20%20");

        Assert.Contains("Say which access key to investigate", page.Find("[data-testid=entity-missing-value]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=entity-title]"));
    }

    [Fact]
    public void Page_SaysNothingWasSeen_WhenTheEntityAppearsNowhere()
    {
        var page = RenderAt("/entities/asset?value=nowhere.example.com");

        page.WaitForElement("[data-testid=entity-nothing]", HangGuard.Timeout);
        Assert.Equal("nowhere.example.com", page.Find("[data-testid=entity-title]").TextContent);
        Assert.Equal(("—", "—"), (page.Find("[data-testid=entity-first-seen]").TextContent, page.Find("[data-testid=entity-last-seen]").TextContent));
        Assert.Equal(("0", "0", "0"), (page.Find("[data-testid=entity-event-count]").TextContent, page.Find("[data-testid=entity-alert-count]").TextContent, page.Find("[data-testid=entity-log-count]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=entity-alert]"));
    }

    [Fact]
    public async Task NewAlert_AppearsWithoutReload_WhenTheLiveFeedAnnouncesIt()
    {
        await RaiseAsync("f1", Now.AddMinutes(-10), new AlertEntity(EntityKind.Ip, Attacker));
        var page = RenderAt("/entities/ip?value=203.0.113.66");
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=entity-alert]")), HangGuard.Timeout);
        var id = await RaiseAsync("f2", Now.AddMinutes(-1), new AlertEntity(EntityKind.Ip, Attacker));

        // Past the throttle's interval, so the message reloads at once.
        _clock.Advance(EntityPage.ReloadInterval);
        await Services.GetRequiredService<ILiveFeed>().PublishAsync(new LiveMessage(LiveKinds.Alert, "Alert: SQL injection", Permission.ViewConsole, Now, Invariant.Text(id)));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=entity-alert]").Count), HangGuard.Timeout);
        Assert.Equal($"/alerts/{id}", page.FindAll("[data-testid=entity-alert] a")[0].GetAttribute("href"));
        Assert.Equal("2", page.Find("[data-testid=entity-alert-count]").TextContent);
    }

    [Fact]
    public async Task AlertPage_LinksEachEntityToItsInvestigation_WhenTheAlertNamesEntities()
    {
        var id = await RaiseAsync("f1", Now.AddMinutes(-1), new AlertEntity(EntityKind.Ip, Attacker), new AlertEntity(EntityKind.Asset, "shop.example.com"), new AlertEntity(EntityKind.AccessKey, "LTAI5t&key"));

        var page = Render<AlertPage>(p => p.Add(x => x.Id, id));

        page.WaitForElement("[data-testid=alert-entities]", HangGuard.Timeout);
        Assert.Equal(
            ["/entities/ip?value=203.0.113.66", "/entities/asset?value=shop.example.com", "/entities/access-key?value=LTAI5t%26key"],
            page.FindAll("[data-testid^=alert-entity-investigate-]").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task AlertsPage_LinksTheAttackerIpToItsInvestigation_WhenAnAlertNamesOne()
    {
        await RaiseAsync("f1", Now.AddMinutes(-1), new AlertEntity(EntityKind.Ip, Attacker));
        await RaiseAsync("f2", Now.AddMinutes(-2), new AlertEntity(EntityKind.User, "alice"));

        var page = Render<AlertsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=alert-count]").Count), HangGuard.Timeout);
        Assert.Equal(["/entities/ip?value=203.0.113.66"], page.FindAll("[data-testid=alert-ip-investigate]").Select(a => a.GetAttribute("href")));
    }
}
