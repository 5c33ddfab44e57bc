using System.Text;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response.AllowList;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Clouds.Alibaba;
using Ctdr.Infrastructure.Response.AllowList;
using Ctdr.Infrastructure.Sandbox;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Response.AllowList;

/// <summary>
/// The organisation's egress addresses found in stored ActionTrail logs: the sandbox's own audit stream pulled,
/// normalised and stored as in production, and hand-made events for the cases the sandbox does not produce.
/// </summary>
public sealed class EgressSignInAllowListTests
{
    private const string AccountUid = "5000000000000001";

    private static async Task<TestHost> StartAsync(IDictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        var host = await TestHost.StartAsync(settings, now);
        host.SignInAs(await host.CreateUserAsync("viewer@example.com", Roles.Viewer), "viewer@example.com", Roles.Viewer);
        return host;
    }

    private static async Task<long> AddTrailSourceAsync(TestHost host)
    {
        await using var db = await host.DbAsync();
        var now = host.Clock.GetUtcNow();
        var account = CloudAccount.Create(CloudProvider.AlibabaCloud, AccountUid, "Shop", ["cn-hangzhou"], "ak", "protected", null, false, now);
        db.CloudAccounts.Add(account);
        await db.SaveChangesAsync();
        var source = LogSource.CreatePulled(account.Id, LogProduct.AlibabaActionTrail, "Trail", LogBinding.AlibabaWafPayAsYouGo(AccountUid, "cn-hangzhou"), 5, false, now);
        db.LogSources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }

    private static async Task StoreAsync(TestHost host, long sourceId, IReadOnlyList<SecurityLog> logs) =>
        Assert.True((await host.Get<ILogStore>().AppendAsync(new LogBatch(sourceId, null, null, logs, [], 0, host.Clock.GetUtcNow()), CancellationToken.None)).Committed);

    /// <summary>An ActionTrail console sign-in as the SLS delivery writes it (the event as a JSON string), through the real normaliser.</summary>
    private static SecurityLog SignIn(long sourceId, string id, DateTimeOffset time, string ip, string user, bool mfa, string? errorCode = null)
    {
        var inner = $$"""{"eventId":"{{id}}","eventVersion":1,"eventTime":"{{time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}","eventType":"ConsoleSignin","eventName":"ConsoleSignin","eventSource":"signin.aliyun.com","serviceName":"AasSub","additionalEventData":{"loginAccount":"{{user}}@{{AccountUid}}.onaliyun.com","MFAUsed":"{{(mfa ? "true" : "false")}}"},{{(errorCode is null ? string.Empty : $"\"errorCode\":\"{errorCode}\",\"errorMessage\":\"bad password\",")}}"sourceIpAddress":"{{ip}}","userAgent":"Mozilla/5.0","userIdentity":{"type":"ram-user","principalId":"1","accountId":"{{AccountUid}}","userName":"{{user}}"},"recipientAccountId":"{{AccountUid}}"}""";
        var record = "{\"__topic__\":\"actiontrail_audit_event\",\"event\":" + System.Text.Json.JsonSerializer.Serialize(inner) + "}";
        var context = new LogContext(sourceId, CloudProvider.AlibabaCloud, AccountUid, "cn-hangzhou", "actiontrail_sandbox-trail");
        Assert.True(new AlibabaActionTrailNormalizer().TryNormalize(new RawRecord(Encoding.UTF8.GetBytes(record), id), context, out var log, out var rejection), rejection);
        return log!;
    }

    [Fact]
    public async Task Find_ReturnsOnlySuccessfulRecentSignInsWithMfa_WhenTheTrailHoldsAllKinds()
    {
        var now = new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
        await using var host = await StartAsync(now: now);
        var source = await AddTrailSourceAsync(host);
        await StoreAsync(host, source,
        [
            SignIn(source, "e1", now.AddHours(-5), "192.0.2.50", "alice", mfa: true),
            SignIn(source, "e2", now.AddHours(-1), "192.0.2.50", "carol", mfa: true),
            SignIn(source, "e3", now.AddDays(-2), "2001:db8:5::10", "bob", mfa: true),
            SignIn(source, "e4", now.AddHours(-2), "198.51.100.201", "ops-admin", mfa: false),
            SignIn(source, "e5", now.AddHours(-3), "203.0.113.7", "alice", mfa: true, errorCode: "InvalidPassword"),
            SignIn(source, "e6", now.AddDays(-31), "192.0.2.60", "alice", mfa: true),
        ]);
        var query = host.Get<IEgressSignIns>();

        var withMfa = await query.FindAsync(now.AddDays(-30), requireMfa: true, CancellationToken.None);
        var any = await query.FindAsync(now.AddDays(-30), requireMfa: false, CancellationToken.None);

        Assert.Equal(
            [new EgressSignIn("192.0.2.50", 2, now.AddHours(-1), ["alice", "carol"]), new EgressSignIn("2001:db8:5::10", 1, now.AddDays(-2), ["bob"])],
            withMfa,
            EgressComparer.Instance);
        Assert.Equal(["192.0.2.50", "198.51.100.201", "2001:db8:5::10"], any.Select(e => e.Address));
    }

    [Fact]
    public async Task Current_AllowsTheOrganisationsSignInAddresses_ButNotTheIntruderWithoutMfa_FromTheSandboxTrail()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Sandbox:Enabled"] = "true" });
        await using var sandbox = await TestSandbox.StartAsync(host.Clock);
        host.Get<SandboxEndpoint>().Set(sandbox.Address);
        var start = host.Clock.GetUtcNow();
        await sandbox.GenerateAsync("alibaba-actiontrail", 200);
        await sandbox.GenerateAsync("alibaba-actiontrail", 10, "audit-misuse");
        await sandbox.GenerateAsync("alibaba-actiontrail", 10, "killchain");
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var source = await AddTrailSourceAsync(host);
        var logs = await PullTrailAsync(host, source, start);
        await StoreAsync(host, source, logs);
        var signIns = logs.Where(l => l.ClassUid == OcsfClass.Authentication && l.StatusId == 1).ToList();

        var allowList = host.Services.CreateScope().ServiceProvider.GetRequiredService<ResponseAllowList>();
        var matcher = await allowList.CurrentAsync();
        var egress = matcher.Items.Where(i => i.Source == AllowListSource.EgressSignIn).ToList();

        // The sandbox's employees sign in with MFA from 192.0.2.50 and .51; the intruder signs in without MFA.
        Assert.Equal(220, logs.Count);
        Assert.Equal(["192.0.2.50", "192.0.2.51", "198.51.100.201"], signIns.Select(l => l.SrcIp).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["192.0.2.50", "192.0.2.51"], egress.Select(i => i.Value));
        Assert.Equal(AllowListSource.EgressSignIn, matcher.Match("192.0.2.50")!.Source);
        Assert.Equal(AllowListSource.EgressSignIn, matcher.Match("192.0.2.48/29")!.Source);
        Assert.Null(matcher.Match("198.51.100.201"));
        Assert.Null(matcher.Match("203.0.113.66"));
        Assert.Null(matcher.Match("203.0.113.7"));
        var alice = signIns.Count(l => l.SrcIp == "192.0.2.50");
        Assert.StartsWith($"Signed in successfully with MFA {(alice == 1 ? "once" : alice + " times")} by alice in the last 30 days; last ", egress[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Current_PicksUpNewSignIns_AtTheNextRefresh()
    {
        var now = new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Response:AllowList:RefreshInterval"] = "00:02:00", ["Response:AllowList:EgressSignInDays"] = "7" }, now);
        var source = await AddTrailSourceAsync(host);
        await StoreAsync(host, source, [SignIn(source, "e1", now.AddDays(-6).AddHours(-1), "192.0.2.50", "alice", mfa: true)]);
        var allowList = host.Services.CreateScope().ServiceProvider.GetRequiredService<ResponseAllowList>();
        Assert.NotNull((await allowList.CurrentAsync()).Match("192.0.2.50"));

        await StoreAsync(host, source, [SignIn(source, "e2", now, "192.0.2.77", "bob", mfa: true)]);
        var beforeRefresh = await allowList.CurrentAsync();
        host.Clock.Advance(TimeSpan.FromDays(1));
        var afterRefresh = await allowList.CurrentAsync();

        Assert.Null(beforeRefresh.Match("192.0.2.77"));
        Assert.NotNull(afterRefresh.Match("192.0.2.77"));

        // Seven days after alice's only sign-in, her address is no longer the organisation's.
        Assert.Null(afterRefresh.Match("192.0.2.50"));
    }

    [Theory]
    [InlineData("""{"event":{"additionalEventData":{"MFAUsed":"true"}}}""", true)]
    [InlineData("""{"additionalEventData":{"MFAUsed":"TRUE"}}""", true)]
    [InlineData("""{"event.additionalEventData.MFAUsed":"true"}""", true)]
    [InlineData("""{"event":"{\"userIdentity\":{\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"true\"}}}}"}""", true)]
    [InlineData("""{"event":{"additionalEventData":{"MFAUsed":"false"}}}""", false)]
    [InlineData("""{"event":"not json"}""", false)]
    [InlineData("""[1]""", false)]
    [InlineData("", false)]
    public void PassedMfa_ReadsTheEventWhereverItIs(string raw, bool expected) =>
        Assert.Equal(expected, EgressSignInQuery.PassedMfa(raw));

    private static async Task<List<SecurityLog>> PullTrailAsync(TestHost host, long sourceId, DateTimeOffset start)
    {
        var accounts = await host.Get<ISandboxDirectory>().ListAccountsAsync(CancellationToken.None);
        var account = accounts.Single(a => a.Provider == CloudProvider.AlibabaCloud);
        var binding = account.LogSources.First(s => s.Product == LogProduct.AlibabaActionTrail).Binding;
        var connectorSource = new ConnectorSource(
            sourceId,
            LogProduct.AlibabaActionTrail,
            binding,
            new ConnectorAccount(CloudProvider.AlibabaCloud, account.AccountUid, account.Regions, new CloudCredentials(account.AccessKeyId, account.AccessKeySecret), account.Endpoint));
        var connector = host.Get<ILogConnectors>().For(CloudProvider.AlibabaCloud)!;
        var normalizer = new AlibabaActionTrailNormalizer();
        var context = new LogContext(sourceId, CloudProvider.AlibabaCloud, account.AccountUid, account.Regions[0], "actiontrail_sandbox-trail");
        var logs = new List<SecurityLog>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? checkpoint = null;
        for (var page = 0; page < 20; page++)
        {
            var result = await connector.PullAsync(connectorSource, new PullRequest(checkpoint, 1000, start.AddHours(-1)), CancellationToken.None);
            foreach (var record in result.Records)
            {
                Assert.True(normalizer.TryNormalize(record, context, out var log, out var rejection), rejection);
                if (seen.Add(log!.Uid))
                {
                    logs.Add(log);
                }
            }

            checkpoint = result.NextCheckpoint;
            if (result.CaughtUp)
            {
                break;
            }
        }

        return logs;
    }

    private sealed class EgressComparer : IEqualityComparer<EgressSignIn>
    {
        public static readonly EgressComparer Instance = new();

        public bool Equals(EgressSignIn? x, EgressSignIn? y) =>
            x is not null && y is not null && x.Address == y.Address && x.SignIns == y.SignIns && x.LastSeen == y.LastSeen && x.Users.SequenceEqual(y.Users);

        public int GetHashCode(EgressSignIn obj) => obj.Address.GetHashCode(StringComparison.Ordinal);
    }
}
