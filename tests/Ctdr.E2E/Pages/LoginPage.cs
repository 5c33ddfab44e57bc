using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/account/login</c>: a static server-rendered form (no circuit), posted as a normal form.</summary>
public sealed class LoginPage(IPage page)
{
    public const string Path = "/account/login";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true });

    public ILocator Email => page.GetByTestId("login-email");

    public ILocator Password => page.GetByTestId("login-password");

    public ILocator Submit => page.GetByTestId("login-submit");

    /// <summary>The message after a refused sign-in.</summary>
    public ILocator Error => page.GetByTestId("login-error");

    public ILocator SignedOutNotice => page.GetByTestId("signed-out");

    public ILocator AdministratorCreatedNotice => page.GetByTestId("admin-created");

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
    }

    /// <summary>Fills and posts the form. Where the browser ends up is for the caller to check.</summary>
    public async Task SignInAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await Submit.ClickAsync();
    }

    /// <summary>Signs in and waits for the overview to be interactive.</summary>
    public async Task<OverviewPage> SignInAndOpenOverviewAsync(string email, string password)
    {
        await SignInAsync(email, password);
        var overview = new OverviewPage(page);
        await overview.ExpectShownAsync();
        return overview;
    }
}
