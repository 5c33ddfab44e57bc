using Ctdr.Application.Access;
using Ctdr.Application.Common;

namespace Ctdr.Application.Tests.Access;

public class CurrentUserAccessTests
{
    [Fact]
    public async Task RequireAsync_ReturnsUser_WhenRoleGrantsPermission()
    {
        var user = new CurrentUserInfo("u1", "ana@example.com", [Roles.Analyst], "10.0.0.1");

        var result = await new FixedUser(user).RequireAsync(Permission.HandleEvents);

        Assert.Same(user, result);
    }

    [Fact]
    public async Task RequireAsync_Throws_WhenRoleLacksPermission()
    {
        var user = new CurrentUserInfo("u1", "viewer@example.com", [Roles.Viewer], null);

        var error = await Assert.ThrowsAsync<AccessDeniedException>(() => new FixedUser(user).RequireAsync(Permission.ManageUsers));

        Assert.Equal("This action requires the permission 'ManageUsers'.", error.Message);
    }

    [Fact]
    public async Task RequireAsync_Throws_WhenNobodyIsSignedIn()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => new FixedUser(null).RequireAsync(Permission.ViewConsole));
    }

    private sealed class FixedUser(CurrentUserInfo? user) : ICurrentUser
    {
        public ValueTask<CurrentUserInfo?> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(user);
    }
}
