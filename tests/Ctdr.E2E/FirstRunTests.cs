using Ctdr.Application.Access;
using Ctdr.Application.Live;
using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

/// <summary>The journey of a new installation, from the first-run page to an analyst watching live activity.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class FirstRunTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    [Fact]
    public Task FirstRun_AdministratorAddsAnalystWhoSeesNoAdministrationPagesAndLiveActivity_WhenInstallationIsNew() => RunAsync(async () =>
    {
        // A new installation sends the first visitor to the first-run page.
        await Page.GotoAsync(OverviewPage.Path);
        var setup = new SetupPage(Page);
        await setup.ExpectShownAsync();

        await setup.CreateAdministratorAsync(TestUsers.AdminEmail, TestUsers.AdminName, TestUsers.AdminPassword);
        var login = new LoginPage(Page);
        await Expect(Page).ToHaveURLAsync(LoginPage.Path + "?created=1");
        await Expect(login.AdministratorCreatedNotice).ToHaveTextAsync("The administrator account is ready. Sign in with it.");

        var adminOverview = await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        await Expect(adminOverview.NavigationLinks).ToHaveTextAsync(["Overview", "Activation", "Cloud accounts", "Log sources", "Log search", "Security events", "Alerts", "Detection rules", "Disposal Center", "Response rules", "Playbooks", "Response allow-list", "Users", "Audit log", "Jobs"]);

        // The administrator adds an analyst.
        var users = await adminOverview.OpenUsersAsync();
        await Expect(users.UserRows).ToHaveCountAsync(1);
        await users.CreateUserAsync(TestUsers.AnalystEmail, TestUsers.AnalystName, Roles.Analyst, TestUsers.AnalystPassword);
        await Expect(users.UserRows).ToHaveCountAsync(2);
        await Expect(users.CellsOf(TestUsers.AnalystEmail).Nth(1)).ToHaveTextAsync(TestUsers.AnalystName);
        await Expect(users.RoleOf(TestUsers.AnalystEmail)).ToHaveTextAsync(Roles.Analyst);
        await Expect(users.StatusOf(TestUsers.AnalystEmail)).ToHaveTextAsync("Active");

        await users.SignOutAsync();

        // The analyst sees the console's reading pages only...
        var analystOverview = await login.SignInAndOpenOverviewAsync(TestUsers.AnalystEmail, TestUsers.AnalystPassword);
        await Expect(analystOverview.NavigationLinks).ToHaveTextAsync(["Overview", "Activation", "Log sources", "Log search", "Security events", "Alerts", "Detection rules", "Disposal Center", "Response rules", "Playbooks", "Response allow-list"]);

        // ...and the server refuses the administrators' pages, with the status code too.
        var refused = await Page.GotoAsync(UsersPage.Path);
        Assert.NotNull(refused);
        Assert.Equal(403, refused.Status);
        var error = new ErrorPage(Page);
        await Expect(error.Title).ToHaveTextAsync("Access denied");

        await error.BackToOverview.ClickAsync();
        await analystOverview.ExpectShownAsync();
        await Expect(analystOverview.ActivityEmpty).ToBeVisibleAsync();

        // A message on the live feed appears in the open page, without a reload.
        await Page.EvaluateAsync("() => { window.__ctdrSameDocument = true; }");
        var documentRequests = new List<string>();
        Page.Request += (_, request) =>
        {
            if (request.ResourceType == "document")
            {
                documentRequests.Add(request.Url);
            }
        };

        var notice = "Maintenance window starts at 22:00 UTC " + Guid.NewGuid().ToString("N");
        var clock = App.Services.GetRequiredService<TimeProvider>();
        await App.Services.GetRequiredService<ILiveFeed>().PublishAsync(
            new LiveMessage(LiveKinds.Notice, notice, Permission.ViewConsole, clock.GetUtcNow()));

        await Expect(analystOverview.ActivityTexts).ToHaveTextAsync([notice]);
        await Expect(analystOverview.ActivityEmpty).ToHaveCountAsync(0);
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__ctdrSameDocument === true"));
        Assert.Empty(documentRequests);
    });
}
