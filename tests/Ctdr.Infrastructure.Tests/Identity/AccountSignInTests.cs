using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Identity;

public class AccountSignInTests
{
    private const string Email = "ana@example.com";

    [Fact]
    public async Task SignIn_LocksAccountFor15Minutes_WhenFiveAttemptsFail()
    {
        await using var host = await TestHost.StartAsync();
        var userId = await host.CreateUserAsync(Email, Roles.Analyst);

        var statuses = new List<SignInStatus>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            statuses.Add((await SignInAsync(host, Email, "Wrong-Password-1")).Status);
        }

        var before = DateTimeOffset.UtcNow;
        var withRightPassword = await SignInAsync(host, Email, TestHost.StrongPassword);

        Assert.Equal([SignInStatus.InvalidCredentials, SignInStatus.InvalidCredentials, SignInStatus.InvalidCredentials, SignInStatus.InvalidCredentials, SignInStatus.LockedOut], statuses);
        Assert.Equal(SignInStatus.LockedOut, withRightPassword.Status);
        Assert.StartsWith("Too many failed sign-in attempts. The account is locked until ", withRightPassword.Message, StringComparison.Ordinal);

        await using var db = await host.DbAsync();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        Assert.NotNull(user.LockoutEnd);
        Assert.InRange(user.LockoutEnd.Value, before.AddMinutes(15).AddSeconds(-30), DateTimeOffset.UtcNow.AddMinutes(15));

        var actions = await db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal(
            [AuditAction.SignInFailed, AuditAction.SignInFailed, AuditAction.SignInFailed, AuditAction.SignInFailed, AuditAction.SignInLockedOut, AuditAction.SignInLockedOut],
            actions);
    }

    [Fact]
    public async Task SignIn_SucceedsAgain_WhenLockoutHasEnded()
    {
        await using var host = await TestHost.StartAsync();
        var userId = await host.CreateUserAsync(Email, Roles.Analyst);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SignInAsync(host, Email, "Wrong-Password-1");
        }

        // Identity compares lockout ends with the system clock; move the end into the past instead of waiting.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
            var user = (await users.FindByIdAsync(userId))!;
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddSeconds(-1));
        }

        var outcome = await SignInAsync(host, Email, TestHost.StrongPassword);

        Assert.Equal(SignInStatus.Succeeded, outcome.Status);
    }

    [Fact]
    public async Task SignIn_Succeeds_AndIssuesCookieAndAudit_WhenPasswordRight()
    {
        await using var host = await TestHost.StartAsync();
        var userId = await host.CreateUserAsync(Email, Roles.Viewer);

        var (outcome, setCookie) = await host.InRequestAsync(async services =>
        {
            var result = await services.GetRequiredService<AccountSignIn>().SignInAsync(" ana@example.com ", TestHost.StrongPassword, false, "198.51.100.20");
            var accessor = services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
            return (result, accessor.HttpContext!.Response.Headers.SetCookie.ToString());
        });

        Assert.Equal(SignInStatus.Succeeded, outcome.Status);
        Assert.Null(outcome.Message);
        Assert.Contains(".AspNetCore.Identity.Application=", setCookie, StringComparison.Ordinal);

        await using var db = await host.DbAsync();
        Assert.Equal(host.Clock.GetUtcNow(), (await db.Users.SingleAsync(u => u.Id == userId)).LastSignInAt);
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal(AuditAction.SignInSucceeded, entry.Action);
        Assert.Equal(userId, entry.ActorId);
        Assert.Equal(Email, entry.ActorName);
        Assert.Equal("198.51.100.20", entry.IpAddress);
        Assert.Equal(host.Clock.GetUtcNow(), entry.OccurredAt);
    }

    [Fact]
    public async Task SignIn_IsRefused_WhenUserDisabled()
    {
        await using var host = await TestHost.StartAsync();
        var userId = await host.CreateUserAsync(Email, Roles.Analyst);
        Assert.True((await host.Get<IUserDirectory>().SetDisabledAsync(userId, true)).Succeeded);

        var rightPassword = await SignInAsync(host, Email, TestHost.StrongPassword);
        var wrongPassword = await SignInAsync(host, Email, "Wrong-Password-1");

        Assert.Equal(SignInStatus.Disabled, rightPassword.Status);
        Assert.Equal("This account is disabled. Ask an administrator to enable it.", rightPassword.Message);
        Assert.Equal(SignInStatus.InvalidCredentials, wrongPassword.Status);
        Assert.Equal("The email address or password is incorrect.", wrongPassword.Message);

        await using var db = await host.DbAsync();
        Assert.Equal([AuditAction.SignInRefused, AuditAction.SignInFailed], await db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task SignIn_SucceedsAgain_WhenDisabledUserIsEnabled()
    {
        await using var host = await TestHost.StartAsync();
        var userId = await host.CreateUserAsync(Email, Roles.Analyst);
        var directory = host.Get<IUserDirectory>();
        await directory.SetDisabledAsync(userId, true);
        await directory.SetDisabledAsync(userId, false);

        Assert.Equal(SignInStatus.Succeeded, (await SignInAsync(host, Email, TestHost.StrongPassword)).Status);
    }

    [Fact]
    public async Task SignIn_GivesSameMessage_WhenEmailUnknown()
    {
        await using var host = await TestHost.StartAsync();
        await host.CreateUserAsync(Email, Roles.Analyst);

        var outcome = await SignInAsync(host, "nobody@example.com", TestHost.StrongPassword);

        Assert.Equal(SignInStatus.InvalidCredentials, outcome.Status);
        Assert.Equal("The email address or password is incorrect.", outcome.Message);
        await using var db = await host.DbAsync();
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal(AuditAction.SignInFailed, entry.Action);
        Assert.Equal("nobody@example.com", entry.ActorName);
        Assert.Null(entry.ActorId);
        Assert.Equal("Unknown account", entry.Details);
    }

    private static Task<SignInOutcome> SignInAsync(TestHost host, string email, string password) =>
        host.InRequestAsync(services => services.GetRequiredService<AccountSignIn>().SignInAsync(email, password, false, "203.0.113.9"));
}
