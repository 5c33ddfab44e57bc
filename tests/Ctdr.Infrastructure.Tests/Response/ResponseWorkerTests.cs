using System.Net;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Response;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>
/// Handling policies end to end on real SQLite with a recording WAF: the safety envelope (allow-list, dry run, cap,
/// end time, approval default), the worker's retries, idempotency under doubled runs, unblocking and expiry.
/// </summary>
public sealed class ResponseWorkerTests
{
    private const string Attacker = "203.0.113.7";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly AuditAction[] PolicyActions = [AuditAction.HandlingPolicyCreated, AuditAction.HandlingPolicyRefused, AuditAction.HandlingPolicyReverted, AuditAction.HandlingPolicyDecided];

    private sealed record Setup(TestHost Host, TestSandbox Sandbox, RecordingWaf Waf, long AccountId) : IAsyncDisposable
    {
        public HandlingAdministration Handling => Host.Services.CreateScope().ServiceProvider.GetRequiredService<HandlingAdministration>();

        public ResponseWorker Worker => Host.Get<ResponseWorker>();

        public async ValueTask DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(Func<string, string?>? allowList = null, Dictionary<string, string?>? settings = null)
    {
        var waf = new RecordingWaf(
            CloudProvider.AlibabaCloud,
            new WafInstanceInfo("waf-1", "cn-hangzhou", "test", ["shop.example.com"]),
            new WafInstanceInfo("waf-2", "cn-hangzhou", "test", ["blog.example.com"]));
        var host = await TestHost.StartAsync(settings, now: Now, configure: services =>
        {
            services.AddSingleton<IWafBlocker>(waf);
            services.AddSingleton<IResponseAllowListLookup>(new PredicateAllowList(allowList ?? (_ => null)));
        });
        host.CurrentUser.User = TestCurrentUser.Admin();
        var sandbox = await TestSandbox.StartAsync(host.Clock);
        using var scope = host.Services.CreateScope();
        var (_, accountId) = await scope.ServiceProvider.GetRequiredService<CloudAccountAdministration>().OnboardAsync(sandbox.AlibabaForm());
        return new Setup(host, sandbox, waf, accountId!.Value);
    }

    /// <summary>An alert from the account's WAF logs about <paramref name="ip"/> on shop.example.com, correlated into an event; returns the event.</summary>
    private static async Task<long> AttackAsync(Setup setup, string ip, string fingerprint)
    {
        await using (var db = await setup.Host.DbAsync())
        {
            var rule = await db.DetectionRules.SingleAsync(r => r.Key == "alibaba-waf-sqli");
            var time = setup.Host.Clock.GetUtcNow();
            var evidence = new EvidenceRef(1, 1, fingerprint, time);
            db.Alerts.Add(Alert.Raise(new AlertDraft(fingerprint, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, SandboxAccounts.AliUid, LogProduct.AlibabaWaf, 1, time, time, [evidence], [new AlertEntity(EntityKind.Ip, ip), new AlertEntity(EntityKind.Asset, "shop.example.com")], evidence, null), rule, time));
            await db.SaveChangesAsync();
        }

        await setup.Host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        await using var check = await setup.Host.DbAsync();
        return await check.EventMemberships.Where(m => check.Alerts.Any(a => a.Id == m.AlertId && a.Fingerprint == fingerprint)).Select(m => m.EventId).SingleAsync();
    }

    private static async Task<long> PlaybookAsync(Setup setup, string key)
    {
        await using var db = await setup.Host.DbAsync();
        return await db.Playbooks.Where(p => p.Key == key).Select(p => p.Id).SingleAsync();
    }

    private static async Task<(HandlingPolicy Policy, List<HandlingTask> Tasks)> PolicyAsync(Setup setup, long id)
    {
        await using var db = await setup.Host.DbAsync();
        return (await db.HandlingPolicies.SingleAsync(p => p.Id == id), await db.HandlingTasks.Where(t => t.PolicyId == id).OrderBy(t => t.Id).ToListAsync());
    }

    [Fact]
    public async Task ManualBlock_BlocksOnTheInstanceThatSawTheAttacker_AndUnblockRemovesIt()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker, "a");

        var (created, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp)));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var (active, blocks) = await PolicyAsync(setup, ids.Single());
        var reverted = await setup.Handling.RevertAsync(active.Id);
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var (after, removed) = await PolicyAsync(setup, active.Id);

        Assert.True(created.Succeeded);
        Assert.Equal((Attacker, Now.AddHours(24), "admin@example.com", PolicyOrigin.Manual), (active.Target, active.EndAt!.Value, active.CreatedBy, active.Origin));
        Assert.Equal([("waf-1", "shop.example.com", HandlingTaskStatus.Succeeded, "rule-waf-1")], blocks.Select(t => (t.InstanceId!, t.Domain!, t.Status, t.CloudRuleId!)));
        Assert.Equal(PolicyStatus.Active, active.Status);
        Assert.True(reverted.Succeeded);
        Assert.Equal(["list", $"block {Attacker} on waf-1/shop.example.com", $"unblock {Attacker} on waf-1/shop.example.com"], setup.Waf.Calls);
        Assert.Empty(setup.Waf.Entries);
        Assert.Equal((PolicyStatus.Reverted, HandlingTaskStatus.Reverted), (after.Status, removed.Single().Status));
        await using var db = await setup.Host.DbAsync();
        Assert.Equal([AuditAction.HandlingPolicyCreated, AuditAction.HandlingPolicyReverted], await db.AuditEntries.Where(e => e.TargetId == Invariant.Text(active.Id) && PolicyActions.Contains(e.Action)).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        var taskId = Invariant.Text(blocks.Single().Id);
        Assert.Equal(
            [
                ("response worker for admin@example.com", $"block {Attacker} on Alibaba Cloud WAF waf-1/shop.example.com until 2026-11-29 12:00 UTC: Succeeded, cloud rule rule-waf-1"),
                ("response worker for admin@example.com", $"block {Attacker} on Alibaba Cloud WAF waf-1/shop.example.com until 2026-11-29 12:00 UTC: Reverted, cloud rule rule-waf-1"),
            ],
            await db.AuditEntries.Where(e => e.TargetId == taskId && e.Action == AuditAction.HandlingTaskChanged).OrderBy(e => e.Id).Select(e => ValueTuple.Create(e.ActorName, e.Details!)).ToListAsync());
    }

    [Fact]
    public async Task ManualBlock_StartsWhenAsked_OnTheChosenScope_AndEndsItsDurationLater()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker, "a");
        var chosen = new ScopeChoice(setup.AccountId, CloudProvider.AlibabaCloud, "Sandbox Alibaba", "waf-2", "blog.example.com");

        var (_, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, Attacker, await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp), Now.AddMinutes(70), [chosen], Now.AddMinutes(10)));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var before = setup.Waf.Calls.ToList();
        setup.Host.Clock.Advance(TimeSpan.FromMinutes(10));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var (policy, tasks) = await PolicyAsync(setup, ids.Single());

        Assert.Empty(before);
        Assert.Equal((Now.AddMinutes(10), Now.AddMinutes(70), "Alibaba Cloud Sandbox Alibaba waf-2/blog.example.com"), (policy.StartAt, policy.EndAt!.Value, policy.ScopeText));
        Assert.Equal([$"block {Attacker} on waf-2/blog.example.com"], setup.Waf.Calls);
        Assert.Equal((HandlingTaskStatus.Succeeded, Now.AddMinutes(70)), (tasks.Single().Status, tasks.Single().Until!.Value));
    }

    [Fact]
    public async Task EventPlaybooks_ChangeTheEvent_AndNotifyPostsItToTheWebhook()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Invariant.Text(port)}/hook/");
        listener.Start();
        await using var setup = await StartAsync(settings: new() { ["Response:NotifyUrl"] = $"http://127.0.0.1:{Invariant.Text(port)}/hook/" });
        var eventId = await AttackAsync(setup, Attacker, "a");
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 204;
            context.Response.Close();
            return (context.Request.HttpMethod, body);
        });

        foreach (var key in new[] { BuiltInPlaybooks.MarkHandling, BuiltInPlaybooks.RaiseThreatLevel, BuiltInPlaybooks.Notify })
        {
            var (created, _) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, await PlaybookAsync(setup, key)));
            Assert.True(created.Succeeded, string.Join(" ", created.AllMessages()));
        }

        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var (method, body) = await received.WaitAsync(TimeSpan.FromSeconds(30));

        await using var db = await setup.Host.DbAsync();
        var ev = await db.SecurityEvents.SingleAsync(e => e.Id == eventId);
        var policies = await db.HandlingPolicies.OrderBy(p => p.Id).ToListAsync();
        var tasks = await db.HandlingTasks.OrderBy(t => t.Id).ToListAsync();
        Assert.Equal((Application.Events.SecurityEventStatus.Handling, ThreatLevel.Serious, "admin@example.com"), (ev.Status, ev.ThreatLevel, ev.StatusBy!));
        Assert.Equal(["Unhandled → Handling", "threat level Serious → Serious", "webhook answered 204"], tasks.Select(t => t.Detail!));
        Assert.All(policies, p => Assert.Equal(PolicyStatus.Completed, p.Status));
        Assert.Equal("POST", method);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal((eventId, "Notify the webhook", "Handling"), (json.RootElement.GetProperty("eventId").GetInt64(), json.RootElement.GetProperty("playbook").GetString()!, json.RootElement.GetProperty("status").GetString()!));
        Assert.Empty(setup.Waf.Calls);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task StatusStep_GivesItsReason_ToTheEventAndItsHistory()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker, "a");
        long playbookId;
        await using (var db = await setup.Host.DbAsync())
        {
            var playbook = Playbook.Create("custom-test", "Take it on", null, false, TimeSpan.FromHours(1),
                [new PlaybookStep(PlaybookAction.ChangeEventStatus, new Dictionary<string, string> { ["status"] = "Handling", ["reason"] = "the SOC is on it" })], "ana", Now);
            db.Playbooks.Add(playbook);
            await db.SaveChangesAsync();
            playbookId = playbook.Id;
        }

        await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, playbookId));
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        await using var check = await setup.Host.DbAsync();
        var ev = await check.SecurityEvents.SingleAsync(e => e.Id == eventId);
        Assert.Equal((Application.Events.SecurityEventStatus.Handling, "the SOC is on it (playbook Take it on)"), (ev.Status, ev.StatusReason!));
        Assert.Equal("Unhandled → Handling: the SOC is on it (playbook Take it on)", await check.AuditEntries.Where(e => e.Action == AuditAction.SecurityEventStatusChanged).Select(e => e.Details).SingleAsync());
    }

    [Fact]
    public async Task Notify_FailsWithAClearMessage_WhenNoWebhookIsConfigured()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker, "a");
        var (_, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, await PlaybookAsync(setup, BuiltInPlaybooks.Notify)));

        await setup.Worker.RunOnceAsync(CancellationToken.None);

        var task = (await PolicyAsync(setup, ids.Single())).Tasks.Single();
        Assert.Equal((HandlingTaskStatus.Pending, "No webhook is configured: set Response:NotifyUrl (an http or https URL)."), (task.Status, task.Error!));
    }

    [Fact]
    public async Task Block_IsRemovedWhenItsEndPasses()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker, "a");
        var (_, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, Attacker, await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp), Now.AddHours(1)));
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        setup.Host.Clock.Advance(TimeSpan.FromMinutes(59));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var stillBlocked = setup.Waf.Entries.Count;
        setup.Host.Clock.Advance(TimeSpan.FromMinutes(1));
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        var (policy, tasks) = await PolicyAsync(setup, ids.Single());
        Assert.Equal(1, stillBlocked);
        Assert.Empty(setup.Waf.Entries);
        Assert.Equal((PolicyStatus.Expired, HandlingTaskStatus.Expired), (policy.Status, tasks.Single().Status));
    }

    [Fact]
    public async Task Task_IsRetriedWithBackoff_WhenTheCloudThrottles()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker, "a");
        setup.Waf.FailNext = 2;
        var (_, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp)));

        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var first = (await PolicyAsync(setup, ids.Single())).Tasks.Single();
        setup.Host.Clock.Advance(TimeSpan.FromSeconds(4));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var notDue = setup.Waf.Calls.Count(c => c.StartsWith("block", StringComparison.Ordinal));
        setup.Host.Clock.Advance(TimeSpan.FromSeconds(1));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var second = (await PolicyAsync(setup, ids.Single())).Tasks.Single();
        setup.Host.Clock.Advance(TimeSpan.FromSeconds(10));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var done = (await PolicyAsync(setup, ids.Single())).Tasks.Single();

        Assert.Equal((HandlingTaskStatus.Pending, 1, Now.AddSeconds(5)), (first.Status, first.Attempts, first.NextAttemptAt!.Value));
        Assert.StartsWith("Throttling.User", first.Error, StringComparison.Ordinal);
        Assert.Equal(1, notDue);
        Assert.Equal((HandlingTaskStatus.Pending, 2, Now.AddSeconds(15)), (second.Status, second.Attempts, second.NextAttemptAt!.Value));
        Assert.Equal((HandlingTaskStatus.Succeeded, 3, (string?)null), (done.Status, done.Attempts, done.Error));
        Assert.Single(setup.Waf.Entries);
    }

    [Fact]
    public async Task Playbook_RunTwiceAtOnce_PlacesOneEntry()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker, "a");
        var (_, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp)));

        // Two nodes' workers (a job retried while the first run is still going).
        using var other = ActivatorUtilities.CreateInstance<ResponseWorker>(setup.Host.Services);
        await Task.WhenAll(setup.Worker.RunOnceAsync(CancellationToken.None), other.RunOnceAsync(CancellationToken.None));
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal([("waf-1", Attacker)], setup.Waf.Entries);
        Assert.Single(setup.Waf.Calls, c => c.StartsWith("block", StringComparison.Ordinal));
        Assert.Equal(1, (await PolicyAsync(setup, ids.Single())).Tasks.Single().Attempts);
    }

    [Fact]
    public async Task DryRun_RecordsWhatWouldBeDone_AndSendsNothing()
    {
        await using var setup = await StartAsync(settings: new() { ["Response:DryRun"] = "true" });
        var eventId = await AttackAsync(setup, Attacker, "a");

        var (_, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp)));
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        setup.Host.Clock.Advance(TimeSpan.FromDays(2));
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        var (policy, tasks) = await PolicyAsync(setup, ids.Single());
        Assert.Equal((PolicyStatus.DryRun, "dry run (global): nothing was sent", true), (policy.Status, policy.StatusReason!, policy.DryRun));
        Assert.Equal([(HandlingTaskStatus.Skipped, $"dry run: would block {Attacker} on Alibaba Cloud WAF waf-1/shop.example.com until 2026-11-29 12:00 UTC")], tasks.Select(t => (t.Status, t.Detail!)));
        // Only the instance list was read, to say where it would block; nothing was written.
        Assert.Equal(["list"], setup.Waf.Calls);
    }

    [Fact]
    public async Task AllowListedTargets_NeverCauseACloudCall_ForThousandsOfAddresses()
    {
        var random = new Random(20261128);
        var addresses = Enumerable.Range(0, 1500).Select(i => Address(random, i)).Distinct(StringComparer.Ordinal).ToList();
        var allowListed = addresses.Where((_, i) => i % 3 == 0).ToHashSet(StringComparer.Ordinal);
        await using var setup = await StartAsync(allowList: a => allowListed.Contains(a) ? "test entry" : null);
        var playbook = await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp);
        var scope = new ScopeChoice(setup.AccountId, CloudProvider.AlibabaCloud, "Sandbox Alibaba", "waf-1", null);

        var refused = 0;
        foreach (var address in addresses)
        {
            var (result, _) = await setup.Handling.CreateAsync(new PolicyRequest(null, address, playbook, Scope: [scope]));
            refused += result.Succeeded ? 0 : 1;
        }

        for (var i = 0; i < 5; i++)
        {
            await setup.Worker.RunOnceAsync(CancellationToken.None);
        }

        var blocked = setup.Waf.Calls.Select(c => c.Split(' ')[1]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(allowListed.Count, refused);
        Assert.Empty(blocked.Intersect(allowListed));
        Assert.Equal(addresses.Count - allowListed.Count, blocked.Count);
        Assert.Equal(blocked.Count, setup.Waf.Calls.Count);

        static string Address(Random random, int i) => (i % 4) switch
        {
            0 => new IPAddress(random.NextInt64(0x01000000, 0xDF000000)).MapToIPv4().ToString(),
            1 => new IPNetwork(new IPAddress(random.NextInt64(0x01000000, 0xDF000000) & 0xFFFFFF00).MapToIPv4(), 24).ToString(),
            2 => new IPAddress([0x20, 0x01, 0x0d, 0xb8, .. Enumerable.Range(0, 12).Select(_ => (byte)random.Next(256))]).ToString(),
            _ => new IPNetwork(new IPAddress([0x20, 0x01, 0x0d, 0xb8, (byte)random.Next(256), (byte)random.Next(256), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 48).ToString(),
        };
    }

    [Fact]
    public async Task AllowListedTarget_IsRefusedWithTheReason_AndNoCloudIsAsked()
    {
        await using var setup = await StartAsync(allowList: a => a == Attacker ? "our office egress (signed in to the console)" : null);
        var eventId = await AttackAsync(setup, Attacker, "a");

        var (result, ids) = await setup.Handling.CreateAsync(new PolicyRequest(eventId, null, await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp)));
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        var (policy, tasks) = await PolicyAsync(setup, ids.Single());
        Assert.Equal([$"{Attacker} is allow-listed (our office egress (signed in to the console)); it is never blocked."], result.AllMessages());
        Assert.Equal(PolicyStatus.Refused, policy.Status);
        Assert.Empty(tasks);
        Assert.Empty(setup.Waf.Calls);
        await using var db = await setup.Host.DbAsync();
        Assert.Equal(AuditAction.HandlingPolicyRefused, await db.AuditEntries.Where(e => e.TargetId == Invariant.Text(policy.Id) && PolicyActions.Contains(e.Action)).Select(e => e.Action).SingleAsync());
    }

    private static async Task<ResponseRule> RuleAsync(Setup setup, bool requireApproval = false, bool approveOnTimeout = false)
    {
        var playbook = await PlaybookAsync(setup, BuiltInPlaybooks.BlockIp);
        await using var db = await setup.Host.DbAsync();
        var rule = ResponseRule.Create(
            new ResponseRuleForm("Block serious attackers", true, ResponseTrigger.Event, true, [new ResponseCondition("threat_level", "=", "Serious")], [new ResponseAction(ResponseActionKind.RunPlaybook, playbook)],
                RequireApproval: requireApproval, ApprovalMinutes: 10, ApproveOnTimeout: approveOnTimeout),
            1, "ana", Now);
        db.ResponseRules.Add(rule);
        await db.SaveChangesAsync();
        return rule;
    }

    [Fact]
    public async Task AutomaticRule_FiresOncePerEvent_WithAnEndTime_AndItsBlockIsRemovedAfterIt()
    {
        await using var setup = await StartAsync();
        var rule = await RuleAsync(setup);
        var eventId = await AttackAsync(setup, Attacker, "a");
        var automatic = setup.Host.Get<AutomaticResponse>();

        var first = await automatic.RunOnceAsync(CancellationToken.None);
        await AttackAsync(setup, Attacker, "b");
        var second = await automatic.RunOnceAsync(CancellationToken.None);
        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var blockedThen = setup.Waf.Entries.Count;
        setup.Host.Clock.Advance(BuiltInPlaybooks.DefaultBlock);
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        await using var db = await setup.Host.DbAsync();
        var policy = await db.HandlingPolicies.SingleAsync();
        Assert.Equal((1, 1), (first.Fired, first.Policies));
        Assert.Equal(0, second.Fired);
        Assert.Equal((eventId, PolicyOrigin.Automatic, "rule:Block serious attackers", Now.AddHours(24)), (policy.EventId!.Value, policy.Origin, policy.CreatedBy, policy.EndAt!.Value));
        Assert.Equal(1, blockedThen);
        Assert.Empty(setup.Waf.Entries);
        Assert.Equal(PolicyStatus.Expired, policy.Status);
        Assert.Equal((1L, Now), (await db.ResponseRules.Where(r => r.Id == rule.Id).Select(r => r.FiredCount).SingleAsync(), (await db.ResponseRules.SingleAsync()).LastFiredAt!.Value));
    }

    [Fact]
    public async Task AutomaticBlocks_StopAtTheHourlyCap_WithAnAuditedNotice()
    {
        await using var setup = await StartAsync(settings: new() { ["Response:MaxAutomaticBlocksPerHour"] = "3" });
        await RuleAsync(setup);
        for (var i = 1; i <= 5; i++)
        {
            await AttackAsync(setup, "203.0.113." + Invariant.Text(i), "f" + Invariant.Text(i));
        }

        await setup.Host.Get<AutomaticResponse>().RunOnceAsync(CancellationToken.None);
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        await using var db = await setup.Host.DbAsync();
        var policies = await db.HandlingPolicies.OrderBy(p => p.Id).ToListAsync();
        Assert.Equal([PolicyStatus.Active, PolicyStatus.Active, PolicyStatus.Active, PolicyStatus.Refused, PolicyStatus.Refused], policies.Select(p => p.Status));
        Assert.All(policies.Skip(3), p => Assert.Equal("The cap of 3 automatic blocks per hour is reached.", p.StatusReason));
        Assert.Equal(3, setup.Waf.Entries.Count);
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == AuditAction.ResponseCapReached));
    }

    [Theory]
    [InlineData(true, PolicyStatus.Active, 1)]
    [InlineData(false, PolicyStatus.Refused, 0)]
    public async Task Approval_AppliesTheRulesDefault_WhenNobodyAnswersBeforeTheDeadline(bool approveOnTimeout, PolicyStatus expected, int blocks)
    {
        await using var setup = await StartAsync();
        await RuleAsync(setup, requireApproval: true, approveOnTimeout: approveOnTimeout);
        await AttackAsync(setup, Attacker, "a");
        await setup.Host.Get<AutomaticResponse>().RunOnceAsync(CancellationToken.None);

        await setup.Worker.RunOnceAsync(CancellationToken.None);
        var waiting = setup.Waf.Entries.Count;
        setup.Host.Clock.Advance(TimeSpan.FromMinutes(10));
        await setup.Worker.RunOnceAsync(CancellationToken.None);

        await using var db = await setup.Host.DbAsync();
        var policy = await db.HandlingPolicies.SingleAsync();
        Assert.Equal(0, waiting);
        Assert.Equal((expected, "default after the approval deadline"), (policy.Status, policy.DecidedBy!));
        Assert.Equal(blocks, setup.Waf.Entries.Count);
    }
}
