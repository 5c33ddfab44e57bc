using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Detection;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Detection;

/// <summary>
/// The detector on real components: the sandbox's WAF logs pulled through the real connector into SQLite, the
/// predefined rules, alerts committed with the checkpoint. Runs repeat, restart, compete and fail without a lost or
/// duplicated alert.
/// </summary>
public sealed class DetectorTests
{
    private const string Attacker = "203.0.113.7";

    private sealed record Setup(TestHost Host, TestSandbox Sandbox, long SourceId, CommitFaults Faults) : IAsyncDisposable
    {
        public Detector Detector => Host.Get<Detector>();

        public async ValueTask DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    /// <summary>Fails the next commits that write alerts, as a crash between evaluation and commit would.</summary>
    private sealed class CommitFaults : SaveChangesInterceptor
    {
        public int FailNext { get; set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (FailNext > 0 && eventData.Context!.ChangeTracker.Entries<Alert>().Any())
            {
                FailNext--;
                throw new DbUpdateException("Injected commit failure.");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var faults = new CommitFaults();
        var host = await TestHost.StartAsync(configure: services => services.AddSingleton<IInterceptor>(faults));
        host.CurrentUser.User = TestCurrentUser.Admin();
        var sandbox = await TestSandbox.StartAsync(host.Clock);
        using var scope = host.Services.CreateScope();
        var (_, accountId) = await scope.ServiceProvider.GetRequiredService<Application.Accounts.CloudAccountAdministration>().OnboardAsync(sandbox.AlibabaForm());
        var (added, sourceId, _) = await scope.ServiceProvider.GetRequiredService<LogSourceAdministration>().AddAsync(
            new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "Sandbox WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), 5));
        Assert.True(added.Succeeded);
        return new Setup(host, sandbox, sourceId!.Value, faults);
    }

    private static async Task EnableWafRulesAsync(Setup setup)
    {
        using var scope = setup.Host.Services.CreateScope();
        var enabled = await scope.ServiceProvider.GetRequiredService<RuleAdministration>().EnablePredefinedAsync(LogProduct.AlibabaWaf);
        Assert.True(enabled >= 8, $"{enabled} rules enabled");
    }

    private static async Task<int> IngestAsync(Setup setup, int count, string scenario)
    {
        await setup.Sandbox.GenerateAsync("alibaba-waf", count, scenario);
        var stored = 0;
        for (var i = 0; i < 20; i++)
        {
            var report = await setup.Host.Get<LogIngestion>().PullAsync(setup.SourceId, CancellationToken.None);
            stored += report.Stored;
            if (report.Received == 0)
            {
                break;
            }
        }

        return stored;
    }

    private static async Task<List<Alert>> AlertsAsync(Setup setup)
    {
        await using var db = await setup.Host.DbAsync();
        return await db.Alerts.AsNoTracking().Include(a => a.Evidence).OrderBy(a => a.RuleKey).ToListAsync();
    }

    private static string Describe(IEnumerable<Alert> alerts) =>
        string.Join("; ", alerts.Select(a => $"{a.RuleKey} ip={a.Ip} count={a.Count}"));

    [Fact]
    public async Task Run_RaisesTheSqlInjectionAlerts_WhenTheSandboxCampaignIsPulled()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        Assert.Equal(40, await IngestAsync(setup, 40, "sqli"));

        var run = await setup.Detector.RunOnceAsync(CancellationToken.None);

        Assert.True(run.Active);
        Assert.Equal(40, run.LogsRead);
        var alerts = await AlertsAsync(setup);
        Assert.Equal(["alibaba-waf-scanner-user-agent", "alibaba-waf-sqli"], alerts.Select(a => a.RuleKey));
        var sqli = alerts.Single(a => a.RuleKey == "alibaba-waf-sqli");
        Assert.Equal(40, sqli.Count);
        Assert.Equal(Attacker, sqli.Ip);
        Assert.Equal("shop.example.com", sqli.Asset);
        Assert.False(sqli.IsShadow);
        Assert.Equal(20, sqli.Evidence.Count);
        await using var db = await setup.Host.DbAsync();
        var evidenceIds = sqli.Evidence.Select(e => e.LogId).ToList();
        Assert.Equal(20, await db.SecurityLogs.CountAsync(l => evidenceIds.Contains(l.Id) && l.SrcIp == Attacker && l.SourceId == setup.SourceId));
    }

    [Fact]
    public async Task Run_RaisesTheThresholdAlert_OnceTheWindowPassesTheLatenessBound()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        await IngestAsync(setup, 40, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);
        Assert.DoesNotContain(await AlertsAsync(setup), a => a.RuleKey == "alibaba-waf-blocked-burst");

        // Nothing new arrives: after the lateness bound the source is idle and its records are released to windows.
        setup.Host.Clock.Advance(TimeSpan.FromSeconds(11));
        await setup.Detector.RunOnceAsync(CancellationToken.None);

        var burst = Assert.Single(await AlertsAsync(setup), a => a.RuleKey == "alibaba-waf-blocked-burst");
        Assert.Equal(Attacker, burst.Ip);
        Assert.Equal(40, burst.Value);
        Assert.Equal(11, burst.Count);
    }

    [Fact]
    public async Task Run_AnnouncesEachNewAndChangedAlert_OnTheLiveFeed()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        var messages = new List<Application.Live.LiveMessage>();
        var fourth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = setup.Host.Get<Application.Live.ILiveFeed>().Subscribe((m, _) =>
        {
            if (m.Kind == Application.Live.LiveKinds.Alert)
            {
                lock (messages)
                {
                    messages.Add(m);
                    if (messages.Count == 4)
                    {
                        fourth.SetResult();
                    }
                }
            }

            return ValueTask.CompletedTask;
        });

        await IngestAsync(setup, 20, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);
        await IngestAsync(setup, 20, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);

        // The feed delivers on its own thread; the wait only guards against a hang.
        await fourth.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var alerts = await AlertsAsync(setup);
        string Id(string key) => alerts.Single(a => a.RuleKey == key).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (messages)
        {
            Assert.Equal(
                new[]
                {
                    ("Alert: " + alerts.Single(a => a.RuleKey == "alibaba-waf-scanner-user-agent").RuleTitle, Id("alibaba-waf-scanner-user-agent")),
                    ("Alert: " + alerts.Single(a => a.RuleKey == "alibaba-waf-sqli").RuleTitle, Id("alibaba-waf-sqli")),
                    ("Alert updated: " + alerts.Single(a => a.RuleKey == "alibaba-waf-scanner-user-agent").RuleTitle + " (40)", Id("alibaba-waf-scanner-user-agent")),
                    ("Alert updated: " + alerts.Single(a => a.RuleKey == "alibaba-waf-sqli").RuleTitle + " (40)", Id("alibaba-waf-sqli")),
                }.Order(),
                messages.Select(m => (m.Text, m.SubjectId!)).Order());
        }
    }

    [Fact]
    public async Task Run_ChangesNothing_WhenRepeatedOrRestarted()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        await IngestAsync(setup, 40, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);
        setup.Host.Clock.Advance(TimeSpan.FromSeconds(11));
        await setup.Detector.RunOnceAsync(CancellationToken.None);
        var before = Describe(await AlertsAsync(setup));

        var again = await setup.Detector.RunOnceAsync(CancellationToken.None);
        setup.Detector.Reset();
        var restarted = await setup.Detector.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, again.LogsRead);
        Assert.Equal(0, restarted.LogsRead);
        Assert.Equal(before, Describe(await AlertsAsync(setup)));
    }

    [Fact]
    public async Task Run_ContinuesExactly_AfterARestartBetweenBatches()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        await IngestAsync(setup, 20, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);

        setup.Detector.Reset();
        await IngestAsync(setup, 20, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);
        setup.Host.Clock.Advance(TimeSpan.FromSeconds(11));
        await setup.Detector.RunOnceAsync(CancellationToken.None);

        var alerts = await AlertsAsync(setup);
        Assert.Equal(40, alerts.Single(a => a.RuleKey == "alibaba-waf-sqli").Count);
        Assert.Equal(11, alerts.Single(a => a.RuleKey == "alibaba-waf-blocked-burst").Count);
    }

    [Fact]
    public async Task Run_LosesAndDuplicatesNothing_WhenTheCommitFails()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        await IngestAsync(setup, 40, "sqli");
        setup.Faults.FailNext = 2;

        await Assert.ThrowsAsync<DbUpdateException>(() => setup.Detector.RunOnceAsync(CancellationToken.None));
        await using (var db = await setup.Host.DbAsync())
        {
            Assert.Equal(0, await db.Alerts.CountAsync());
            Assert.Equal(0, (await db.DetectionStates.SingleAsync()).Checkpoint);
        }

        // The failed run's in-memory state is not the truth: the next run starts from the committed checkpoint.
        setup.Detector.Reset();
        await Assert.ThrowsAsync<DbUpdateException>(() => setup.Detector.RunOnceAsync(CancellationToken.None));
        setup.Detector.Reset();
        await setup.Detector.RunOnceAsync(CancellationToken.None);

        var sqli = Assert.Single(await AlertsAsync(setup), a => a.RuleKey == "alibaba-waf-sqli");
        Assert.Equal(40, sqli.Count);
    }

    [Fact]
    public async Task Run_IsActiveOnOneDetectorOnly_WhenTwoCompete()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        await IngestAsync(setup, 40, "sqli");
        using var other = ActivatorUtilities.CreateInstance<Detector>(setup.Host.Services);

        var first = await setup.Detector.RunOnceAsync(CancellationToken.None);
        var second = await other.RunOnceAsync(CancellationToken.None);

        Assert.True(first.Active);
        Assert.False(second.Active);
        Assert.Equal(40, Assert.Single(await AlertsAsync(setup), a => a.RuleKey == "alibaba-waf-sqli").Count);
    }

    [Fact]
    public async Task Run_SuppressesAndCounts_WhenAnAllowListEntryMatches()
    {
        await using var setup = await StartAsync();
        await EnableWafRulesAsync(setup);
        using (var scope = setup.Host.Services.CreateScope())
        {
            var (result, _) = await scope.ServiceProvider.GetRequiredService<AlertAllowList>().AddAsync(
                new AllowListForm("alibaba-waf-sqli", $"src_endpoint.ip = \"{Attacker}\"", "our own penetration test"));
            Assert.True(result.Succeeded, result.Message);
        }

        await IngestAsync(setup, 40, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);

        var alerts = await AlertsAsync(setup);
        Assert.DoesNotContain(alerts, a => a.RuleKey == "alibaba-waf-sqli");
        Assert.Contains(alerts, a => a.RuleKey == "alibaba-waf-scanner-user-agent");
        await using var db = await setup.Host.DbAsync();
        var entry = await db.AlertAllowList.SingleAsync();
        Assert.Equal(40, entry.SuppressedCount);
    }

    [Fact]
    public async Task Run_RecordsShadowAlerts_ForACustomRuleInShadowMode()
    {
        await using var setup = await StartAsync();
        long ruleId;
        using (var scope = setup.Host.Services.CreateScope())
        {
            var rules = scope.ServiceProvider.GetRequiredService<RuleAdministration>();
            var text = """
                rule blocked-from-attacker
                title "Blocked requests from the test attacker"
                severity low
                products AlibabaWaf
                where disposition_id = 2 and src_endpoint.ip cidr "203.0.113.0/24"
                entities ip = src_endpoint.ip
                suppress 1h
                sample match "blocked"
                  {"time":"2026-01-01T00:00:00Z","real_client_ip":"203.0.113.9","host":"a.example.com","request_path":"/","request_traceid":"s1","status":"405","final_action":"block","final_plugin":"waf"}
                end
                sample nomatch "allowed"
                  {"time":"2026-01-01T00:00:00Z","real_client_ip":"203.0.113.9","host":"a.example.com","request_path":"/","request_traceid":"s2","status":"200"}
                end
                """;
            var saved = await rules.CreateAsync(text);
            Assert.True(saved.Outcome.Succeeded, string.Join(" ", saved.Problems));
            ruleId = saved.RuleId!.Value;
            Assert.False((await rules.StartShadowAsync(ruleId)).Succeeded);
            var (tested, outcomes) = await rules.TestSamplesAsync(ruleId);
            Assert.True(tested.Succeeded, string.Join(" ", outcomes.SelectMany(o => o.Problems)));
            Assert.True((await rules.StartShadowAsync(ruleId)).Succeeded);
        }

        await IngestAsync(setup, 40, "sqli");
        await setup.Detector.RunOnceAsync(CancellationToken.None);

        var alert = Assert.Single(await AlertsAsync(setup));
        Assert.Equal(ruleId, alert.RuleId);
        Assert.True(alert.IsShadow);
        Assert.Equal(40, alert.Count);
    }
}
