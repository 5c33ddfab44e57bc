using System.Globalization;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Investigation;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Investigation;

/// <summary>
/// The entity investigation over real SQLite: stored logs, alerts, and the events correlation made of them. Each
/// kind finds exactly its own; the pivot, read back as the Log search page reads it, finds exactly the logs listed.
/// </summary>
public sealed class EntityInvestigationTests
{
    private const string Attacker = "203.0.113.66";
    private const string OtherIp = "198.51.100.77";
    private const string AuditIp = "198.51.100.201";
    private const string Shop = "shop.example.com";
    private const string Api = "api.example.com";
    private const string ServerIp = "10.0.0.5";
    private const string AccountUid = "1335759343513432";
    private const string OpsAdmin = "ops-admin";
    private const string OpsKey = "LTAI5tSandboxOpsAdmin01";

    /// <summary>08:00:30 UTC: the log window ends on the next minute, 08:01:00, and starts 31 days before.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 30, TimeSpan.Zero);

    private static async Task<long> AddSourceAsync(TestHost host, LogProduct product, string name)
    {
        await using var db = await host.DbAsync();
        var account = await db.CloudAccounts.SingleOrDefaultAsync();
        if (account is null)
        {
            account = CloudAccount.Create(CloudProvider.AlibabaCloud, AccountUid, "Shop", ["cn-hangzhou"], "ak", "protected", null, false, Now);
            db.CloudAccounts.Add(account);
            await db.SaveChangesAsync();
        }

        var source = LogSource.CreatePulled(account.Id, product, name, LogBinding.AlibabaWafPayAsYouGo(AccountUid, "cn-hangzhou"), 5, false, Now);
        db.LogSources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }

    private static SecurityLog Http(long sourceId, string uid, DateTimeOffset time, string srcIp, string host) =>
        TestLogs.Waf(sourceId, uid, time, srcIp) with { UrlHostname = host, AccountUid = AccountUid };

    private static SecurityLog Audit(long sourceId, string uid, DateTimeOffset time, string user, string key) => new()
    {
        SourceId = sourceId,
        Uid = uid,
        Time = time,
        ClassUid = OcsfClass.ApiActivity,
        Provider = CloudProvider.AlibabaCloud,
        AccountUid = AccountUid,
        Product = LogProduct.AlibabaActionTrail,
        SrcIp = AuditIp,
        ApiOperation = "CreateAccessKey",
        ApiService = "Ram",
        ActorUserName = user,
        ActorCredentialUid = key,
        Raw = "{}"u8.ToArray(),
    };

    private static SecurityLog Flow(long sourceId, string uid, DateTimeOffset time, string srcIp, string dstIp) => new()
    {
        SourceId = sourceId,
        Uid = uid,
        Time = time,
        ClassUid = OcsfClass.NetworkActivity,
        Provider = CloudProvider.AlibabaCloud,
        AccountUid = AccountUid,
        Product = LogProduct.AlibabaCloudFirewall,
        SrcIp = srcIp,
        DstIp = dstIp,
        DstPort = 22,
        DispositionId = OcsfDisposition.Blocked,
        Raw = "{}"u8.ToArray(),
    };

    private static async Task StoreAsync(TestHost host, long sourceId, params SecurityLog[] logs) =>
        Assert.True((await host.Get<ILogStore>().AppendAsync(new LogBatch(sourceId, null, null, logs, [], 0, Now), CancellationToken.None)).Committed);

    private static async Task<long> RaiseAsync(TestHost host, string ruleKey, string fingerprint, DateTimeOffset first, DateTimeOffset last, params AlertEntity[] entities)
    {
        await using var db = await host.DbAsync();
        var rule = await db.DetectionRules.SingleAsync(r => r.Key == ruleKey);
        var evidence = new EvidenceRef(1, 1, fingerprint, first);
        var alert = Alert.Raise(new AlertDraft(fingerprint, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, AccountUid, LogProduct.AlibabaWaf, 1, first, last, [evidence], [.. entities], evidence, null), rule, last);
        db.Alerts.Add(alert);
        await db.SaveChangesAsync();
        return alert.Id;
    }

    private static async Task<long> EventOfAsync(TestHost host, long alertId)
    {
        await using var db = await host.DbAsync();
        return await db.EventMemberships.Where(m => m.AlertId == alertId).Select(m => m.EventId).SingleAsync();
    }

    private static async Task<Dictionary<string, long>> LogIdsAsync(TestHost host)
    {
        await using var db = await host.DbAsync();
        return await db.SecurityLogs.ToDictionaryAsync(l => l.Uid, l => l.Id);
    }

    private static EntityInvestigation Investigation(TestHost host) =>
        host.Services.CreateScope().ServiceProvider.GetRequiredService<EntityInvestigation>();

    /// <summary>The pivot read back as the Log search page reads its address: a custom range and field conditions.</summary>
    private static LogQuery QueryOfPivot(string url)
    {
        Assert.StartsWith("/logs?", url, StringComparison.Ordinal);
        var parameters = url["/logs?".Length..].Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
        Assert.Equal(["from", "to", "where"], parameters.Keys);
        static DateTimeOffset Time(string text) =>
            DateTimeOffset.ParseExact(text, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var (conditions, errors) = LogQueryParser.Parse(parameters["where"]);
        Assert.False(errors.Any);
        return new LogQuery(Time(parameters["from"]), Time(parameters["to"]), Conditions: conditions);
    }

    private static async Task<IReadOnlyList<long>> PivotLogIdsAsync(TestHost host, string url)
    {
        var search = host.Services.CreateScope().ServiceProvider.GetRequiredService<LogSearchQuery>();
        var page = await search.SearchAsync(QueryOfPivot(url), new PageRequest(0, PageRequest.MaxPageSize));
        return [.. page.Items.Select(r => r.Id)];
    }

    /// <summary>
    /// An attacker IP in two events (its alerts are two hours apart, beyond the 30-minute window), a second IP on
    /// another site, an audit-trail identity, and a firewall flow to a server IP; logs for each, one of them older
    /// than the window.
    /// </summary>
    private sealed record Scene(
        TestHost Host,
        long SqliAlert,
        long XssAlert,
        long OtherAlert,
        long AuditAlert,
        long FlowAlert,
        IReadOnlyDictionary<string, long> Logs) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private static async Task<Scene> SeedAsync()
    {
        var host = await TestHost.StartAsync(now: Now);
        var waf = await AddSourceAsync(host, LogProduct.AlibabaWaf, "Shop WAF");
        var trail = await AddSourceAsync(host, LogProduct.AlibabaActionTrail, "ActionTrail");
        var firewall = await AddSourceAsync(host, LogProduct.AlibabaCloudFirewall, "Cloud Firewall");
        await StoreAsync(
            host,
            waf,
            Http(waf, "attacker-first", Now.AddMinutes(-190), Attacker, Shop),
            Http(waf, "attacker-sqli", Now.AddHours(-3), Attacker, Shop),
            Http(waf, "attacker-api", Now.AddMinutes(-70), Attacker, Api),
            Http(waf, "attacker-last", Now.AddMinutes(-30), Attacker, Shop),
            Http(waf, "attacker-too-old", Now.AddDays(-40), Attacker, Shop),
            Http(waf, "other", Now.AddMinutes(-50), OtherIp, Api));
        await StoreAsync(host, trail, Audit(trail, "trail-key", Now.AddMinutes(-20), OpsAdmin, OpsKey), Audit(trail, "trail-alice", Now.AddMinutes(-10), "alice", "LTAI5tSandboxAlice00001"));
        await StoreAsync(host, firewall, Flow(firewall, "flow-ssh", Now.AddMinutes(-15), OtherIp, ServerIp));

        var ip = new AlertEntity(EntityKind.Ip, Attacker);
        var shop = new AlertEntity(EntityKind.Asset, Shop);
        var sqli = await RaiseAsync(host, "alibaba-waf-sqli", "sqli", Now.AddHours(-3), Now.AddMinutes(-170), ip, shop);
        var xss = await RaiseAsync(host, "alibaba-waf-xss", "xss", Now.AddHours(-1), Now.AddMinutes(-40), ip, shop);
        var other = await RaiseAsync(host, "alibaba-waf-sqli", "other", Now.AddMinutes(-50), Now.AddMinutes(-50), new AlertEntity(EntityKind.Ip, OtherIp), new AlertEntity(EntityKind.Asset, Api));
        var audit = await RaiseAsync(
            host,
            "alibaba-actiontrail-access-key-created-external-ip",
            "audit",
            Now.AddMinutes(-20),
            Now.AddMinutes(-20),
            new AlertEntity(EntityKind.Ip, AuditIp),
            new AlertEntity(EntityKind.Account, AccountUid),
            new AlertEntity(EntityKind.User, OpsAdmin),
            new AlertEntity(EntityKind.AccessKey, OpsKey));
        var flow = await RaiseAsync(host, "alibaba-cfw-ssh-brute-force", "flow", Now.AddMinutes(-15), Now.AddMinutes(-15), new AlertEntity(EntityKind.Ip, OtherIp), new AlertEntity(EntityKind.Asset, ServerIp));
        await host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        host.CurrentUser.User = new CurrentUserInfo("viewer-id", "viewer@example.com", [Roles.Viewer], null);
        return new Scene(host, sqli, xss, other, audit, flow, await LogIdsAsync(host));
    }

    [Fact]
    public async Task Get_ListsBothEventsAlertsAndLogsOfTheIp_WhenItAppearsInTwoEvents()
    {
        await using var scene = await SeedAsync();
        var host = scene.Host;
        var (sqliEvent, xssEvent) = (await EventOfAsync(host, scene.SqliAlert), await EventOfAsync(host, scene.XssAlert));

        var profile = await Investigation(host).GetAsync(InvestigatedKind.Ip, Attacker);

        Assert.NotNull(profile);
        Assert.NotEqual(sqliEvent, xssEvent);
        Assert.Equal((InvestigatedKind.Ip, Attacker), (profile.Kind, profile.Value));
        Assert.Equal([xssEvent, sqliEvent], profile.Events.Select(e => e.Id));
        Assert.Equal(2, profile.EventCount);
        Assert.Equal([scene.XssAlert, scene.SqliAlert], profile.Alerts.Select(a => a.Id));
        Assert.Equal(2, profile.AlertCount);
        Assert.Equal([scene.Logs["attacker-last"], scene.Logs["attacker-api"], scene.Logs["attacker-sqli"], scene.Logs["attacker-first"]], profile.Logs.Select(l => l.Id));
        Assert.Equal((4, false), (profile.LogCount, profile.LogCountIsLowerBound));

        // The oldest log (190 min ago) is before the first alert (3 h ago); the newest log (30 min ago) after the last alert (40 min ago).
        Assert.Equal(Now.AddMinutes(-190), profile.FirstSeen);
        Assert.Equal(Now.AddMinutes(-30), profile.LastSeen);
        Assert.Equal((new DateTimeOffset(2026, 10, 28, 8, 1, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 8, 1, 0, TimeSpan.Zero)), (profile.LogsFrom, profile.LogsTo));
        Assert.Equal("/logs?from=2026-10-28T08%3A01%3A00Z&to=2026-11-28T08%3A01%3A00Z&where=src_endpoint.ip%20%3D%20203.0.113.66", profile.LogSearchUrl);
        Assert.Equal(profile.Logs.Select(l => l.Id), await PivotLogIdsAsync(host, profile.LogSearchUrl));
        var newest = profile.Logs[0];
        Assert.Equal((Now.AddMinutes(-30), CloudProvider.AlibabaCloud, LogProduct.AlibabaWaf, "Shop WAF"), (newest.Time, newest.Provider, newest.Product, newest.SourceName));
        Assert.Equal("203.0.113.66 GET shop.example.com /index.php 200 Allowed", newest.Summary);
        var alert = profile.Alerts[0];
        Assert.Equal((RuleSeverity.Medium, AlertStatus.Open, CloudProvider.AlibabaCloud, 1L, Now.AddMinutes(-40)), (alert.Severity, alert.Status, alert.Provider, alert.Count, alert.LastSeen));
    }

    [Fact]
    public async Task Get_FindsOnlyTheAssetsOwn_WhenTheAssetIsADomainOrAnIp()
    {
        await using var scene = await SeedAsync();
        var host = scene.Host;

        var domain = await Investigation(host).GetAsync(InvestigatedKind.Asset, Shop);
        var server = await Investigation(host).GetAsync(InvestigatedKind.Asset, ServerIp);

        Assert.Equal([await EventOfAsync(host, scene.XssAlert), await EventOfAsync(host, scene.SqliAlert)], domain!.Events.Select(e => e.Id));
        Assert.Equal([scene.XssAlert, scene.SqliAlert], domain.Alerts.Select(a => a.Id));
        Assert.Equal([scene.Logs["attacker-last"], scene.Logs["attacker-sqli"], scene.Logs["attacker-first"]], domain.Logs.Select(l => l.Id));
        Assert.Equal("/logs?from=2026-10-28T08%3A01%3A00Z&to=2026-11-28T08%3A01%3A00Z&where=http_request.url.hostname%20%3D%20shop.example.com", domain.LogSearchUrl);
        Assert.Equal(domain.Logs.Select(l => l.Id), await PivotLogIdsAsync(host, domain.LogSearchUrl));

        Assert.Equal([await EventOfAsync(host, scene.FlowAlert)], server!.Events.Select(e => e.Id));
        Assert.Equal([scene.FlowAlert], server.Alerts.Select(a => a.Id));
        Assert.Equal([scene.Logs["flow-ssh"]], server.Logs.Select(l => l.Id));
        Assert.Equal("dst_endpoint.ip", server.LogQuery.Conditions!.Single().Path);
        Assert.Equal(server.Logs.Select(l => l.Id), await PivotLogIdsAsync(host, server.LogSearchUrl));
        Assert.Equal("198.51.100.77 → 10.0.0.5 Blocked", server.Logs[0].Summary);
        Assert.Equal((Now.AddMinutes(-15), Now.AddMinutes(-15)), (server.FirstSeen, server.LastSeen));
    }

    [Fact]
    public async Task Get_FindsTheAuditTrailIdentity_WhenAskedForItsAccountUserOrAccessKey()
    {
        await using var scene = await SeedAsync();
        var host = scene.Host;
        var auditEvent = await EventOfAsync(host, scene.AuditAlert);

        var account = await Investigation(host).GetAsync(InvestigatedKind.Account, AccountUid);
        var user = await Investigation(host).GetAsync(InvestigatedKind.User, OpsAdmin);
        var key = await Investigation(host).GetAsync(InvestigatedKind.AccessKey, OpsKey);

        // Only the audit alert names the account as an entity; every stored log carries the account uid.
        Assert.Equal([auditEvent], account!.Events.Select(e => e.Id));
        Assert.Equal([scene.AuditAlert], account.Alerts.Select(a => a.Id));
        Assert.Equal(8, account.LogCount);
        Assert.Equal("cloud.account.uid", account.LogQuery.Conditions!.Single().Path);
        Assert.Equal(account.Logs.Select(l => l.Id), await PivotLogIdsAsync(host, account.LogSearchUrl));

        Assert.Equal([auditEvent], user!.Events.Select(e => e.Id));
        Assert.Equal([scene.AuditAlert], user.Alerts.Select(a => a.Id));
        Assert.Equal([scene.Logs["trail-key"]], user.Logs.Select(l => l.Id));
        Assert.Equal("/logs?from=2026-10-28T08%3A01%3A00Z&to=2026-11-28T08%3A01%3A00Z&where=actor.user.name%20%3D%20ops-admin", user.LogSearchUrl);
        Assert.Equal(user.Logs.Select(l => l.Id), await PivotLogIdsAsync(host, user.LogSearchUrl));
        Assert.Equal("198.51.100.201 CreateAccessKey ops-admin", user.Logs[0].Summary);

        Assert.Equal([auditEvent], key!.Events.Select(e => e.Id));
        Assert.Equal([scene.AuditAlert], key.Alerts.Select(a => a.Id));
        Assert.Equal([scene.Logs["trail-key"]], key.Logs.Select(l => l.Id));
        Assert.Equal("/logs?from=2026-10-28T08%3A01%3A00Z&to=2026-11-28T08%3A01%3A00Z&where=actor.user.credential_uid%20%3D%20LTAI5tSandboxOpsAdmin01", key.LogSearchUrl);
        Assert.Equal(key.Logs.Select(l => l.Id), await PivotLogIdsAsync(host, key.LogSearchUrl));
        Assert.Equal((Now.AddMinutes(-20), Now.AddMinutes(-20)), (key.FirstSeen, key.LastSeen));
    }

    [Fact]
    public async Task Get_ReturnsZeroCounts_WhenTheEntityAppearsNowhere()
    {
        await using var scene = await SeedAsync();

        var profile = await Investigation(scene.Host).GetAsync(InvestigatedKind.Ip, "192.0.2.1");
        var otherCase = await Investigation(scene.Host).GetAsync(InvestigatedKind.User, "OPS-ADMIN");

        Assert.NotNull(profile);
        Assert.True(profile.NothingSeen);
        Assert.Equal((0, 0, 0), (profile.EventCount, profile.AlertCount, profile.LogCount));
        Assert.Empty(profile.Events);
        Assert.Empty(profile.Alerts);
        Assert.Empty(profile.Logs);
        Assert.Null(profile.FirstSeen);
        Assert.Null(profile.LastSeen);
        Assert.Empty(await PivotLogIdsAsync(scene.Host, profile.LogSearchUrl));
        Assert.True(otherCase!.NothingSeen);
    }

    [Fact]
    public async Task Get_TrimsTheValue_AndRefusesValuesThatCannotBeSearched()
    {
        await using var scene = await SeedAsync();
        var investigation = Investigation(scene.Host);

        var trimmed = await investigation.GetAsync(InvestigatedKind.Ip, "  203.0.113.66 \t");

        Assert.Equal((Attacker, 2), (trimmed!.Value, trimmed.AlertCount));
        Assert.Null(await investigation.GetAsync(InvestigatedKind.Ip, "   "));
        Assert.Null(await investigation.GetAsync(InvestigatedKind.User, "ops-admin\nsrc_endpoint.ip = 203.0.113.66"));
        Assert.Null(await investigation.GetAsync(InvestigatedKind.User, new string('a', 257)));
    }

    [Fact]
    public async Task Pivot_FindsTheListedLogs_WhenTheValueIsInQuotesOrHasOperators()
    {
        await using var host = await TestHost.StartAsync(now: Now);
        var trail = await AddSourceAsync(host, LogProduct.AlibabaActionTrail, "ActionTrail");
        await StoreAsync(host, trail, Audit(trail, "quoted", Now.AddMinutes(-5), "\"svc\"", "k1"), Audit(trail, "bare", Now.AddMinutes(-4), "svc", "k2"), Audit(trail, "operators", Now.AddMinutes(-3), "a != b = c", "k3"));
        host.CurrentUser.User = TestCurrentUser.Admin();
        var logs = await LogIdsAsync(host);

        var quoted = await Investigation(host).GetAsync(InvestigatedKind.User, "\"svc\"");
        var operators = await Investigation(host).GetAsync(InvestigatedKind.User, "a != b = c");

        Assert.Equal([logs["quoted"]], quoted!.Logs.Select(l => l.Id));
        Assert.Equal([logs["quoted"]], await PivotLogIdsAsync(host, quoted.LogSearchUrl));
        Assert.Equal([logs["operators"]], operators!.Logs.Select(l => l.Id));
        Assert.Equal([logs["operators"]], await PivotLogIdsAsync(host, operators.LogSearchUrl));
    }

    [Fact]
    public async Task Get_ListsTheNewest50AlertsWithTheExactTotal_WhenThereAreMore()
    {
        await using var host = await TestHost.StartAsync(now: Now);
        var ids = new List<long>();
        for (var i = 0; i < 53; i++)
        {
            ids.Add(await RaiseAsync(host, "alibaba-waf-sqli", $"f{i}", Now.AddMinutes(-100 + i), Now.AddMinutes(-100 + i), new AlertEntity(EntityKind.Ip, Attacker)));
        }

        host.CurrentUser.User = TestCurrentUser.Admin();

        var profile = await Investigation(host).GetAsync(InvestigatedKind.Ip, Attacker);

        Assert.Equal(53, profile!.AlertCount);
        Assert.Equal(Enumerable.Reverse(ids).Take(50), profile.Alerts.Select(a => a.Id));
        Assert.Equal((Now.AddMinutes(-100), Now.AddMinutes(-48)), (profile.FirstSeen, profile.LastSeen));
    }

    [Fact]
    public async Task Get_CountsLogsUpToTheLimit_WhenTheEntityHasMore()
    {
        await using var host = await TestHost.StartAsync(now: Now);
        var waf = await AddSourceAsync(host, LogProduct.AlibabaWaf, "Shop WAF");
        await StoreAsync(host, waf, [.. TestLogs.Many(waf, EntityInvestigation.LogCountLimit + 1, Now.AddHours(-1))]);
        host.CurrentUser.User = TestCurrentUser.Admin();

        var profile = await Investigation(host).GetAsync(InvestigatedKind.Ip, "198.51.100.10");

        Assert.Equal((EntityInvestigation.LogCountLimit, true), (profile!.LogCount, profile.LogCountIsLowerBound));
        Assert.Equal(EntityInvestigation.ListLimit, profile.Logs.Count);
        Assert.Equal((Now.AddHours(-1), Now.AddHours(-1).AddMilliseconds(EntityInvestigation.LogCountLimit)), (profile.FirstSeen, profile.LastSeen));
    }

    [Fact]
    public async Task Get_IsRefused_WhenNobodyIsSignedIn()
    {
        await using var host = await TestHost.StartAsync(now: Now);
        host.CurrentUser.User = null;

        await Assert.ThrowsAsync<AccessDeniedException>(() => Investigation(host).GetAsync(InvestigatedKind.Ip, Attacker));
    }

    [Theory]
    [InlineData("ip", InvestigatedKind.Ip)]
    [InlineData("asset", InvestigatedKind.Asset)]
    [InlineData("account", InvestigatedKind.Account)]
    [InlineData("user", InvestigatedKind.User)]
    [InlineData("access-key", InvestigatedKind.AccessKey)]
    public void Slug_RoundTrips_WhenTheKindIsKnown(string slug, InvestigatedKind kind)
    {
        Assert.Equal(kind, InvestigatedKinds.Parse(slug));
        Assert.Equal(slug, InvestigatedKinds.Slug(kind));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("IP")]
    [InlineData("accesskey")]
    [InlineData("access_key")]
    [InlineData("domain")]
    public void Parse_ReturnsNull_WhenTheSlugIsUnknown(string? slug) => Assert.Null(InvestigatedKinds.Parse(slug));

    [Fact]
    public void PageUrl_EscapesTheValue_WhenItHasReservedCharacters() =>
        Assert.Equal("/entities/user?value=a%26b%3Dc%20d", EntityInvestigation.PageUrl(InvestigatedKind.User, "a&b=c d"));
}
