using Ctdr.Application.Access;
using Ctdr.Application.Users;
using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

[Collection(BrowserTestGroup.Name)]
public sealed class ThemeTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => TestUsers.BootstrapAdministrator;

    [Fact]
    public Task DarkMode_StaysOnForThatUserOnly_WhenTheySignOutAndInAgain() => RunAsync(async () =>
    {
        var (created, _) = await App.Services.GetRequiredService<IUserDirectory>().CreateAsync(
            new CreateUser(TestUsers.AnalystEmail, TestUsers.AnalystName, Roles.Analyst, TestUsers.AnalystPassword));
        Assert.True(created.Succeeded, string.Join(" ", created.AllMessages()));

        var login = new LoginPage(Page);
        await login.GotoAsync();
        var overview = await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        await overview.ExpectDarkModeAsync(false);

        await overview.ThemeToggle.ClickAsync();
        await overview.ExpectDarkModeAsync(true);
        await overview.SignOutAsync();

        // Another user keeps the light theme...
        overview = await login.SignInAndOpenOverviewAsync(TestUsers.AnalystEmail, TestUsers.AnalystPassword);
        await overview.ExpectDarkModeAsync(false);
        await overview.SignOutAsync();

        // ...and the administrator gets the dark one back from the first page served.
        overview = await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        await overview.ExpectDarkModeAsync(true);
    });
}
