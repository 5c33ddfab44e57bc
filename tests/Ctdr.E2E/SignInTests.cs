using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Ctdr.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

[Collection(BrowserTestGroup.Name)]
public sealed class SignInTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const string IncorrectMessage = "The email address or password is incorrect.";
    private const string WrongPassword = "Not-The-Passw0rd-1";

    protected override IReadOnlyDictionary<string, string?> AppSettings => TestUsers.BootstrapAdministrator;

    [Fact]
    public Task SignIn_SaysTheCredentialsAreIncorrect_WhenThePasswordIsWrong() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();

        await login.SignInAsync(TestUsers.AdminEmail, WrongPassword);

        await Expect(login.Error).ToHaveTextAsync(IncorrectMessage);
        await Expect(Page).ToHaveURLAsync(LoginPage.Path);
    });

    [Fact]
    public Task SignIn_SaysTheAccountIsLocked_WhenTheRightPasswordFollowsFiveWrongOnes() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);

        // Each attempt starts from a freshly loaded form, so every message checked belongs to that attempt.
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await login.GotoAsync();
            await login.SignInAsync(TestUsers.AdminEmail, WrongPassword);
            await Expect(login.Error).ToHaveTextAsync(IncorrectMessage);
        }

        // The fifth failure reaches the limit (5) and locks the account.
        await login.GotoAsync();
        await login.SignInAsync(TestUsers.AdminEmail, WrongPassword);
        var lockedMessage = await LockedMessageAsync(TestUsers.AdminEmail);
        await Expect(login.Error).ToHaveTextAsync(lockedMessage);

        await login.GotoAsync();
        await login.SignInAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);

        await Expect(login.Error).ToHaveTextAsync(lockedMessage);
        await Expect(Page).ToHaveURLAsync(LoginPage.Path);
        await Expect(login.Heading).ToBeVisibleAsync();
    });

    /// <summary>The product's lockout message for the lockout end stored for the user.</summary>
    private async Task<string> LockedMessageAsync(string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        var until = await users.GetLockoutEndDateAsync(user) ?? throw new InvalidOperationException($"{email} is not locked out.");
        return $"Too many failed sign-in attempts. The account is locked until {until.UtcDateTime:HH:mm} UTC.";
    }
}
