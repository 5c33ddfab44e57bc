using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Tests.Events;

/// <summary>The correlation run on real SQLite: alerts into events with their reasons, provider gating, idempotent runs.</summary>
public sealed class EventCorrelationTests
{
    private static async Task<long> RaiseAsync(TestHost host, string ruleKey, string fingerprint, CloudProvider provider, DateTimeOffset time, params AlertEntity[] entities)
    {
        await using var db = await host.DbAsync();
        var rule = await db.DetectionRules.SingleAsync(r => r.Key == ruleKey);
        var evidence = new EvidenceRef(1, 1, fingerprint, time);
        var product = provider == CloudProvider.Other ? LogProduct.ThirdPartyOcsf : LogProduct.AlibabaWaf;
        var alert = Alert.Raise(new AlertDraft(fingerprint, rule.Id, rule.Key, RuleMode.Live, provider, "5000000000000001", product, 1, time, time, [evidence], [.. entities], evidence, null), rule, time);
        db.Alerts.Add(alert);
        await db.SaveChangesAsync();
        return alert.Id;
    }

    [Fact]
    public async Task Run_GroupsAlertsSharingTheAttackerIp_AndKeepsThirdPartyAlertsOut()
    {
        await using var host = await TestHost.StartAsync();
        var t = host.Clock.GetUtcNow();
        var ip = new AlertEntity(EntityKind.Ip, "203.0.113.66");
        var scan = await RaiseAsync(host, "alibaba-waf-directory-scan", "a", CloudProvider.AlibabaCloud, t, ip, new AlertEntity(EntityKind.Asset, "shop.example.com"));
        var sqli = await RaiseAsync(host, "alibaba-waf-sqli", "b", CloudProvider.AlibabaCloud, t.AddMinutes(1), ip, new AlertEntity(EntityKind.Asset, "shop.example.com"));
        var other = await RaiseAsync(host, "alibaba-waf-xss", "c", CloudProvider.AlibabaCloud, t.AddMinutes(2), new AlertEntity(EntityKind.Ip, "198.51.100.77"));
        var pushed = await RaiseAsync(host, "third-party-finding-critical", "d", CloudProvider.Other, t.AddMinutes(3), ip);
        var correlation = host.Get<EventCorrelation>();

        var run = await correlation.RunOnceAsync(CancellationToken.None);
        var again = await correlation.RunOnceAsync(CancellationToken.None);

        Assert.Equal((4, 2, 1, 1), (run.AlertsRead, run.EventsOpened, run.AlertsJoined, run.Skipped));
        Assert.Equal(0, again.AlertsRead);
        await using var db = await host.DbAsync();
        var memberships = await db.EventMemberships.OrderBy(m => m.AlertId).ToListAsync();
        Assert.Equal([scan, sqli, other], memberships.Select(m => m.AlertId));
        Assert.Equal(memberships[0].EventId, memberships[1].EventId);
        Assert.NotEqual(memberships[0].EventId, memberships[2].EventId);
        Assert.DoesNotContain(memberships, m => m.AlertId == pushed);
        Assert.Equal("opened the event (no open event shared an entity with it within the window)", memberships[0].Explain());
        Assert.Equal("shares the IP 203.0.113.66 with the event, within 30 min of its last activity", memberships[1].Explain());
        var chain = await db.SecurityEvents.SingleAsync(e => e.Id == memberships[0].EventId);
        Assert.Equal((2, SecurityEventStatus.Unhandled, ThreatLevel.Serious), (chain.AlertCount, chain.Status, chain.ThreatLevel));
        Assert.Equal("2 alerts from 203.0.113.66: SQL injection against a site protected by the Alibaba Cloud WAF", chain.Title);
        Assert.Equal(ThreatScore.Compute([.. (await db.Alerts.Where(a => a.Id == scan || a.Id == sqli).ToListAsync()).Select(a => new ScoredAlert(a.RuleKey, a.Severity, a.Tactic, a.Asset))]), chain.ThreatScore);
        Assert.Equal(4, (await db.CorrelationStates.SingleAsync()).Checkpoint);
    }

    /// <summary>Fails the next commits that place alerts into events, as a crash or a lost database connection in the middle of a run would.</summary>
    private sealed class MembershipFaults : SaveChangesInterceptor
    {
        public int FailNext { get; set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (FailNext > 0 && eventData.Context!.ChangeTracker.Entries<EventMembership>().Any(e => e.State == EntityState.Added))
            {
                FailNext--;
                throw new DbUpdateException("Injected commit failure.");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<(long AlertId, long EventId)>> PlacementsAsync(TestHost host)
    {
        await using var db = await host.DbAsync();
        var rows = await db.EventMemberships.OrderBy(m => m.AlertId).Select(m => new { m.AlertId, m.EventId }).ToListAsync();
        return [.. rows.Select(r => (r.AlertId, r.EventId))];
    }

    [Fact]
    public async Task Run_PlacesEveryAlertOnce_WhenTheJobFailsMidCommitAndIsRetried()
    {
        var faults = new MembershipFaults();
        await using var host = await TestHost.StartAsync(configure: services => services.AddSingleton<IInterceptor>(faults));
        var t = host.Clock.GetUtcNow();
        var ip = new AlertEntity(EntityKind.Ip, "203.0.113.7");
        var a = await RaiseAsync(host, "alibaba-waf-sqli", "a", CloudProvider.AlibabaCloud, t, ip);
        var b = await RaiseAsync(host, "alibaba-waf-xss", "b", CloudProvider.AlibabaCloud, t.AddMinutes(1), ip);
        var correlation = host.Get<EventCorrelation>();
        faults.FailNext = 2;

        await Assert.ThrowsAsync<DbUpdateException>(() => correlation.RunOnceAsync(CancellationToken.None));
        await Assert.ThrowsAsync<DbUpdateException>(() => correlation.RunOnceAsync(CancellationToken.None));
        var afterFailures = await PlacementsAsync(host);
        var retried = await correlation.RunOnceAsync(CancellationToken.None);
        var again = await correlation.RunOnceAsync(CancellationToken.None);

        Assert.Empty(afterFailures);
        Assert.Equal((2, 1, 1), (retried.AlertsRead, retried.EventsOpened, retried.AlertsJoined));
        Assert.Equal(0, again.AlertsRead);
        await using var db = await host.DbAsync();
        var ev = await db.SecurityEvents.SingleAsync();
        Assert.Equal([(a, ev.Id), (b, ev.Id)], await PlacementsAsync(host));
        Assert.Equal(2, ev.AlertCount);
    }

    [Fact]
    public async Task Runs_PlaceEveryAlertOnce_WhenTwoNodesCorrelateAtTheSameTime()
    {
        await using var host = await TestHost.StartAsync();
        var t = host.Clock.GetUtcNow();
        for (var i = 0; i < 40; i++)
        {
            var ip = new AlertEntity(EntityKind.Ip, "203.0.113." + Application.Common.Invariant.Text(i % 4));
            await RaiseAsync(host, "alibaba-waf-sqli", "f" + Application.Common.Invariant.Text(i), CloudProvider.AlibabaCloud, t.AddSeconds(i), ip);
        }

        // Two nodes: two correlators over the same database, each with its own in-process gate.
        var contexts = host.Get<IDbContextFactory<Ctdr.Infrastructure.Persistence.CtdrDbContext>>();
        var settings = host.Get<IOptions<EventSettings>>();
        using var nodeA = new EventCorrelation(contexts, host.Get<Application.Live.ILiveFeed>(), settings, host.Clock);
        using var nodeB = new EventCorrelation(contexts, host.Get<Application.Live.ILiveFeed>(), settings, host.Clock);

        var runs = await Task.WhenAll(RunRepeatedlyAsync(nodeA), RunRepeatedlyAsync(nodeB));

        var placements = await PlacementsAsync(host);
        Assert.Equal(40, placements.Count);
        Assert.Equal(40, placements.Select(p => p.AlertId).Distinct().Count());
        await using var db = await host.DbAsync();
        Assert.Equal([10, 10, 10, 10], await db.SecurityEvents.OrderBy(e => e.Id).Select(e => e.AlertCount).ToListAsync());
        Assert.Equal(4, runs.Sum(r => r));

        static async Task<int> RunRepeatedlyAsync(EventCorrelation node)
        {
            var opened = 0;
            for (var i = 0; i < 5; i++)
            {
                try
                {
                    opened += (await node.RunOnceAsync(CancellationToken.None)).EventsOpened;
                }
                catch (DbUpdateException)
                {
                    // SQLite refuses a second writer while the first holds the lock; the next run goes on.
                }
            }

            return opened;
        }
    }

    [Fact]
    public async Task Run_StartsANewEvent_WhenTheConfiguredCapIsReached()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Events:MaxAlertsPerEvent"] = "3", ["Events:WindowMinutes"] = "5" });
        var t = host.Clock.GetUtcNow();
        var ip = new AlertEntity(EntityKind.Ip, "203.0.113.7");
        for (var i = 0; i < 5; i++)
        {
            await RaiseAsync(host, "alibaba-waf-sqli", "f" + Application.Common.Invariant.Text(i), CloudProvider.AlibabaCloud, t.AddMinutes(i), ip);
        }

        // Six minutes after the last alert: outside the configured window of five.
        var late = await RaiseAsync(host, "alibaba-waf-sqli", "late", CloudProvider.AlibabaCloud, t.AddMinutes(10), ip);

        await host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);

        await using var db = await host.DbAsync();
        Assert.Equal([3, 2, 1], await db.SecurityEvents.OrderBy(e => e.Id).Select(e => e.AlertCount).ToListAsync());
        Assert.True(await db.EventMemberships.AnyAsync(m => m.AlertId == late && m.OpenedEvent));
        Assert.Equal(TimeSpan.FromMinutes(5), (await db.EventMemberships.FirstAsync(m => !m.OpenedEvent)).Window);
    }

    [Fact]
    public async Task Run_OpensANewEvent_WhenTheSharedEventIsNoLongerOpen()
    {
        await using var host = await TestHost.StartAsync();
        var t = host.Clock.GetUtcNow();
        var ip = new AlertEntity(EntityKind.Ip, "203.0.113.7");
        await RaiseAsync(host, "alibaba-waf-sqli", "a", CloudProvider.AlibabaCloud, t, ip);
        var correlation = host.Get<EventCorrelation>();
        await correlation.RunOnceAsync(CancellationToken.None);
        await using (var db = await host.DbAsync())
        {
            var ev = await db.SecurityEvents.SingleAsync();
            Assert.True(ev.ChangeStatus(SecurityEventStatus.FalsePositive, "our own scanner", "ana", t).Succeeded);
            await db.SaveChangesAsync();
        }

        await RaiseAsync(host, "alibaba-waf-xss", "b", CloudProvider.AlibabaCloud, t.AddMinutes(1), ip);
        var run = await correlation.RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 0), (run.EventsOpened, run.AlertsJoined));
        await using var check = await host.DbAsync();
        Assert.Equal(2, await check.SecurityEvents.CountAsync());
    }

    [Fact]
    public async Task Queries_ListFilterAndExplainTheEvent_AndStatusChangesAreAudited()
    {
        await using var host = await TestHost.StartAsync();
        host.CurrentUser.User = TestCurrentUser.Admin();
        var t = host.Clock.GetUtcNow();
        var ip = new AlertEntity(EntityKind.Ip, "203.0.113.66");
        await RaiseAsync(host, "alibaba-waf-sqli", "a", CloudProvider.AlibabaCloud, t.AddMinutes(1), ip);
        await RaiseAsync(host, "alibaba-waf-directory-scan", "b", CloudProvider.AlibabaCloud, t, ip);
        await RaiseAsync(host, "alibaba-waf-xss", "c", CloudProvider.AlibabaCloud, t.AddMinutes(2), new AlertEntity(EntityKind.Ip, "198.51.100.77"));
        await host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        using var scope = host.Services.CreateScope();
        var events = scope.ServiceProvider.GetRequiredService<EventQueries>();

        var all = await events.ListAsync(new EventFilter(SortByScore: true), new Application.Common.PageRequest(0, 50));
        var byEntity = await events.ListAsync(new EventFilter(Entity: "203.0.113.66"), new Application.Common.PageRequest(0, 50));
        var chain = await events.GetAsync(byEntity.Items.Single().Id);
        var refused = await events.ChangeStatusAsync(chain!.Row.Id, SecurityEventStatus.Ignored, null);
        var changed = await events.ChangeStatusAsync(chain.Row.Id, SecurityEventStatus.Handling, null);
        var unhandled = await events.ListAsync(new EventFilter(Status: SecurityEventStatus.Unhandled), new Application.Common.PageRequest(0, 50));

        Assert.Equal(2, all.TotalCount);
        Assert.True(all.Items[0].ThreatScore >= all.Items[1].ThreatScore);
        Assert.Equal(2, byEntity.Items.Single().AlertCount);
        // The chain follows the kill chain: reconnaissance (the scan) before initial access (the injection).
        Assert.Equal(["Reconnaissance", "Initial Access"], chain.Chain.Select(s => s.TacticName));
        Assert.Equal("opened the event (no open event shared an entity with it within the window)", chain.Chain[1].Reason);
        Assert.Equal(["Say why the event becomes ignored."], refused.AllMessages());
        Assert.True(changed.Succeeded);
        Assert.Equal(["2 alerts from 203.0.113.66: SQL injection against a site protected by the Alibaba Cloud WAF"], all.Items.Where(e => e.AlertCount == 2).Select(e => e.Title));
        Assert.DoesNotContain(unhandled.Items, e => e.Id == chain.Row.Id);
        await using var db = await host.DbAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == Application.Audit.AuditAction.SecurityEventStatusChanged);
        Assert.Equal("Unhandled → Handling", entry.Details);
    }

    [Fact]
    public async Task MergeAndSplit_MoveAlertsBetweenEvents_KeepingWhereTheyCameFrom()
    {
        await using var host = await TestHost.StartAsync();
        host.CurrentUser.User = TestCurrentUser.Admin();
        var t = host.Clock.GetUtcNow();
        var first = await RaiseAsync(host, "alibaba-waf-sqli", "a", CloudProvider.AlibabaCloud, t, new AlertEntity(EntityKind.Ip, "203.0.113.66"));
        var second = await RaiseAsync(host, "alibaba-waf-xss", "b", CloudProvider.AlibabaCloud, t.AddMinutes(1), new AlertEntity(EntityKind.Ip, "198.51.100.77"));
        var third = await RaiseAsync(host, "alibaba-waf-webshell", "c", CloudProvider.AlibabaCloud, t.AddMinutes(2), new AlertEntity(EntityKind.Ip, "198.51.100.77"));
        await host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        using var scope = host.Services.CreateScope();
        var events = scope.ServiceProvider.GetRequiredService<EventQueries>();
        async Task<long> EventOfAsync(long alertId)
        {
            await using var db = await host.DbAsync();
            return await db.EventMemberships.Where(m => m.AlertId == alertId).Select(m => m.EventId).SingleAsync();
        }

        var (a, b) = (await EventOfAsync(first), await EventOfAsync(second));
        var sourceTitle = (await events.GetAsync(b))!.Row.Title;
        var merged = await events.MergeAsync(a, b);
        var again = await events.MergeAsync(a, b);
        var afterMerge = await events.GetAsync(a);
        var list = await events.ListAsync(new EventFilter(), new Application.Common.PageRequest(0, 50));
        var (split, newId) = await events.SplitAsync(a, [third]);
        var afterSplit = await events.GetAsync(a);
        var splitOff = await events.GetAsync(newId!.Value);
        var (all, _) = await events.SplitAsync(a, [first, second]);

        Assert.True(merged.Succeeded);
        Assert.Equal([$"Event #{b} was already merged into #{a}."], again.AllMessages());
        Assert.Equal(3, afterMerge!.Row.AlertCount);
        Assert.Equal($"came with event #{b}, merged into this one by admin@example.com", afterMerge.Chain.Single(s => s.AlertId == second).Reason);
        Assert.Equal([a], list.Items.Select(e => e.Id));
        Assert.True(split.Succeeded);
        Assert.Equal(2, afterSplit!.Row.AlertCount);
        Assert.Equal([third], splitOff!.Chain.Select(s => s.AlertId));
        Assert.Equal($"split out of event #{a} by admin@example.com", splitOff.Chain[0].Reason);
        Assert.Equal(["Ip: 198.51.100.77"], splitOff.Keys);
        Assert.Equal(["Leave at least one alert in the event."], all.AllMessages());
        // Both sides of a merge and of a split keep the change in their own history.
        Assert.Equal(
            [
                (Application.Audit.AuditAction.SecurityEventsMerged, $"#{b} {sourceTitle} (2 alerts) merged in"),
                (Application.Audit.AuditAction.SecurityEventSplit, $"1 alert moved to #{newId}"),
            ],
            afterSplit.History.Select(h => (h.Action, h.Details)));
        Assert.Equal([(Application.Audit.AuditAction.SecurityEventSplit, $"1 alert split out of #{a}")], splitOff.History.Select(h => (h.Action, h.Details)));
        var source = await events.GetAsync(b);
        Assert.Equal(a, source!.MergedIntoId);
        Assert.Equal([Application.Audit.AuditAction.SecurityEventsMerged], source.History.Select(h => h.Action));
        Assert.StartsWith($"merged into #{a} ", source.History[0].Details, StringComparison.Ordinal);
    }
}
