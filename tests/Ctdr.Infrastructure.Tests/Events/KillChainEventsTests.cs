using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Detection;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Events;

/// <summary>
/// The sandbox's multi-stage attack through the whole pipeline on real components: pulled from the sandbox's SLS,
/// evaluated by the predefined rules, correlated into events. One attacker IP, one event, its chain in kill-chain
/// order with the reason of every step; a third-party finding about the same IP stays an alert.
/// </summary>
public sealed class KillChainEventsTests
{
    private const string AttackerIp = "203.0.113.66";

    private sealed record Setup(TestHost Host, TestSandbox Sandbox, long WafSource, long TrailSource, long PushSource, string PushKey) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var host = await TestHost.StartAsync(now: new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        host.CurrentUser.User = TestCurrentUser.Admin();
        var sandbox = await TestSandbox.StartAsync(host.Clock);
        using var scope = host.Services.CreateScope();
        var (_, accountId) = await scope.ServiceProvider.GetRequiredService<CloudAccountAdministration>().OnboardAsync(sandbox.AlibabaForm());
        var sources = scope.ServiceProvider.GetRequiredService<LogSourceAdministration>();
        var region = SandboxAccounts.AlibabaRegion;
        var (_, waf, _) = await sources.AddAsync(new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "Sandbox WAF", LogBinding.AlibabaWafPayAsYouGo(SandboxAccounts.AliUid, region), 5));
        var (_, trail, _) = await sources.AddAsync(new LogSourceForm(accountId.Value, LogProduct.AlibabaActionTrail, "Sandbox trail", new LogBinding(region, $"actiontrail-project-{SandboxAccounts.AliUid}-{region}", "actiontrail_sandbox-trail"), 5));
        var (_, push, key) = await sources.CreatePushSourceAsync("EDR findings", null);
        var rules = scope.ServiceProvider.GetRequiredService<RuleAdministration>();
        foreach (var product in new[] { LogProduct.AlibabaWaf, LogProduct.AlibabaActionTrail, LogProduct.ThirdPartyOcsf })
        {
            await rules.EnablePredefinedAsync(product);
        }

        return new Setup(host, sandbox, waf!.Value, trail!.Value, push!.Value, key!);
    }

    private static async Task<int> PullAllAsync(Setup setup, long sourceId)
    {
        var stored = 0;
        for (var i = 0; i < 20; i++)
        {
            var report = await setup.Host.Get<LogIngestion>().PullAsync(sourceId, CancellationToken.None);
            stored += report.Stored;
            if (report.Received == 0)
            {
                break;
            }
        }

        return stored;
    }

    private static async Task DetectAndCorrelateAsync(Setup setup)
    {
        await setup.Host.Get<Detector>().RunOnceAsync(CancellationToken.None);

        // Windowed rules release their windows once the lateness bound has passed with nothing new.
        setup.Host.Clock.Advance(TimeSpan.FromSeconds(11));
        await setup.Host.Get<Detector>().RunOnceAsync(CancellationToken.None);
        await setup.Host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
    }

    [Fact]
    public async Task KillChain_BecomesOneEvent_WithItsStagesInKillChainOrder_AndTheReasonOfEachStep()
    {
        await using var setup = await StartAsync();
        await setup.Sandbox.GenerateAsync("alibaba-waf", 40, "killchain");
        await setup.Sandbox.GenerateAsync("alibaba-actiontrail", 10, "killchain");
        Assert.Equal(40, await PullAllAsync(setup, setup.WafSource));
        Assert.Equal(10, await PullAllAsync(setup, setup.TrailSource));

        await DetectAndCorrelateAsync(setup);
        var rerun = await setup.Host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);

        using var scope = setup.Host.Services.CreateScope();
        var events = scope.ServiceProvider.GetRequiredService<EventQueries>();
        var list = await events.ListAsync(new EventFilter(), new PageRequest(0, 10));
        var row = Assert.Single(list.Items);
        var ev = (await events.GetAsync(row.Id))!;
        Assert.Equal(0, rerun.AlertsRead);
        Assert.Equal(
            [
                // Within a tactic, by time: the scanner's user agent shows on its first request, the scan once 10 paths were probed.
                ("alibaba-waf-scanner-user-agent", "Reconnaissance"),
                ("alibaba-waf-directory-scan", "Reconnaissance"),
                ("alibaba-waf-sqli", "Initial Access"),
                ("alibaba-waf-webshell", "Persistence"),
                ("alibaba-actiontrail-access-key-created-external-ip", "Persistence"),
                ("alibaba-actiontrail-logging-stopped", "Defense Evasion"),
            ],
            await RuleKeysAsync(setup, ev.Chain));
        Assert.Equal("opened the event (no open event shared an entity with it within the window)", ev.Chain.Single(s => s.Reason.StartsWith("opened", StringComparison.Ordinal)).Reason);
        Assert.All(ev.Chain.Where(s => !s.Reason.StartsWith("opened", StringComparison.Ordinal)), s => Assert.Equal($"shares the IP {AttackerIp} with the event, within 30 min of its last activity", s.Reason));
        Assert.Equal((ThreatLevel.Serious, 84, SecurityEventStatus.Unhandled, 6), (row.ThreatLevel, row.ThreatScore, row.Status, row.AlertCount));
        Assert.Equal($"6 alerts from {AttackerIp}: SQL injection against a site protected by the Alibaba Cloud WAF", row.Title);
        Assert.Equal("AlibabaCloud", row.Providers);
        Assert.Equal(SandboxAccounts.AliUid, row.Accounts);
        Assert.Contains(new EventEntity(EntityKind.Ip, AttackerIp, 6), ev.Entities);
        Assert.Contains(new EventEntity(EntityKind.User, "deploy-bot", 2), ev.Entities);
        // Evidence: the first three logs of each alert, in chain order, each from the attacker.
        Assert.Equal(ev.Chain.Select(s => s.AlertId), ev.Evidence.Select(e => e.AlertId).Distinct());
        Assert.All(ev.Evidence, e => Assert.Equal(AttackerIp, e.Log.Log!.SrcIp));
        Assert.All(ev.Evidence.GroupBy(e => e.AlertId), g => Assert.InRange(g.Count(), 1, 3));
    }

    [Fact]
    public async Task ThirdPartyFinding_RaisesAnAlert_ButNoEvent_EvenAboutTheAttackerOfAnOpenEvent()
    {
        await using var setup = await StartAsync();
        await setup.Sandbox.GenerateAsync("alibaba-waf", 40, "killchain");
        await PullAllAsync(setup, setup.WafSource);
        var time = setup.Host.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var finding = $$$"""{"class_uid":2004,"activity_id":1,"time":{{{time}}},"severity_id":5,"message":"Web shell on web-01","metadata":{"uid":"edr-1","product":{"name":"EDR"}},"finding_info":{"uid":"edr-1","title":"Web shell"},"src_endpoint":{"ip":"{{{AttackerIp}}}"},"dst_endpoint":{"hostname":"web-01"}}""";
        var bytes = Encoding.UTF8.GetBytes(finding);
        var (refusal, report) = await setup.Host.Get<LogIngestion>().PushAsync(setup.PushSource, setup.PushKey, [new RawRecord(bytes, null)], bytes.Length, CancellationToken.None);
        Assert.Equal((PushRefusal.None, 1, 0), (refusal, report!.Accepted, report.Rejected));

        await DetectAndCorrelateAsync(setup);

        await using var db = await setup.Host.DbAsync();
        var pushed = await db.Alerts.SingleAsync(a => a.Provider == CloudProvider.Other);
        Assert.Equal(("third-party-finding-critical", AttackerIp), (pushed.RuleKey, pushed.Ip));
        Assert.False(await db.EventMemberships.AnyAsync(m => m.AlertId == pushed.Id));
        var ev = await db.SecurityEvents.SingleAsync();
        Assert.Equal("AlibabaCloud", ev.Providers);
        Assert.Equal(await db.Alerts.CountAsync(a => a.Provider == CloudProvider.AlibabaCloud), ev.AlertCount);

        // The alert page says why the finding is in no event, and where the WAF alerts went.
        using var scope = setup.Host.Services.CreateScope();
        var alerts = scope.ServiceProvider.GetRequiredService<Application.Alerts.AlertQueries>();
        var pushedDetails = await alerts.GetAsync(pushed.Id);
        var sqli = await alerts.GetAsync(await db.Alerts.Where(a => a.RuleKey == "alibaba-waf-sqli").Select(a => a.Id).SingleAsync());
        Assert.Equal((null, "Alerts from Third-party product logs do not form security events and are not handled automatically: only Alibaba Cloud, Huawei Cloud and Tencent Cloud logs do."), (pushedDetails!.EventId, pushedDetails.NoEventReason));
        Assert.Equal((ev.Id, null), (sqli!.EventId, sqli.NoEventReason));
    }

    private static async Task<IReadOnlyList<(string, string)>> RuleKeysAsync(Setup setup, IReadOnlyList<ChainStep> chain)
    {
        await using var db = await setup.Host.DbAsync();
        var ids = chain.Select(s => s.AlertId).ToList();
        var keys = await db.Alerts.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.RuleKey);
        return [.. chain.Select(s => (keys[s.AlertId], s.TacticName ?? "none"))];
    }
}
