using System.Security.Claims;
using Ctdr.Application.Access;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Identity;

public class UserSessionValidatorTests
{
    [Fact]
    public async Task IsValid_IsTrue_ForFreshPrincipal_AndFalseAfterDisable()
    {
        await using var host = await TestHost.StartAsync();
        var userId = await host.CreateUserAsync("ana@example.com", Roles.Analyst);
        var principal = await PrincipalAsync(host, userId);
        var validator = host.Get<UserSessionValidator>();

        Assert.True(await validator.IsValidAsync(principal));

        await host.Get<IUserDirectory>().SetDisabledAsync(userId, true);
        Assert.False(await validator.IsValidAsync(principal));
    }

    [Fact]
    public async Task IsValid_IsFalse_AfterPasswordResetOrRoleChange()
    {
        await using var host = await TestHost.StartAsync();
        var userId = await host.CreateUserAsync("ana@example.com", Roles.Analyst);
        var directory = host.Get<IUserDirectory>();
        var validator = host.Get<UserSessionValidator>();

        var beforeReset = await PrincipalAsync(host, userId);
        await directory.ResetPasswordAsync(userId, "Another-Password-12");
        Assert.False(await validator.IsValidAsync(beforeReset));

        var beforeRoleChange = await PrincipalAsync(host, userId);
        await directory.SetRoleAsync(userId, Roles.Viewer);
        Assert.False(await validator.IsValidAsync(beforeRoleChange));
        Assert.True(await validator.IsValidAsync(await PrincipalAsync(host, userId)));
    }

    [Fact]
    public async Task IsValid_IsFalse_ForUnknownOrAnonymousPrincipal()
    {
        await using var host = await TestHost.StartAsync();
        var validator = host.Get<UserSessionValidator>();

        Assert.False(await validator.IsValidAsync(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.False(await validator.IsValidAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "missing")], "test"))));
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(TestHost host, string userId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<CtdrUser>>();
        return await factory.CreateAsync((await users.FindByIdAsync(userId))!);
    }
}
