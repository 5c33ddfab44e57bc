using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Events;
using Ctdr.Web.Components.Pages.Home;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Components;

/// <summary>
/// The event page and the overview's event counts over the real use cases and database, on a fixed clock: triage
/// from the page (comments, tags) lands in the event's history; comments and entity values are text.
/// </summary>
public sealed class EventPageTests : CtdrComponentContext
{
    private const string Attacker = "203.0.113.66";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    public EventPageTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
    }

    private async Task<long> RaiseAndCorrelateAsync(string ruleKey, string fingerprint, params AlertEntity[] entities)
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync())
        {
            var time = _clock.GetUtcNow();
            var rule = await db.DetectionRules.SingleAsync(r => r.Key == ruleKey);
            var evidence = new EvidenceRef(1, 1, "uid-" + fingerprint, time);
            db.Alerts.Add(Alert.Raise(new AlertDraft(fingerprint, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, "5000000000000001", LogProduct.AlibabaWaf, 1, time, time, [evidence], [.. entities], evidence, null), rule, time));
            await db.SaveChangesAsync();
        }

        await Services.GetRequiredService<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        await using var check = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        return await check.SecurityEvents.OrderByDescending(e => e.Id).Select(e => e.Id).FirstAsync();
    }

    [Fact]
    public async Task Comment_AppearsAsText_AndInTheHistory_WhenAnAnalystAddsIt()
    {
        var id = await RaiseAndCorrelateAsync("alibaba-waf-sqli", "a", new AlertEntity(EntityKind.Ip, Attacker));
        var page = Render<EventPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=event-chain-step]")), HangGuard.Timeout);

        await page.Find("[data-testid=event-comment-input]").ChangeAsync(new ChangeEventArgs { Value = "Blocked <b>now</b>" });
        await page.Find("[data-testid=event-comment-add]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["Blocked <b>now</b>"], page.FindAll("[data-testid=event-comment-text]").Select(e => e.TextContent)), HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=event-comment-text] b"));
        Assert.Equal([AdminEmail], page.FindAll("[data-testid=event-comment-author]").Select(e => e.TextContent));
        Assert.Equal(["commented"], page.FindAll("[data-testid=event-history-action]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task Tags_ShowAsChipsLinkingToTheFilteredList_WhenSaved_AndBadTagsAreNamed()
    {
        var id = await RaiseAndCorrelateAsync("alibaba-waf-sqli", "a", new AlertEntity(EntityKind.Ip, Attacker));
        var page = Render<EventPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => page.Find("[data-testid=event-tags]"), HangGuard.Timeout);

        await page.Find("[data-testid=event-tags]").ChangeAsync(new ChangeEventArgs { Value = "VIP, blocked bad/tag" });
        await page.Find("[data-testid=event-save-tags]").ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => Assert.Equal(["Tags are 1–32 letters, digits or . _ : - (not: bad/tag)."], page.FindAll("[data-testid=event-status-error]").Select(e => e.TextContent)), HangGuard.Timeout);

        await page.Find("[data-testid=event-tags]").ChangeAsync(new ChangeEventArgs { Value = "VIP, blocked" });
        await page.Find("[data-testid=event-save-tags]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["blocked", "vip"], page.FindAll("[data-testid=event-detail-tag]").Select(e => e.TextContent.Trim())), HangGuard.Timeout);
        Assert.Equal(["/events?tag=blocked", "/events?tag=vip"], page.FindAll("[data-testid=event-detail-tag]").Select(e => e.GetAttribute("href") ?? e.QuerySelector("a")?.GetAttribute("href")));
        Assert.Empty(page.FindAll("[data-testid=event-status-error]"));
    }

    [Fact]
    public async Task Entities_LinkToTheirInvestigation_WithValuesAsText()
    {
        var id = await RaiseAndCorrelateAsync("alibaba-waf-sqli", "a", new AlertEntity(EntityKind.Ip, Attacker), new AlertEntity(EntityKind.User, "<i>a/b c</i>"));

        var page = Render<EventPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=event-entity-link]").Count), HangGuard.Timeout);
        Assert.Equal(
            [
                ("203.0.113.66", "/entities/ip?value=203.0.113.66"),
                ("5000000000000001", "/entities/account?value=5000000000000001"),
                ("<i>a/b c</i>", "/entities/user?value=%3Ci%3Ea%2Fb%20c%3C%2Fi%3E"),
            ],
            page.FindAll("[data-testid=event-entity-link]").Select(e => (e.TextContent, e.GetAttribute("href")!)));
        Assert.Empty(page.FindAll("[data-testid=event-entities] i"));

        // The graph draws the same entities: the IP links to the user, the user to the account.
        page.WaitForAssertion(() => Assert.Equal(["203.0.113.66", "<i>a/b c</i>", "5000000000000001"], page.FindAll("[data-testid=entity-graph-node-value]").Select(e => e.TextContent)), HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=entity-graph] i"));
    }

    [Fact]
    public async Task Viewer_SeesTheEvent_WithoutTheTriageControls()
    {
        var id = await RaiseAndCorrelateAsync("alibaba-waf-sqli", "a", new AlertEntity(EntityKind.Ip, Attacker));
        await SignInAsAsync(Roles.Viewer);

        var page = Render<EventPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=event-chain-step]")), HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=event-triage]"));
        Assert.Empty(page.FindAll("[data-testid=event-comment-input]"));
    }

    [Fact]
    public async Task Counts_ShowEventsByLevelAndStatus_AndUpdateOnALiveMessage()
    {
        await RaiseAndCorrelateAsync("alibaba-waf-sqli", "a", new AlertEntity(EntityKind.Ip, Attacker));
        var card = Render<EventCountsCard>();
        card.WaitForAssertion(() => Assert.Equal("1", card.Find("[data-testid=event-count-serious-unhandled]").TextContent.Trim()), HangGuard.Timeout);
        Assert.Equal("/events?level=Serious&status=Unhandled", card.Find("[data-testid=event-count-serious-unhandled] a").GetAttribute("href"));
        Assert.Equal(("1", "0"), (card.Find("[data-testid=event-count-serious]").TextContent, card.Find("[data-testid=event-count-suspicious]").TextContent));

        // Past the throttle's interval, so the correlator's message about the new event reloads the counts at once.
        _clock.Advance(EventCountsCard.ReloadInterval);
        await RaiseAndCorrelateAsync("alibaba-waf-xss", "b", new AlertEntity(EntityKind.Ip, "198.51.100.77"));

        card.WaitForAssertion(() => Assert.Equal("All events (2)", card.Find("[data-testid=event-counts-all]").TextContent), HangGuard.Timeout);
        Assert.Equal("1", card.Find("[data-testid=event-count-suspicious-unhandled]").TextContent.Trim());
    }
}
