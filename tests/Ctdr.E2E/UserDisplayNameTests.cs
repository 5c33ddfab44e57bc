using Ctdr.Application.Access;
using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

[Collection(BrowserTestGroup.Name)]
public sealed class UserDisplayNameTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const string Payload = "<img src=x onerror=window.__xss=1>";
    private const string Email = "viewer@example.com";

    protected override IReadOnlyDictionary<string, string?> AppSettings => TestUsers.BootstrapAdministrator;

    [Fact]
    public Task UsersPage_ShowsMarkupAsText_WhenDisplayNameContainsAScript() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        var overview = await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        var users = await overview.OpenUsersAsync();

        await users.CreateUserAsync(Email, Payload, Roles.Viewer, "Viewer-Passw0rd-2026");

        await Expect(users.UserRows).ToHaveCountAsync(2);
        await Expect(users.CellsOf(Email).Nth(1)).ToHaveTextAsync(Payload);
        await Expect(users.RoleOf(Email)).ToHaveTextAsync(Roles.Viewer);
        await Expect(users.Grid.Locator("img")).ToHaveCountAsync(0);
        Assert.True(await Page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));

        // Rendered as markup, the tag would also have tripped the content security policy.
        var errors = BrowserConsole.Errors;
        Assert.True(errors.Count == 0, $"{errors.Count} browser console error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    });
}
