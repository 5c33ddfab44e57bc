using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Identity;

public class UserAdministrationTests
{
    private static async Task<(TestHost Host, string AdminId)> StartAsAdminAsync()
    {
        var host = await TestHost.StartAsync();
        var adminId = await host.CreateUserAsync("admin@example.com", Roles.Admin);
        host.SignInAs(adminId, "admin@example.com", Roles.Admin);
        return (host, adminId);
    }

    private static UserAdministration Users(TestHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<UserAdministration>();

    [Fact]
    public async Task Create_AddsUserWithRole_AndAuditsIt()
    {
        var (host, adminId) = await StartAsAdminAsync();
        await using var _ = host;

        var result = await Users(host).CreateAsync(new CreateUser(" ana@example.com ", " Ana ", Roles.Analyst, TestHost.StrongPassword));

        Assert.True(result.Succeeded);
        var page = await Users(host).ListAsync("ana", new PageRequest(0, 10));
        var ana = Assert.Single(page.Items);
        Assert.Equal(("ana@example.com", "Ana", Roles.Analyst, false, false, null), (ana.Email, ana.DisplayName, ana.Role, ana.IsDisabled, ana.IsLockedOut, ana.LastSignInAt));
        Assert.Equal(host.Clock.GetUtcNow(), ana.CreatedAt);

        await using var db = await host.DbAsync();
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal((AuditAction.UserCreated, adminId, "admin@example.com", ana.Id, "ana@example.com", "Role: Analyst", "203.0.113.5"),
            (entry.Action, entry.ActorId, entry.ActorName, entry.TargetId, entry.TargetName, entry.Details, entry.IpAddress));
    }

    [Fact]
    public async Task Create_IsInvalid_WhenEmailAlreadyUsed()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;

        var result = await Users(host).CreateAsync(new CreateUser("ADMIN@example.com", "Copy", Roles.Viewer, TestHost.StrongPassword));

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(["A user with this email address already exists."], result.Errors["Email"]);
        Assert.Equal(1, await host.Get<IUserDirectory>().CountAsync());
    }

    [Fact]
    public async Task Create_IsInvalid_AndCreatesNothing_WhenPasswordBreaksPolicy()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;

        var result = await Users(host).CreateAsync(new CreateUser("ana@example.com", "Ana", Roles.Viewer, "Short1"));

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(["Passwords must be at least 12 characters."], result.Errors["Password"]);
        Assert.Equal(1, await host.Get<IUserDirectory>().CountAsync());
        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Viewer)]
    public async Task Create_IsDenied_WhenCallerIsNotAdmin(string role)
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;
        host.SignInAs("someone", "someone@example.com", role);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Users(host).CreateAsync(new CreateUser("x@example.com", "X", Roles.Admin, TestHost.StrongPassword)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Users(host).ListAsync(null, new PageRequest(0, 10)));
        Assert.Equal(1, await host.Get<IUserDirectory>().CountAsync());
    }

    [Fact]
    public async Task ChangeRole_ChangesRoleAndSecurityStamp_AndAuditsIt()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;
        var anaId = await host.CreateUserAsync("ana@example.com", Roles.Viewer);
        var stampBefore = await StampAsync(host, anaId);

        var result = await Users(host).ChangeRoleAsync(new ChangeUserRole(anaId, Roles.Analyst));

        Assert.True(result.Succeeded);
        Assert.Equal(Roles.Analyst, (await host.Get<IUserDirectory>().FindAsync(anaId))!.Role);
        Assert.NotEqual(stampBefore, await StampAsync(host, anaId));
        await using var db = await host.DbAsync();
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal((AuditAction.RoleChanged, "ana@example.com", "Viewer → Analyst"), (entry.Action, entry.TargetName, entry.Details));
    }

    [Fact]
    public async Task ChangeRole_IsRefused_ForOwnRole()
    {
        var (host, adminId) = await StartAsAdminAsync();
        await using var _h = host;
        await host.CreateUserAsync("second@example.com", Roles.Admin);

        var result = await Users(host).ChangeRoleAsync(new ChangeUserRole(adminId, Roles.Viewer));

        Assert.Equal(ResultStatus.Forbidden, result.Status);
        Assert.Equal("You cannot change your own role; ask another administrator.", result.Message);
        Assert.Equal(Roles.Admin, (await host.Get<IUserDirectory>().FindAsync(adminId))!.Role);
    }

    [Fact]
    public async Task ChangeRoleAndDisable_AreRefused_ForLastActiveAdministrator()
    {
        var (host, adminId) = await StartAsAdminAsync();
        await using var _h = host;
        // The caller's own account was just disabled elsewhere and its session is not yet revalidated; the only
        // active administrator left is "other". Demoting or disabling it would leave nobody able to administer.
        var otherAdminId = await host.CreateUserAsync("other@example.com", Roles.Admin);
        await host.Get<IUserDirectory>().SetDisabledAsync(adminId, true);
        var onlyActive = otherAdminId;

        var demote = await Users(host).ChangeRoleAsync(new ChangeUserRole(onlyActive, Roles.Analyst));
        var disable = await Users(host).SetDisabledAsync(new SetUserDisabled(onlyActive, true));

        Assert.Equal(ResultStatus.Conflict, demote.Status);
        Assert.Equal("This is the last active administrator; make another user an administrator first.", demote.Message);
        Assert.Equal(ResultStatus.Conflict, disable.Status);
        Assert.Equal("This is the last active administrator; it cannot be disabled.", disable.Message);
        Assert.Equal(1, await host.Get<IUserDirectory>().CountActiveAdministratorsAsync());
    }

    [Fact]
    public async Task SetDisabled_IsRefused_ForOwnAccount()
    {
        var (host, adminId) = await StartAsAdminAsync();
        await using var _h = host;
        await host.CreateUserAsync("second@example.com", Roles.Admin);

        var result = await Users(host).SetDisabledAsync(new SetUserDisabled(adminId, true));

        Assert.Equal(ResultStatus.Forbidden, result.Status);
        Assert.Equal("You cannot disable your own account.", result.Message);
    }

    [Fact]
    public async Task SetDisabled_DisablesAndEnables_AndAuditsBoth()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;
        var anaId = await host.CreateUserAsync("ana@example.com", Roles.Analyst);
        var stampBefore = await StampAsync(host, anaId);

        Assert.True((await Users(host).SetDisabledAsync(new SetUserDisabled(anaId, true))).Succeeded);
        Assert.True((await host.Get<IUserDirectory>().FindAsync(anaId))!.IsDisabled);
        Assert.NotEqual(stampBefore, await StampAsync(host, anaId));
        Assert.True((await Users(host).SetDisabledAsync(new SetUserDisabled(anaId, false))).Succeeded);
        Assert.False((await host.Get<IUserDirectory>().FindAsync(anaId))!.IsDisabled);

        await using var db = await host.DbAsync();
        Assert.Equal([AuditAction.UserDisabled, AuditAction.UserEnabled], await db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task ResetPassword_SetsNewPassword_LiftsLockout_AndEndsSessions()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;
        var anaId = await host.CreateUserAsync("ana@example.com", Roles.Analyst);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
            await manager.SetLockoutEndDateAsync((await manager.FindByIdAsync(anaId))!, DateTimeOffset.UtcNow.AddMinutes(10));
        }

        Assert.True((await host.Get<IUserDirectory>().FindAsync(anaId))!.IsLockedOut);
        var stampBefore = await StampAsync(host, anaId);

        var result = await Users(host).ResetPasswordAsync(new ResetUserPassword(anaId, "Brand-New-Password-9"));

        Assert.True(result.Succeeded);
        Assert.False((await host.Get<IUserDirectory>().FindAsync(anaId))!.IsLockedOut);
        Assert.NotEqual(stampBefore, await StampAsync(host, anaId));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
            var ana = (await manager.FindByIdAsync(anaId))!;
            Assert.True(await manager.CheckPasswordAsync(ana, "Brand-New-Password-9"));
            Assert.False(await manager.CheckPasswordAsync(ana, TestHost.StrongPassword));
        }

        await using var db = await host.DbAsync();
        Assert.Equal(AuditAction.PasswordReset, (await db.AuditEntries.SingleAsync()).Action);
    }

    [Fact]
    public async Task ResetPassword_IsInvalid_AndKeepsOldPassword_WhenNewOneBreaksPolicy()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;
        var anaId = await host.CreateUserAsync("ana@example.com", Roles.Analyst);

        var result = await Users(host).ResetPasswordAsync(new ResetUserPassword(anaId, "short"));

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains("Passwords must be at least 12 characters.", result.Errors["Password"]);
        await using var scope = host.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
        Assert.True(await manager.CheckPasswordAsync((await manager.FindByIdAsync(anaId))!, TestHost.StrongPassword));
    }

    [Fact]
    public async Task Operations_ReportNotFound_WhenUserIsGone()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;

        Assert.Equal(ResultStatus.NotFound, (await Users(host).ChangeRoleAsync(new ChangeUserRole("missing", Roles.Viewer))).Status);
        Assert.Equal(ResultStatus.NotFound, (await Users(host).SetDisabledAsync(new SetUserDisabled("missing", true))).Status);
        Assert.Equal(ResultStatus.NotFound, (await Users(host).ResetPasswordAsync(new ResetUserPassword("missing", TestHost.StrongPassword))).Status);
    }

    [Fact]
    public async Task List_PagesAndSearches_OrderedByEmail()
    {
        var (host, _) = await StartAsAdminAsync();
        await using var _h = host;
        foreach (var name in new[] { "carol", "bob", "dave", "alice" })
        {
            await host.CreateUserAsync($"{name}@example.com", Roles.Viewer);
        }

        var first = await Users(host).ListAsync(null, new PageRequest(0, 2));
        var second = await Users(host).ListAsync(null, new PageRequest(1, 2));
        var search = await Users(host).ListAsync("AR", new PageRequest(0, 10));
        var literalPercent = await Users(host).ListAsync("%", new PageRequest(0, 10));

        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["admin@example.com", "alice@example.com"], first.Items.Select(u => u.Email));
        Assert.Equal(["bob@example.com", "carol@example.com"], second.Items.Select(u => u.Email));
        Assert.Equal(["carol@example.com"], search.Items.Select(u => u.Email));
        Assert.Equal(0, literalPercent.TotalCount);
    }

    private static async Task<string> StampAsync(TestHost host, string userId)
    {
        await using var db = await host.DbAsync();
        return (await db.Users.SingleAsync(u => u.Id == userId)).SecurityStamp!;
    }
}
