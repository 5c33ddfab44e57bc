using Ctdr.Application.Audit;
using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Ctdr.Web.Security;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Ctdr.E2E;

/// <summary>
/// The content security policy must not break the console: Chromium reports every blocked script, style,
/// font or connection as a console error ("Refused to ..."), and any uncaught script error shows up too.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class BrowserConsoleTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => TestUsers.BootstrapAdministrator;

    [Fact]
    public Task Console_HasNoErrorsOrPolicyViolations_WhenAdministratorOpensEveryPage() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await ExpectPolicyHeaderAsync(await Page.GotoAsync(LoginPage.Path));
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(OverviewPage.Path));
        await new OverviewPage(Page).ExpectShownAsync();

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(UsersPage.Path));
        await new UsersPage(Page).ExpectShownAsync();

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(AuditPage.Path));
        await new AuditPage(Page).ExpectShownWithAsync(nameof(AuditAction.SignInSucceeded));

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(ActivationPage.Path));
        await new ActivationPage(Page).ExpectShownAsync();

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(CloudAccountsPage.Path));
        await new CloudAccountsPage(Page).ExpectShownAsync();

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(LogSourcesPage.Path));
        await new LogSourcesPage(Page).ExpectShownAsync();

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(AddLogSourcePage.Path));
        await Microsoft.Playwright.Assertions.Expect(new AddLogSourcePage(Page).NoPullableAccount).ToBeVisibleAsync();

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(LogSearchPage.Path));
        await new LogSearchPage(Page).ExpectShownAsync();

        await ExpectPolicyHeaderAsync(await Page.GotoAsync(JobsDashboardPage.Path));
        await new JobsDashboardPage(Page).ExpectShownAsync();

        var errors = BrowserConsole.Errors;
        Assert.True(errors.Count == 0, $"{errors.Count} browser console error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    });

    /// <summary>Without the header the check above would pass for the wrong reason.</summary>
    private static async Task ExpectPolicyHeaderAsync(IResponse? response)
    {
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, await response.HeaderValueAsync("content-security-policy"));
    }
}
