using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Activation;
using Ctdr.Application.Dashboard;
using Ctdr.Application.LogSources;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Dashboard;

public class GettingStartedTests
{
    [Fact]
    public async Task Build_LinksTeamStepForAdmin_UntilASecondUserExists()
    {
        await using var host = await TestHost.StartAsync();
        var adminId = await host.CreateUserAsync("admin@example.com", Roles.Admin);
        host.SignInAs(adminId, "admin@example.com", Roles.Admin);

        var before = await Checklist(host).BuildAsync();
        await host.CreateUserAsync("ana@example.com", Roles.Analyst);
        var after = await Checklist(host).BuildAsync();

        Assert.Equal(["first-admin", "team", "activate", "cloud-account", "log-source", "rules", "response"], before.Select(i => i.Key));
        Assert.Equal([true, false, false, false, false, false, false], before.Select(i => i.Done));
        Assert.Equal("/admin/users", before.Single(i => i.Key == "team").Link);
        Assert.True(after.Single(i => i.Key == "team").Done);
    }

    [Fact]
    public async Task Build_LinksTheIngestionStepsToTheirPages_ForAdmin()
    {
        await using var host = await TestHost.StartAsync();
        var adminId = await host.CreateUserAsync("admin@example.com", Roles.Admin);
        host.SignInAs(adminId, "admin@example.com", Roles.Admin);

        var items = await Checklist(host).BuildAsync();

        Assert.Equal(
            [null, "/admin/users", "/activation", "/accounts", "/log-sources/new", "/rules", null],
            items.Select(i => i.Link));
        // Steps whose pages do not exist yet say so.
        Assert.Equal([true, true, true, true, true, true, false], items.Select(i => i.Available));
    }

    [Fact]
    public async Task Build_MarksActivationAccountAndSourceDone_WhenActivatedWithAnAccountAndAnActiveSource()
    {
        await using var host = await TestHost.StartAsync();
        var adminId = await host.CreateUserAsync("admin@example.com", Roles.Admin);
        host.SignInAs(adminId, "admin@example.com", Roles.Admin);
        using var scope = host.Services.CreateScope();
        var services = scope.ServiceProvider;

        await services.GetRequiredService<ActivationService>().ActivateAsync(logAccessPolicy: false);
        var afterActivation = await Done(host);
        var (onboarded, accountId) = await services.GetRequiredService<CloudAccountAdministration>()
            .OnboardAsync(new AccountForm(CloudProvider.AlibabaCloud, "1234567890123456", "Production", "cn-hangzhou", "LTAI5tAbCdEfGh12", "secret", null));
        Assert.True(onboarded.Succeeded);
        var sources = services.GetRequiredService<LogSourceAdministration>();
        // No connector is registered here: Check Validity fails and the source stays a draft, which does not count.
        var (added, _, outcome) = await sources.AddAsync(new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "Production WAF", LogBinding.AlibabaWafPayAsYouGo("1234567890123456", "cn-hangzhou"), 5));
        Assert.True(added.Succeeded);
        Assert.False(outcome!.Passed);
        var withDraft = await Done(host);
        var (pushed, _, _) = await sources.CreatePushSourceAsync("Edge firewall", null);
        Assert.True(pushed.Succeeded);
        var withActive = await Done(host);

        Assert.Equal((true, false, false), afterActivation);
        Assert.Equal((true, true, false), withDraft);
        Assert.Equal((true, true, true), withActive);
    }

    [Fact]
    public async Task Build_MarksTheRulesStepDone_WhenAPredefinedRuleIsEnabled()
    {
        await using var host = await TestHost.StartAsync();
        var adminId = await host.CreateUserAsync("admin@example.com", Roles.Admin);
        host.SignInAs(adminId, "admin@example.com", Roles.Admin);
        using var scope = host.Services.CreateScope();
        var rules = scope.ServiceProvider.GetRequiredService<Application.Detection.RuleAdministration>();

        var before = (await Checklist(host).BuildAsync()).Single(i => i.Key == "rules").Done;
        var page = await rules.ListAsync(new Application.Detection.RuleFilter(Search: "alibaba-waf-sqli"), new Application.Common.PageRequest(0, 10));
        Assert.True((await rules.SetEnabledAsync(Assert.Single(page.Items).Id, true)).Succeeded);
        var after = (await Checklist(host).BuildAsync()).Single(i => i.Key == "rules").Done;

        Assert.Equal((false, true), (before, after));
    }

    [Fact]
    public async Task Build_OffersNoLinks_ToViewer()
    {
        await using var host = await TestHost.StartAsync();
        await host.CreateUserAsync("admin@example.com", Roles.Admin);
        var viewerId = await host.CreateUserAsync("viewer@example.com", Roles.Viewer);
        host.SignInAs(viewerId, "viewer@example.com", Roles.Viewer);

        var items = await Checklist(host).BuildAsync();

        Assert.All(items, i => Assert.Null(i.Link));
        Assert.Equal([true, true], items.Take(2).Select(i => i.Done));
    }

    [Fact]
    public async Task SystemStatus_ReportsProviderJobsAndLiveFeed()
    {
        await using var host = await TestHost.StartAsync();

        var status = await host.Get<ISystemStatusProbe>().ReadAsync();

        Assert.Equal("SQLite", status.DatabaseProvider);
        Assert.True(status.DatabaseReachable);
        Assert.Equal(new JobServersStatus(0, false, "InMemory"), status.Jobs);
        Assert.Equal("in-process", status.LiveFeed.Transport);
        Assert.True(status.LiveFeed.Connected);
    }

    private static GettingStarted Checklist(TestHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<GettingStarted>();

    private static async Task<(bool Activated, bool Account, bool Source)> Done(TestHost host)
    {
        var items = (await Checklist(host).BuildAsync()).ToDictionary(i => i.Key, i => i.Done);
        return (items["activate"], items["cloud-account"], items["log-source"]);
    }
}
