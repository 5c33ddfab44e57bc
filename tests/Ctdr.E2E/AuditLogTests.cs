using Ctdr.Application.Access;
using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

[Collection(BrowserTestGroup.Name)]
public sealed class AuditLogTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => TestUsers.BootstrapAdministrator;

    [Fact]
    public Task AuditLog_ListsWhatHappenedNewestFirst_AndFiltersByActor_WhenAdministratorOpensIt() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        var overview = await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        var users = await overview.OpenUsersAsync();
        await users.CreateUserAsync(TestUsers.AnalystEmail, TestUsers.AnalystName, Roles.Analyst, TestUsers.AnalystPassword);

        await Page.GotoAsync(AuditPage.Path);
        var audit = new AuditPage(Page);
        await audit.ExpectShownWithAsync("UserCreated");

        var rows = audit.Grid.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell) });
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0).GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("UserCreated");
        await Expect(rows.Nth(0).GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync(TestUsers.AnalystEmail);
        await Expect(rows.Nth(0).GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("Role: Analyst");
        await Expect(rows.Nth(0).GetByRole(AriaRole.Cell).Nth(5)).ToHaveTextAsync("127.0.0.1");
        await Expect(rows.Nth(1).GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("SignInSucceeded");
        await Expect(rows.Nth(2).GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("FirstAdministratorCreated");
        await Expect(rows.Nth(2).GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync("system");

        await Page.GetByTestId("audit-actor").FillAsync("SYSTEM");
        await Page.GetByTestId("audit-apply").ClickAsync();

        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Nth(0).GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("FirstAdministratorCreated");
    });
}
