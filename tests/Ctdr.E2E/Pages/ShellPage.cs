using Ctdr.Web.Components.Layout;
using Microsoft.Playwright;
using MudBlazor.Utilities;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary>The console's frame around every interactive page: app bar (theme, user, sign-out) and navigation drawer.</summary>
public class ShellPage(IPage page)
{
    protected IPage Page { get; } = page;

    /// <summary>The links of the navigation drawer, in order.</summary>
    public ILocator NavigationLinks => Page.GetByTestId("nav-menu").GetByRole(AriaRole.Link);

    public ILocator ThemeToggle => Page.GetByTestId("theme-toggle");

    public ILocator SignedInUser => Page.GetByTestId("signed-in-user");

    public ILocator SignOutButton => Page.GetByTestId("sign-out");

    public async Task SignOutAsync()
    {
        await SignOutButton.ClickAsync();
        var login = new LoginPage(Page);
        await Expect(Page).ToHaveURLAsync(LoginPage.Path + "?signedOut=1");
        await Expect(login.SignedOutNotice).ToHaveTextAsync("You have signed out.");
    }

    public async Task<UsersPage> OpenUsersAsync()
    {
        await Page.GetByTestId("nav-admin-users").ClickAsync();
        var users = new UsersPage(Page);
        await users.ExpectShownAsync();
        return users;
    }

    /// <summary>
    /// The page background is the theme's (MudBlazor paints the body with the palette's background), which is
    /// what a user sees change; the colours come from the product's own theme rather than being copied here.
    /// </summary>
    public Task ExpectDarkModeAsync(bool dark)
    {
        var background = dark ? CtdrTheme.Theme.PaletteDark.Background : CtdrTheme.Theme.PaletteLight.Background;
        return Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", CssRgb(background));
    }

    private static string CssRgb(MudColor color) => $"rgb({color.R}, {color.G}, {color.B})";
}
