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
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>Custom playbooks on real SQLite (create, revise, delete while a rule runs them, audit) and the dry run over a recording WAF.</summary>
public sealed class PlaybookAdministrationTests
{
    private const string Attacker = "203.0.113.7";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private sealed record Setup(TestHost Host, TestSandbox Sandbox, RecordingWaf Waf) : IAsyncDisposable
    {
        public PlaybookAdministration Playbooks => Scoped<PlaybookAdministration>();

        public T Scoped<T>()
            where T : notnull => Host.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

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
        await scope.ServiceProvider.GetRequiredService<CloudAccountAdministration>().OnboardAsync(sandbox.AlibabaForm());
        return new Setup(host, sandbox, waf);
    }

    /// <summary>An alert from the account's WAF logs about the IP on shop.example.com, correlated into an event; returns the event.</summary>
    private static async Task<long> AttackAsync(Setup setup, string ip)
    {
        await using (var db = await setup.Host.DbAsync())
        {
            var rule = await db.DetectionRules.SingleAsync(r => r.Key == "alibaba-waf-sqli");
            var time = setup.Host.Clock.GetUtcNow();
            var evidence = new EvidenceRef(1, 1, "f-" + ip, time);
            db.Alerts.Add(Alert.Raise(new AlertDraft("f-" + ip, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, SandboxAccounts.AliUid, LogProduct.AlibabaWaf, 1, time, time, [evidence], [new AlertEntity(EntityKind.Ip, ip), new AlertEntity(EntityKind.Asset, "shop.example.com")], evidence, null), rule, time));

            await db.SaveChangesAsync();
        }

        await setup.Host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        await using var check = await setup.Host.DbAsync();
        var fingerprint = "f-" + ip;
        return await check.EventMemberships.Where(m => check.Alerts.Any(a => a.Id == m.AlertId && a.Fingerprint == fingerprint)).Select(m => m.EventId).SingleAsync();
    }

    private static PlaybookStep Step(PlaybookAction action, params (string Name, string Value)[] parameters) =>
        new(action, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));

    private static readonly PlaybookForm Contain = new(
        "Contain a web attacker",
        "Block for six hours, raise the level, mark handling.",
        6,
        [
            Step(PlaybookAction.WafBlockIp),
            Step(PlaybookAction.ChangeThreatLevel, ("level", "serious")) with { When = new StepCondition("threat_score", ">=", "101") },
            Step(PlaybookAction.ChangeEventStatus, ("status", "Handling"), ("reason", "blocked on the WAF")) with { When = new StepCondition("status", "=", "Unhandled") },
        ]);

    private static async Task<List<(string Target, string Summary)>> AuditAsync(Setup setup)
    {
        await using var db = await setup.Host.DbAsync();
        return [.. (await db.AuditEntries.Where(e => e.Action == AuditAction.PlaybookChanged).OrderBy(e => e.Id).ToListAsync()).Select(e => (e.TargetName!, e.Details!))];
    }

    [Fact]
    public async Task Create_StoresVersionOne_AndRevise_StoresVersionTwo_BothAudited()
    {
        await using var setup = await StartAsync();

        var (created, id) = await setup.Playbooks.CreateAsync(Contain);
        setup.Host.Clock.Advance(TimeSpan.FromMinutes(5));
        var revised = await setup.Playbooks.ReviseAsync(id!.Value, Contain with { Name = "Contain and notify", Steps = [.. Contain.Steps, Step(PlaybookAction.Notify, ("url", "https://hooks.example.com/t/abc"))] });
        var row = (await setup.Playbooks.ListAsync()).Single(p => p.Id == id);

        Assert.True(created.Succeeded);
        Assert.True(revised.Succeeded);
        Assert.Equal((false, 2, "Contain and notify", TimeSpan.FromHours(6), "admin@example.com", Now.AddMinutes(5)), (row.BuiltIn, row.Version, row.Name, row.DefaultDuration, row.UpdatedBy, row.UpdatedAt));
        Assert.Equal(
            "block the IP; set the threat level to Serious (if threat_score >= 101); set the status to Handling (if status = Unhandled); notify the webhook at https://hooks.example.com",
            row.StepsText);
        Assert.StartsWith("custom-", row.Key, StringComparison.Ordinal);
        Assert.Equal(
            [
                ("Contain a web attacker", "created, version 1: block the IP; set the threat level to Serious (if threat_score >= 101); set the status to Handling (if status = Unhandled)"),
                ("Contain and notify", "revised to version 2: block the IP; set the threat level to Serious (if threat_score >= 101); set the status to Handling (if status = Unhandled); notify the webhook at https://hooks.example.com"),
            ],
            await AuditAsync(setup));
    }

    [Fact]
    public async Task Revise_IsRefused_WhenThePlaybookIsBuiltIn()
    {
        await using var setup = await StartAsync();
        var builtIn = (await setup.Playbooks.ListAsync()).Single(p => p.Key == BuiltInPlaybooks.BlockIp);

        var result = await setup.Playbooks.ReviseAsync(builtIn.Id, Contain);

        var after = (await setup.Playbooks.ListAsync()).Single(p => p.Id == builtIn.Id);
        Assert.Equal(["Built-in playbooks cannot be changed; create a custom playbook instead."], result.AllMessages());
        Assert.Equal((1, "Block the attacker IP on the WAF"), (after.Version, after.Name));
        Assert.Empty(await AuditAsync(setup));
    }

    [Fact]
    public async Task Create_IsRefusedWithTheStepMessage_WhenAStatusIsUnknown()
    {
        await using var setup = await StartAsync();

        var (result, id) = await setup.Playbooks.CreateAsync(Contain with { Steps = [Step(PlaybookAction.WafBlockIp), Step(PlaybookAction.ChangeEventStatus, ("status", "Resolved"))] });

        Assert.Null(id);
        Assert.Equal(["Step 2: 'Resolved' is not a status; use Unhandled, Handling, Handled, HandlingFailed, Ignored or FalsePositive."], result.AllMessages());
        Assert.Equal(5, (await setup.Playbooks.ListAsync()).Count);
    }

    [Fact]
    public async Task Delete_IsRefusedNamingTheRule_WhenAnAutomaticRuleRunsThePlaybook()
    {
        await using var setup = await StartAsync();
        var (_, id) = await setup.Playbooks.CreateAsync(Contain);
        var rules = setup.Scoped<ResponseRuleAdministration>();
        var (_, ruleId) = await rules.SaveAsync(null, new ResponseRuleForm("Contain serious attackers", true, ResponseTrigger.Event, true, [], [new ResponseAction(ResponseActionKind.RunPlaybook, id)]));

        var refused = await setup.Playbooks.DeleteAsync(id!.Value);
        var usedBy = (await setup.Playbooks.ListAsync()).Single(p => p.Id == id).UsedBy;
        await rules.DeleteAsync(ruleId!.Value);
        var deleted = await setup.Playbooks.DeleteAsync(id.Value);

        Assert.Equal((ResultStatus.Conflict, "The automatic response rule 'Contain serious attackers' runs this playbook; change or delete it first."), (refused.Status, refused.Message));
        Assert.Equal(["Contain serious attackers"], usedBy);
        Assert.True(deleted.Succeeded);
        Assert.DoesNotContain(await setup.Playbooks.ListAsync(), p => p.Id == id);
        Assert.Equal(("Contain a web attacker", "deleted at version 1"), (await AuditAsync(setup))[^1]);
    }

    [Fact]
    public async Task Delete_IsRefused_WhenThePlaybookIsBuiltIn()
    {
        await using var setup = await StartAsync();
        var builtIn = (await setup.Playbooks.ListAsync()).Single(p => p.Key == BuiltInPlaybooks.Notify);

        var result = await setup.Playbooks.DeleteAsync(builtIn.Id);

        Assert.Equal(["Built-in playbooks cannot be deleted."], result.AllMessages());
    }

    [Fact]
    public async Task DryRun_SaysWhatEachStepWouldDo_AndWritesNothing()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker);
        var (_, id) = await setup.Playbooks.CreateAsync(Contain);

        var run = await setup.Playbooks.DryRunAsync(id!.Value, eventId, null);

        Assert.True(run.Outcome.Succeeded);
        Assert.Equal(("Contain a web attacker", 1, Now.AddHours(6)), (run.PlaybookName, run.Version, run.EndAt!.Value));
        Assert.Equal([Attacker], run.Addresses);
        Assert.Equal(
            [
                $"Step 1 (WafBlockIp): block {Attacker} on Alibaba Cloud WAF waf-1/shop.example.com (account Sandbox Alibaba) until 2026-11-28 18:00 UTC",
                "Step 2 (ChangeThreatLevel): skipped: condition threat_score >= 101 does not hold (would set the event's threat level to Serious; the event is already Serious)",
                "Step 3 (ChangeEventStatus): set the event's status to Handling (reason: blocked on the WAF)",
            ],
            run.Lines.Select(l => l.ToString()));
        Assert.Equal([null, false, true], run.Lines.Select(l => l.ConditionHolds));
        Assert.Empty(run.Notes);

        // Only the instance list was read, to recommend the scope; nothing was created or written.
        Assert.Equal(["list"], setup.Waf.Calls);
        await using var db = await setup.Host.DbAsync();
        Assert.Equal((0, 0), (await db.HandlingPolicies.CountAsync(), await db.HandlingTasks.CountAsync()));
    }

    [Fact]
    public async Task DryRun_RefusesEveryStepForAnAllowListedAddress_WithoutAskingTheCloud()
    {
        await using var setup = await StartAsync(allowList: a => a == "198.51.100.9" ? "partner scanner" : null, settings: new() { ["Response:DryRun"] = "true" });
        var eventId = await AttackAsync(setup, Attacker);
        var (_, id) = await setup.Playbooks.CreateAsync(Contain);

        var run = await setup.Playbooks.DryRunAsync(id!.Value, eventId, "198.51.100.9");

        Assert.Equal(
            [
                "Step 1 (WafBlockIp): block 198.51.100.9 until 2026-11-28 18:00 UTC — refused: 198.51.100.9 is allow-listed (partner scanner); it is never blocked.",
                "Step 2 (ChangeThreatLevel): skipped: condition threat_score >= 101 does not hold (would set the event's threat level to Serious; the event is already Serious) — refused: 198.51.100.9 is allow-listed (partner scanner); it is never blocked.",
                "Step 3 (ChangeEventStatus): set the event's status to Handling (reason: blocked on the WAF) — refused: 198.51.100.9 is allow-listed (partner scanner); it is never blocked.",
            ],
            run.Lines.Select(l => l.ToString()));
        Assert.Equal(["Response:DryRun is on: a real run would only record these steps, and send nothing to a cloud."], run.Notes);
        Assert.Empty(setup.Waf.Calls);
    }

    [Fact]
    public async Task DryRun_BlocksTheGivenAddress_AndRefusesABlockLongerThanTheLimit()
    {
        await using var setup = await StartAsync(settings: new() { ["Response:MaxBlockHours"] = "4" });
        var eventId = await AttackAsync(setup, Attacker);
        var builtIn = (await setup.Playbooks.ListAsync()).Single(p => p.Key == BuiltInPlaybooks.BlockIp);

        var run = await setup.Playbooks.DryRunAsync(builtIn.Id, eventId, " 192.0.2.44 ");

        Assert.Equal(["Step 1 (WafBlockIp): block 192.0.2.44 until 2026-11-29 12:00 UTC — refused: A block lasts at most 4 hours."], run.Lines.Select(l => l.ToString()));
        Assert.Empty(setup.Waf.Calls);
    }

    [Fact]
    public async Task DryRun_SaysNoInstanceWouldAct_WhenNoWafLogSawTheAddress()
    {
        await using var setup = await StartAsync();
        var eventId = await AttackAsync(setup, Attacker);
        var builtIn = (await setup.Playbooks.ListAsync()).Single(p => p.Key == BuiltInPlaybooks.UnblockIp);

        var run = await setup.Playbooks.DryRunAsync(builtIn.Id, eventId, "192.0.2.44");

        Assert.Equal(
            [new DryRunLine(1, PlaybookAction.WafUnblockIp, "192.0.2.44", "unblock 192.0.2.44", null, "No WAF instance to act on: no connected Alibaba Cloud, Huawei Cloud or Tencent Cloud account's WAF logs saw 192.0.2.44.")],
            run.Lines);
        Assert.Null(run.EndAt);
        Assert.Empty(setup.Waf.Calls);
    }

    [Fact]
    public async Task DryRun_ReportsNotFound_WhenTheEventDoesNotExist()
    {
        await using var setup = await StartAsync();
        var builtIn = (await setup.Playbooks.ListAsync()).Single(p => p.Key == BuiltInPlaybooks.BlockIp);

        var run = await setup.Playbooks.DryRunAsync(builtIn.Id, 424242, null);

        Assert.Equal((ResultStatus.NotFound, "The event does not exist."), (run.Outcome.Status, run.Outcome.Message));
        Assert.Empty(run.Lines);
    }
}
