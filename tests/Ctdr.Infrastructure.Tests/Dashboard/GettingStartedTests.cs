using Ctdr.Application.Access;
using Ctdr.Application.Dashboard;
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
        // Steps whose pages do not exist yet carry no link.
        Assert.All(after.Where(i => i.Key is not "team"), i => Assert.Null(i.Link));
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
}
