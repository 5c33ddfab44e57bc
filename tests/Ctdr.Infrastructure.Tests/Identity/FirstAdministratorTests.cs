using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Tests.Identity;

public class FirstAdministratorTests
{
    [Fact]
    public async Task Create_MakesAnAdministrator_WhenNoneExists()
    {
        await using var host = await TestHost.StartAsync();
        var first = host.Get<FirstAdministrator>();
        Assert.True(await first.IsNeededAsync());

        var result = await first.CreateAsync(" boss@example.com ", " The Boss ", TestHost.StrongPassword, Actor.Anonymous("boss@example.com", "192.0.2.1"));

        Assert.True(result.Succeeded);
        Assert.False(await first.IsNeededAsync());
        var page = await host.Get<IUserDirectory>().ListAsync(null, new PageRequest(0, 10));
        var user = Assert.Single(page.Items);
        Assert.Equal(("boss@example.com", "The Boss", Roles.Admin, false), (user.Email, user.DisplayName, user.Role, user.IsDisabled));
    }

    [Fact]
    public async Task Create_IsRefused_OnceAnAdministratorExists()
    {
        await using var host = await TestHost.StartAsync();
        var first = host.Get<FirstAdministrator>();
        await first.CreateAsync("boss@example.com", "Boss", TestHost.StrongPassword, Actor.System);

        var again = await first.CreateAsync("intruder@example.com", "Intruder", TestHost.StrongPassword, Actor.Anonymous("intruder@example.com", null));

        Assert.Equal(ResultStatus.Conflict, again.Status);
        Assert.Equal("An administrator already exists. Sign in instead.", again.Message);
        Assert.Equal(1, await host.Get<IUserDirectory>().CountAsync());
    }

    [Fact]
    public async Task Create_MakesExactlyOneAdministrator_WhenTwoRequestsRace()
    {
        await using var host = await TestHost.StartAsync();
        var first = host.Get<FirstAdministrator>();

        var results = await Task.WhenAll(
            first.CreateAsync("a@example.com", "A", TestHost.StrongPassword, Actor.System),
            first.CreateAsync("b@example.com", "B", TestHost.StrongPassword, Actor.System));

        Assert.Equal(1, results.Count(r => r.Succeeded));
        Assert.Equal(1, results.Count(r => r.Status == ResultStatus.Conflict));
        Assert.Equal(1, await host.Get<IUserDirectory>().CountAsync());
    }

    [Fact]
    public async Task Create_ReportsFieldMessages_WhenInputInvalid()
    {
        await using var host = await TestHost.StartAsync();

        var result = await host.Get<FirstAdministrator>().CreateAsync("not-an-email", "", "weak", Actor.System);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(["Enter a valid email address, such as name@example.com."], result.Errors["Email"]);
        Assert.Equal(["Enter a display name."], result.Errors["DisplayName"]);
        Assert.True(await host.Get<FirstAdministrator>().IsNeededAsync());
    }

    [Fact]
    public async Task Create_ReportsPasswordPolicy_WhenPasswordWeak()
    {
        await using var host = await TestHost.StartAsync();

        var result = await host.Get<FirstAdministrator>().CreateAsync("boss@example.com", "Boss", "alllowercase", Actor.System);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(
            ["Passwords must have at least one digit ('0'-'9').", "Passwords must have at least one uppercase ('A'-'Z')."],
            result.Errors["Password"]);
        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.Users.CountAsync());
    }
}
