using Ctdr.Application.Access;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Detection;

/// <summary>The custom rule lifecycle, tests on pasted records, backtests over stored logs, and alert triage.</summary>
public sealed class RuleAdministrationTests
{
    private const string Rule = """
        rule admin-probe
        title "Admin console probed"
        severity medium
        products ThirdPartyOcsf
        attack TA0043 T1595.003
        where http_request.url.path startswith "/admin"
        entities ip = src_endpoint.ip
        suppress 1h
        """;


    [Fact]
    public async Task Lifecycle_GoesDraftTestedShadowLive_AndRefusesShortcuts()
    {
        await using var host = await TestHost.StartAsync();
        host.CurrentUser.User = TestCurrentUser.Admin();
        using var scope = host.Services.CreateScope();
        var rules = scope.ServiceProvider.GetRequiredService<RuleAdministration>();
        var saved = await rules.CreateAsync(Rule);
        var id = saved.RuleId!.Value;

        var liveTooEarly = await rules.GoLiveAsync(id);
        var shadowTooEarly = await rules.StartShadowAsync(id);
        var (noSamples, _) = await rules.TestSamplesAsync(id);
        var (_, pasted) = await rules.TestPastedAsync(
            Rule,
            """{"class_uid":4002,"activity_id":3,"time":"2026-01-01T00:00:00Z","metadata":{"uid":"p1"},"src_endpoint":{"ip":"203.0.113.7"},"http_request":{"url":{"path":"/admin/login"}}}""",
            LogProduct.ThirdPartyOcsf,
            id);
        var afterPaste = (await rules.GetAsync(id))!.Row.State;
        var shadow = await rules.StartShadowAsync(id);
        var live = await rules.GoLiveAsync(id);
        var edited = await rules.UpdateAsync(id, Rule.Replace("severity medium", "severity high", StringComparison.Ordinal));
        var afterEdit = (await rules.GetAsync(id))!.Row;

        Assert.False(liveTooEarly.Succeeded);
        Assert.False(shadowTooEarly.Succeeded);
        Assert.False(noSamples.Succeeded);
        Assert.Single(pasted!.Alerts);
        Assert.Equal(RuleState.TestedOnSamples, afterPaste);
        Assert.True(shadow.Succeeded);
        Assert.True(live.Succeeded);
        Assert.True(edited.Outcome.Succeeded);
        Assert.Equal((RuleState.Draft, RuleSeverity.High, 2), (afterEdit.State, afterEdit.Severity, afterEdit.Version));
    }

    [Fact]
    public async Task Create_ReportsParseErrorsWithPositions_AndRefusesViewers()
    {
        await using var host = await TestHost.StartAsync();
        host.CurrentUser.User = TestCurrentUser.Admin();
        using var scope = host.Services.CreateScope();
        var rules = scope.ServiceProvider.GetRequiredService<RuleAdministration>();

        var wrong = await rules.CreateAsync(Rule.Replace("http_request.url.path", "http_request.url.pth", StringComparison.Ordinal));
        host.CurrentUser.User = new CurrentUserInfo("viewer", "viewer@example.com", [Roles.Viewer], null);

        Assert.False(wrong.Outcome.Succeeded);
        var problem = Assert.Single(wrong.Problems);
        Assert.Equal((6, 7), (problem.Line, problem.Column));
        await Assert.ThrowsAsync<AccessDeniedException>(() => rules.CreateAsync(Rule));
    }

    [Fact]
    public async Task Backtest_CountsWhatTheRuleWouldHaveRaised_OverTheStoredLogsOfTheRange()
    {
        // A whole hour, so that the two matches five minutes apart fall in one suppression period (periods align to the epoch).
        await using var host = await TestHost.StartAsync(now: new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        host.CurrentUser.User = TestCurrentUser.Admin();
        var now = host.Clock.GetUtcNow();
        using var scope = host.Services.CreateScope();
        var (pushed, source, _) = await scope.ServiceProvider.GetRequiredService<LogSourceAdministration>().CreatePushSourceAsync("Edge WAF", null);
        Assert.True(pushed.Succeeded);
        SecurityLog[] logs =
        [
            TestLogs.Waf(source!.Value, "a1", now.AddHours(-30), "203.0.113.1", "/admin"),
            TestLogs.Waf(source.Value, "a2", now.AddHours(-2), "203.0.113.7", "/admin/login"),
            TestLogs.Waf(source.Value, "a3", now.AddHours(-2).AddMinutes(5), "203.0.113.7", "/admin/users"),
            TestLogs.Waf(source.Value, "a4", now.AddHours(-1), "198.51.100.9", "/administrator"),
            TestLogs.Waf(source.Value, "a5", now.AddMinutes(-10), "203.0.113.7", "/index.html"),
        ];
        await host.Get<ILogStore>().AppendAsync(new LogBatch(source.Value, null, null, logs, [], 0, now), CancellationToken.None);

        var (problems, result) = await scope.ServiceProvider.GetRequiredService<RuleAdministration>().BacktestAsync(Rule.Replace("ThirdPartyOcsf", "AlibabaWaf", StringComparison.Ordinal), 24);

        Assert.Empty(problems);
        Assert.Equal((4, 3, 2), (result!.LogsScanned, (int)result.Matches, result.Alerts));
        Assert.Equal(["203.0.113.7", "198.51.100.9"], result.Sample.Select(a => a.Entities.Single().Value));
        Assert.Equal(2, result.Sample[0].Count);
    }

    [Fact]
    public async Task Triage_AcknowledgesThenClosesWithAReason_AndRefusesViewers()
    {
        await using var host = await TestHost.StartAsync();
        host.CurrentUser.User = TestCurrentUser.Admin();
        using var scope = host.Services.CreateScope();
        var rules = scope.ServiceProvider.GetRequiredService<RuleAdministration>();
        var sqli = Assert.Single((await rules.ListAsync(new RuleFilter(Search: "alibaba-waf-sqli"), new PageRequest(0, 10))).Items);
        long alertId;
        await using (var db = await host.DbAsync())
        {
            var rule = await db.DetectionRules.SingleAsync(r => r.Id == sqli.Id);
            var now = host.Clock.GetUtcNow();
            var evidence = new EvidenceRef(1, 1, "u1", now);
            var alert = Alert.Raise(new Application.Detection.Engine.AlertDraft("fp", rule.Id, rule.Key, RuleMode.Live, Application.Accounts.CloudProvider.AlibabaCloud, null, LogProduct.AlibabaWaf, 1, now, now, [evidence], [new AlertEntity(EntityKind.Ip, "203.0.113.7")], evidence, null), rule, now);
            db.Alerts.Add(alert);
            await db.SaveChangesAsync();
            alertId = alert.Id;
        }

        var alerts = scope.ServiceProvider.GetRequiredService<AlertQueries>();
        var acknowledged = await alerts.AcknowledgeAsync(alertId);
        var noReason = await alerts.CloseAsync(alertId, " ");
        var closed = await alerts.CloseAsync(alertId, "our own scan");
        var details = await alerts.GetAsync(alertId);
        host.CurrentUser.User = new CurrentUserInfo("viewer", "viewer@example.com", [Roles.Viewer], null);

        Assert.True(acknowledged.Succeeded);
        Assert.Equal(["Say why the alert is closed."], noReason.AllMessages());
        Assert.True(closed.Succeeded);
        Assert.Equal((AlertStatus.Closed, "our own scan", "admin@example.com"), (details!.Row.Status, details.StatusReason, details.StatusBy));
        await Assert.ThrowsAsync<AccessDeniedException>(() => alerts.AcknowledgeAsync(alertId));
    }

    [Fact]
    public async Task List_FiltersByTabProductProviderTacticAndEnablingStatus()
    {
        await using var host = await TestHost.StartAsync();
        host.CurrentUser.User = TestCurrentUser.Admin();
        using var scope = host.Services.CreateScope();
        var rules = scope.ServiceProvider.GetRequiredService<RuleAdministration>();
        var all = Application.Detection.Library.PredefinedRules.All;
        await rules.CreateAsync(Rule);
        await rules.EnablePredefinedAsync(LogProduct.TencentWaf);
        var page = new PageRequest(0, 200);

        var predefined = await rules.ListAsync(new RuleFilter(Origin: RuleOrigin.Predefined), page);
        var custom = await rules.ListAsync(new RuleFilter(CustomTab: true), page);
        var huawei = await rules.ListAsync(new RuleFilter(Origin: RuleOrigin.Predefined, Provider: Application.Accounts.CloudProvider.HuaweiCloud), page);
        var firewall = await rules.ListAsync(new RuleFilter(Origin: RuleOrigin.Predefined, Product: LogProduct.AlibabaCloudFirewall), page);
        var impact = await rules.ListAsync(new RuleFilter(Origin: RuleOrigin.Predefined, Tactic: "TA0040"), page);
        var enabled = await rules.ListAsync(new RuleFilter(Enabled: true), page);

        Assert.Equal(all.Count, predefined.TotalCount);
        Assert.Equal(["admin-probe"], custom.Items.Select(r => r.Key));
        Assert.Equal(all.Where(r => r.Products.Contains(LogProduct.HuaweiWaf)).Select(r => r.Id).Order(), huawei.Items.Select(r => r.Key).Order());
        Assert.Equal(all.Where(r => r.Products.Contains(LogProduct.AlibabaCloudFirewall)).Select(r => r.Id).Order(), firewall.Items.Select(r => r.Key).Order());
        Assert.Equal(all.Where(r => r.Tactic == "TA0040").Select(r => r.Id).Order(), impact.Items.Select(r => r.Key).Order());
        Assert.Equal(all.Where(r => r.Products.Contains(LogProduct.TencentWaf)).Select(r => r.Id).Order(), enabled.Items.Select(r => r.Key).Order());
    }
}
