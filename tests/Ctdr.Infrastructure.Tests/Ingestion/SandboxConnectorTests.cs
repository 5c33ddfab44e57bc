using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Sandbox;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Ingestion;

/// <summary>The product's connectors against the sandbox cloud, for every sandbox account: only the endpoint differs from the real clouds.</summary>
public sealed class SandboxConnectorTests
{
    private static async Task<(TestHost Host, TestSandbox Sandbox, IReadOnlyList<SandboxAccount> Accounts)> StartAsync()
    {
        var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Enabled"] = "true" });
        host.CurrentUser.User = TestCurrentUser.Admin();
        var sandbox = await TestSandbox.StartAsync(host.Clock);
        host.Get<SandboxEndpoint>().Set(sandbox.Address);
        var accounts = await host.Get<ISandboxDirectory>().ListAccountsAsync(CancellationToken.None);
        return (host, sandbox, accounts);
    }

    [Fact]
    public async Task Directory_DescribesTheThreeSandboxAccounts_WithTheirLogBindings()
    {
        var (host, sandbox, accounts) = await StartAsync();
        await using var _h = host;
        await using var _s = sandbox;

        Assert.Equal([CloudProvider.AlibabaCloud, CloudProvider.HuaweiCloud, CloudProvider.TencentCloud], accounts.Select(a => a.Provider));
        Assert.All(accounts, a => Assert.Equal(sandbox.Address, a.Endpoint));
        Assert.Equal(
            [(LogProduct.AlibabaWaf, "wafnew-project-5000000000000001-cn-hangzhou", "wafnew-logstore"),
             (LogProduct.AlibabaCloudFirewall, "cloudfirewall-project-5000000000000001-cn-hangzhou", "cloudfirewall-logstore"),
             (LogProduct.AlibabaActionTrail, "actiontrail-project-5000000000000001-cn-hangzhou", "actiontrail_sandbox-trail")],
            accounts[0].LogSources.Select(s => (s.Product, s.Binding.Project!, s.Binding.LogStore!)));
        Assert.Equal(new LogBinding("cn-north-4", SandboxAccounts.Huawei.ProjectId, LogGroup: SandboxAccounts.Huawei.WafLogGroup.LogGroupId, LogStream: SandboxAccounts.Huawei.WafLogGroup.Streams[0].LogStreamId), accounts[1].LogSources.Single().Binding);
        Assert.Equal(new LogBinding("ap-guangzhou", Topic: SandboxAccounts.Tencent.Topics[0].TopicId), accounts[2].LogSources.Single().Binding);
    }

    [Fact]
    public async Task ConnectSandbox_OnboardsEveryAccount_WhoseCredentialsAndBindingsAreValid()
    {
        var (host, sandbox, _) = await StartAsync();
        await using var _h = host;
        await using var _s = sandbox;
        foreach (var stream in new[] { "alibaba-waf", "alibaba-cloudfirewall", "alibaba-actiontrail", "huawei-waf-attack", "tencent-waf" })
        {
            await sandbox.GenerateAsync(stream, 30);
        }

        using var scope = host.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<CloudAccountAdministration>();
        await scope.ServiceProvider.GetRequiredService<Application.Activation.ActivationService>().ActivateAsync(logAccessPolicy: true);
        var (result, added) = await accounts.ConnectSandboxAsync();
        var (_, again) = await accounts.ConnectSandboxAsync();

        Assert.True(result.Succeeded);
        Assert.Equal((3, 0), (added, again));
        var rows = await accounts.ListAsync();
        foreach (var row in rows)
        {
            var check = await accounts.TestCredentialsAsync(row.Id);
            Assert.True(check.Succeeded, $"{row.Provider}: {check.Detail}");
        }

        var sources = await scope.ServiceProvider.GetRequiredService<LogSourceAdministration>().ListAsync();
        Assert.Equal(5, sources.Count);

        // The query APIs (LTS, CLS) read windows that end a minute before now, so records still being indexed count.
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var ingestion = host.Get<Application.Logs.LogIngestion>();
        var stored = new Dictionary<string, int>();
        foreach (var source in sources)
        {
            var report = await ingestion.PullAsync(source.Id, CancellationToken.None);
            stored[source.Name] = report.Stored;
        }

        Assert.Equal(
            new Dictionary<string, int>
            {
                ["Sandbox ActionTrail audit events"] = 30,
                ["Sandbox Cloud Firewall traffic logs"] = 30,
                ["Sandbox Huawei WAF attack log"] = 30,
                ["Sandbox Tencent WAF"] = 30,
                ["Sandbox WAF 3.0 access and protection logs"] = 30,
            },
            stored);
        Assert.All(sources, s => Assert.True(s.Status == LogSourceStatus.Active, $"{s.Name}: {string.Join("; ", s.ValiditySteps.Select(v => $"{v.Name} {v.Status} {v.Detail} {v.ErrorCode}"))}"));
        Assert.All(sources, s => Assert.Equal(["Credentials", s.Provider == CloudProvider.AlibabaCloud ? "Project" : s.Provider == CloudProvider.HuaweiCloud ? "Log group" : "Topic"], s.ValiditySteps.Take(2).Select(v => v.Name)));
    }

    [Theory]
    [InlineData("wrong secret", "wafnew-project-5000000000000001-cn-hangzhou", "wafnew-logstore", "Credentials", "SignatureNotMatch")]
    [InlineData("SbxFullAccessSecret00000000001", "wafnew-project-5000000000000001-cn-shanghai", "wafnew-logstore", "Project", "ProjectNotExist")]
    [InlineData("SbxFullAccessSecret00000000001", "wafnew-project-5000000000000001-cn-hangzhou", "no-such-logstore", "Logstore", "LogStoreNotExist")]
    public async Task CheckValidity_NamesTheFailingStepWithTheProvidersCode_AgainstTheSandbox(string secret, string project, string logStore, string failedStep, string code)
    {
        var (host, sandbox, _) = await StartAsync();
        await using var _h = host;
        await using var _s = sandbox;
        using var scope = host.Services.CreateScope();
        var (_, accountId) = await scope.ServiceProvider.GetRequiredService<CloudAccountAdministration>()
            .OnboardAsync(sandbox.AlibabaForm() with { AccessKeySecret = secret.Replace(' ', '-') });

        var (result, outcome) = await scope.ServiceProvider.GetRequiredService<LogSourceAdministration>()
            .CheckValidityAsync(new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "WAF", new LogBinding("cn-hangzhou", project, logStore), 5));

        Assert.True(result.Succeeded);
        Assert.False(outcome!.Passed);
        var failed = Assert.Single(outcome.Steps, s => s.Status == ValidityStepStatus.Failed);
        Assert.Equal((failedStep, code), (failed.Name, failed.ErrorCode));
        var names = outcome.Steps.Select(s => s.Name).ToList();
        Assert.Equal(["Credentials", "Project", "Logstore", "Read permission", "Sample record parses"], names);
        Assert.All(outcome.Steps.Skip(names.IndexOf(failedStep) + 1), s => Assert.Equal(ValidityStepStatus.Skipped, s.Status));
        Assert.All(outcome.Steps.Take(names.IndexOf(failedStep)), s => Assert.Equal(ValidityStepStatus.Passed, s.Status));
    }

    [Fact]
    public async Task CheckValidity_FailsTheReadPermissionStep_ForAKeyWithoutReadRights()
    {
        var (host, sandbox, _) = await StartAsync();
        await using var _h = host;
        await using var _s = sandbox;
        using var scope = host.Services.CreateScope();
        var readDenied = SandboxAccounts.Alibaba.ReadDenied;
        var (_, accountId) = await scope.ServiceProvider.GetRequiredService<CloudAccountAdministration>()
            .OnboardAsync(sandbox.AlibabaForm() with { AccessKeyId = readDenied.AccessKeyId, AccessKeySecret = readDenied.AccessKeySecret });

        var (_, outcome) = await scope.ServiceProvider.GetRequiredService<LogSourceAdministration>()
            .CheckValidityAsync(new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), 5));

        var failed = Assert.Single(outcome!.Steps, s => s.Status == ValidityStepStatus.Failed);
        Assert.Equal(("Read permission", "Unauthorized"), (failed.Name, failed.ErrorCode));
    }
}
