using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Events;

/// <summary>Triage of an event on real SQLite: assignee, tags, comments, counts — each change audited in the event's history.</summary>
public sealed class EventTriageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(TestHost Host, long EventId)> StartAsync()
    {
        var host = await TestHost.StartAsync(now: Now);
        await host.CreateUserAsync("ana@example.com", Roles.Analyst);
        await host.CreateUserAsync("bo@example.com", Roles.Admin);
        await host.CreateUserAsync("vera@example.com", Roles.Viewer);
        var disabled = await host.CreateUserAsync("dan@example.com", Roles.Analyst);
        await host.Get<IUserDirectory>().SetDisabledAsync(disabled, true);
        host.CurrentUser.User = TestCurrentUser.Admin();
        await using (var db = await host.DbAsync())
        {
            var rule = await db.DetectionRules.SingleAsync(r => r.Key == "alibaba-waf-sqli");
            var evidence = new EvidenceRef(1, 1, "a", Now);
            db.Alerts.Add(Alert.Raise(new AlertDraft("a", rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, "5000000000000001", LogProduct.AlibabaWaf, 1, Now, Now, [evidence], [new AlertEntity(EntityKind.Ip, "203.0.113.66")], evidence, null), rule, Now));
            await db.SaveChangesAsync();
        }

        await host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        await using var check = await host.DbAsync();
        return (host, await check.SecurityEvents.Select(e => e.Id).SingleAsync());
    }

    private static EventQueries Queries(TestHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<EventQueries>();

    [Fact]
    public async Task Assignable_ListsEnabledAnalystsAndAdministrators_Sorted()
    {
        var (host, _) = await StartAsync();
        await using var _ = host;

        var names = await Queries(host).AssignableAsync();

        Assert.Equal(["ana@example.com", "bo@example.com"], names);
    }

    [Fact]
    public async Task Assign_SetsAndClearsTheAssignee_AndRefusesViewersAndDisabledUsers()
    {
        var (host, id) = await StartAsync();
        await using var _ = host;
        var events = Queries(host);

        var viewer = await events.AssignAsync(id, "vera@example.com");
        var disabled = await events.AssignAsync(id, "dan@example.com");
        var assigned = await events.AssignAsync(id, " ana@example.com ");
        var same = await events.AssignAsync(id, "ana@example.com");
        var mine = await events.ListAsync(new EventFilter(Assignee: "ana@example.com"), new PageRequest(0, 10));
        var reassigned = await events.AssignAsync(id, null);
        var details = await events.GetAsync(id);

        Assert.Equal(["vera@example.com is not an enabled Analyst or Administrator."], viewer.AllMessages());
        Assert.Equal(["dan@example.com is not an enabled Analyst or Administrator."], disabled.AllMessages());
        Assert.True(assigned.Succeeded && same.Succeeded && reassigned.Succeeded);
        Assert.Equal([(id, "ana@example.com")], mine.Items.Select(e => (e.Id, e.Assignee!)));
        Assert.Null(details!.Row.Assignee);
        // The unchanged assignment wrote nothing.
        Assert.Equal(
            [
                (AuditAction.SecurityEventAssigned, "admin@example.com", "nobody → ana@example.com"),
                (AuditAction.SecurityEventAssigned, "admin@example.com", "ana@example.com → nobody"),
            ],
            details.History.Select(h => (h.Action, h.Actor, h.Details!)));
    }

    [Fact]
    public async Task SetTags_NormalizesAndFiltersByWholeTag_AndRefusesBadTagsWithTheirNames()
    {
        var (host, id) = await StartAsync();
        await using var _ = host;
        var events = Queries(host);

        var set = await events.SetTagsAsync(id, ["VIP", " blocked ", "vip", "campaign:2026-11"]);
        var bad = await events.SetTagsAsync(id, ["ok", "no spaces?", "<b>"]);
        var tooMany = await events.SetTagsAsync(id, [.. Enumerable.Range(1, 21).Select(i => "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var byTag = await events.ListAsync(new EventFilter(Tag: "VIP"), new PageRequest(0, 10));
        var byPart = await events.ListAsync(new EventFilter(Tag: "vi"), new PageRequest(0, 10));
        var details = await events.GetAsync(id);

        Assert.True(set.Succeeded);
        Assert.Equal(["blocked", "campaign:2026-11", "vip"], details!.Tags);
        Assert.Equal(["Tags are 1–32 letters, digits or . _ : - (not: no spaces?, <b>)."], bad.AllMessages());
        Assert.Equal(["At most 20 tags per event."], tooMany.AllMessages());
        Assert.Equal([id], byTag.Items.Select(e => e.Id));
        Assert.Empty(byPart.Items);
        Assert.Equal([(AuditAction.SecurityEventTagged, "[] → [blocked, campaign:2026-11, vip]")], details.History.Select(h => (h.Action, h.Details!)));
    }

    [Fact]
    public async Task Comment_KeepsTheTextAsWritten_InOrder_AndRefusesEmptyOrLongComments()
    {
        var (host, id) = await StartAsync();
        await using var _ = host;
        var events = Queries(host);

        var empty = await events.CommentAsync(id, "   ");
        var tooLong = await events.CommentAsync(id, new string('x', 4001));
        await events.CommentAsync(id, "Blocked on the WAF <script>alert(1)</script>");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await events.CommentAsync(id, "Second\nline");
        var details = await events.GetAsync(id);

        Assert.Equal(["Write a comment first."], empty.AllMessages());
        Assert.Equal(["A comment holds at most 4000 characters (4001 given)."], tooLong.AllMessages());
        Assert.Equal(
            [("admin@example.com", Now, "Blocked on the WAF <script>alert(1)</script>"), ("admin@example.com", Now.AddMinutes(1), "Second\nline")],
            details!.Comments.Select(c => (c.Author, c.At, c.Text)));
        Assert.Equal([AuditAction.SecurityEventCommented, AuditAction.SecurityEventCommented], details.History.Select(h => h.Action));
    }

    [Fact]
    public async Task Triage_IsRefused_ForAViewer()
    {
        var (host, id) = await StartAsync();
        await using var _ = host;
        host.CurrentUser.User = new CurrentUserInfo("viewer-id", "vera@example.com", [Roles.Viewer], null);
        var events = Queries(host);

        await Assert.ThrowsAsync<AccessDeniedException>(() => events.AssignAsync(id, "ana@example.com"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => events.SetTagsAsync(id, ["x"]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => events.CommentAsync(id, "x"));
        Assert.NotNull(await events.GetAsync(id));
    }

    [Fact]
    public async Task Count_GroupsEventsByThreatLevelAndStatus_LeavingMergedEventsOut()
    {
        var (host, id) = await StartAsync();
        await using var _ = host;
        await using (var db = await host.DbAsync())
        {
            var suspicious = SecurityEvent.Open("b", Now, Now);
            suspicious.Assess("b", ThreatLevel.Suspicious, 30, Now);
            var merged = SecurityEvent.Open("c", Now, Now);
            merged.Assess("c", ThreatLevel.Suspicious, 30, Now);
            db.SecurityEvents.AddRange(suspicious, merged);
            await db.SaveChangesAsync();
            merged.MergeInto(suspicious.Id, Now);
            await db.SaveChangesAsync();
        }

        var events = Queries(host);
        await events.ChangeStatusAsync(id, SecurityEventStatus.Handling, null);

        var counts = await events.CountAsync();

        Assert.Equal(2, counts.Total);
        Assert.Equal((1, 1, 0), (counts.Of(ThreatLevel.Serious, SecurityEventStatus.Handling), counts.Of(ThreatLevel.Suspicious, SecurityEventStatus.Unhandled), counts.Of(ThreatLevel.Serious, SecurityEventStatus.Unhandled)));
        Assert.Equal((1, 1, 0), (counts.Of(ThreatLevel.Serious), counts.Of(SecurityEventStatus.Unhandled), counts.Of(ThreatLevel.Remind)));
    }
}
