using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Identity;

public class BootstrapAdministratorTests
{
    private static Dictionary<string, string?> Bootstrap(string email, string password) => new()
    {
        ["Ctdr:Bootstrap:AdminEmail"] = email,
        ["Ctdr:Bootstrap:AdminPassword"] = password,
    };

    [Fact]
    public async Task Run_CreatesAdministratorOnce_AndNotAgain()
    {
        var settings = Bootstrap("root@example.com", TestHost.StrongPassword);
        await using var host = await TestHost.StartAsync(settings);

        var first = await host.Get<BootstrapAdministrator>().RunAsync();
        var second = await host.Get<BootstrapAdministrator>().RunAsync();

        Assert.True(first);
        Assert.False(second);
        await using var db = await host.DbAsync();
        var user = await db.Users.SingleAsync();
        Assert.Equal("root@example.com", user.Email);
        Assert.Equal("Administrator", user.DisplayName);
        Assert.Equal(1, await UserDirectoryAdmins(db));
        var audit = await db.AuditEntries.SingleAsync();
        Assert.Equal(AuditAction.FirstAdministratorCreated, audit.Action);
        Assert.Equal("system", audit.ActorName);
    }

    [Fact]
    public async Task Run_LeavesExistingAdministratorUntouched_WhenRestartedWithOtherSettings()
    {
        string dataDirectory;
        await using (var first = await TestHost.StartAsync(Bootstrap("root@example.com", TestHost.StrongPassword)))
        {
            Assert.True(await first.Get<BootstrapAdministrator>().RunAsync());
            dataDirectory = first.DataDirectory;
            first.KeepDataOnDispose = true;
        }

        // The same database, restarted with another bootstrap account: nothing is created, nothing is reset.
        await using var restarted = await TestHost.StartAsync(Bootstrap("other@example.com", "Another-Password-77"), dataDirectory: dataDirectory);
        Assert.False(await restarted.Get<BootstrapAdministrator>().RunAsync());

        await using var db = await restarted.DbAsync();
        Assert.Equal(["root@example.com"], await db.Users.Select(u => u.Email!).ToListAsync());
        await using var scope = restarted.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
        var root = (await users.FindByEmailAsync("root@example.com"))!;
        Assert.True(await users.CheckPasswordAsync(root, TestHost.StrongPassword));
        Assert.Equal(1, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task Run_DoesNothing_WhenNotConfigured()
    {
        await using var host = await TestHost.StartAsync();

        Assert.False(await host.Get<BootstrapAdministrator>().RunAsync());

        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Run_FailsStartWithClearMessage_WhenPasswordBreaksPolicy()
    {
        await using var host = await TestHost.StartAsync(Bootstrap("root@example.com", "short"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Get<BootstrapAdministrator>().RunAsync());

        Assert.StartsWith("The bootstrap administrator from configuration (Ctdr:Bootstrap) could not be created: Passwords must be at least 12 characters.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SkipsCreation_WhenAdministratorWasCreatedOnFirstRunPage()
    {
        await using var host = await TestHost.StartAsync(Bootstrap("root@example.com", TestHost.StrongPassword));
        await host.Get<FirstAdministrator>().CreateAsync("me@example.com", "Me", TestHost.StrongPassword, Actor.Anonymous("me@example.com", null));

        Assert.False(await host.Get<BootstrapAdministrator>().RunAsync());

        await using var db = await host.DbAsync();
        Assert.Equal(["me@example.com"], await db.Users.Select(u => u.Email!).ToListAsync());
    }

    private static Task<int> UserDirectoryAdmins(Ctdr.Infrastructure.Persistence.CtdrDbContext db) =>
        (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == Roles.Admin select ur.UserId).CountAsync();
}
