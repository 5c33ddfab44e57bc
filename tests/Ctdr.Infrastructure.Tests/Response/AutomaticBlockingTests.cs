using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Detection;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Response;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>
/// The seed's usage example below the browser, on real components: the sandbox's attack is pulled, detected and
/// correlated; an automatic response rule runs the WAF IP-blocking playbook; the Alibaba Cloud WAF (sandbox, real
/// OpenAPI) blocks the attacker with Ctdr's rule; the attacker's later requests are logged as blocked by exactly that
/// rule; unblocking removes the address, and the attacker's traffic is no longer blocked by it.
/// </summary>
public sealed class AutomaticBlockingTests
{
    private const string Attacker = "203.0.113.66";

    [Fact]
    public async Task KillChain_IsBlockedOnTheWafByTheAutomaticRule_UntilUnblocked()
    {
        await using var host = await TestHost.StartAsync(now: new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        host.CurrentUser.User = TestCurrentUser.Admin();
        await using var sandbox = await TestSandbox.StartAsync(host.Clock);
        using var scope = host.Services.CreateScope();
        var services = scope.ServiceProvider;
        var (_, accountId) = await services.GetRequiredService<CloudAccountAdministration>().OnboardAsync(sandbox.AlibabaForm());
        var (_, sourceId, _) = await services.GetRequiredService<LogSourceAdministration>().AddAsync(
            new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "Sandbox WAF", LogBinding.AlibabaWafPayAsYouGo(SandboxAccounts.AliUid, SandboxAccounts.AlibabaRegion), 5));
        await services.GetRequiredService<RuleAdministration>().EnablePredefinedAsync(LogProduct.AlibabaWaf);
        var playbooks = await services.GetRequiredService<HandlingAdministration>().PlaybooksAsync();
        var (saved, _) = await services.GetRequiredService<ResponseRuleAdministration>().SaveAsync(null, new ResponseRuleForm(
            "Block web attackers", true, ResponseTrigger.Event, true, [], [new ResponseAction(ResponseActionKind.RunPlaybook, playbooks.Single(p => p.Key == BuiltInPlaybooks.BlockIp).Id)]));
        Assert.True(saved.Succeeded);

        // The attack happens; Ctdr pulls, detects, correlates, fires the rule and runs the playbook.
        await sandbox.GenerateAsync("alibaba-waf", 40, "killchain");
        await PullAsync(host, sourceId!.Value);
        await host.Get<Detector>().RunOnceAsync(CancellationToken.None);
        await host.Get<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        await host.Get<AutomaticResponse>().RunOnceAsync(CancellationToken.None);
        await host.Get<ResponseWorker>().RunOnceAsync(CancellationToken.None);

        var handling = services.GetRequiredService<HandlingAdministration>();
        var policy = Assert.Single((await handling.ListPoliciesAsync(new DisposalFilter(), new Application.Common.PageRequest(0, 10))).Items);
        var task = Assert.Single((await handling.ListTasksAsync(new DisposalFilter(), new Application.Common.PageRequest(0, 10))).Items);
        Assert.Equal((Attacker, PolicyStatus.Active, true, "rule:Block web attackers"), (policy.Target, policy.Status, policy.Effective, policy.CreatedBy));
        Assert.Equal((HandlingTaskStatus.Succeeded, SandboxAccounts.AlibabaWafInstanceId, true), (task.Status, task.InstanceId, task.Effective));
        Assert.NotNull(task.CloudRuleId);

        // The attacker's later requests are blocked by exactly that rule.
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await sandbox.GenerateAsync("alibaba-waf", 20, "killchain");
        var blocked = await AttackerLogsAsync(host, sourceId.Value, after: 0);
        Assert.Equal(20, blocked.Count(l => l.Time > host.Clock.GetUtcNow().AddSeconds(-30)));
        var later = blocked.Where(l => l.Time > host.Clock.GetUtcNow().AddSeconds(-30)).ToList();
        Assert.All(later, l => Assert.Equal((task.CloudRuleId, (int)OcsfDisposition.Blocked), (l.FirewallRuleUid, l.DispositionId)));

        // Unblock from the Disposal Center: the address leaves the rule, and the attacker's traffic is no longer blocked by it.
        Assert.True((await handling.RevertAsync(policy.Id)).Succeeded);
        await host.Get<ResponseWorker>().RunOnceAsync(CancellationToken.None);
        var lastId = blocked.Max(l => l.Id);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await sandbox.GenerateAsync("alibaba-waf", 20, "killchain");
        var afterUnblock = await AttackerLogsAsync(host, sourceId.Value, after: lastId);
        var reverted = Assert.Single((await handling.ListPoliciesAsync(new DisposalFilter(), new Application.Common.PageRequest(0, 10))).Items);
        Assert.Equal((PolicyStatus.Reverted, false), (reverted.Status, reverted.Effective));
        Assert.Equal(20, afterUnblock.Count);
        Assert.DoesNotContain(afterUnblock, l => l.FirewallRuleUid == task.CloudRuleId);
    }

    private static async Task PullAsync(TestHost host, long sourceId)
    {
        for (var i = 0; i < 20; i++)
        {
            var report = await host.Get<LogIngestion>().PullAsync(sourceId, CancellationToken.None);
            if (report.Received == 0)
            {
                break;
            }
        }
    }

    private static async Task<List<Ctdr.Infrastructure.LogStore.LogRow>> AttackerLogsAsync(TestHost host, long sourceId, long after)
    {
        await PullAsync(host, sourceId);
        await using var db = await host.DbAsync();
        return await db.SecurityLogs.AsNoTracking().Where(l => l.SourceId == sourceId && l.SrcIp == Attacker && l.Id > after).OrderBy(l => l.Id).ToListAsync();
    }
}
