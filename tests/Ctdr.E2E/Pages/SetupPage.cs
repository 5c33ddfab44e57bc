using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/setup</c>: the first-run page that creates the first administrator.</summary>
public sealed class SetupPage(IPage page)
{
    public const string Path = "/setup";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Create the first administrator", Exact = true });

    public ILocator Email => page.GetByTestId("setup-email");

    public ILocator DisplayName => page.GetByTestId("setup-name");

    public ILocator Password => page.GetByTestId("setup-password");

    public ILocator ConfirmPassword => page.GetByTestId("setup-confirm");

    public ILocator Submit => page.GetByTestId("setup-submit");

    public async Task ExpectShownAsync()
    {
        await Expect(page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
    }

    public async Task CreateAdministratorAsync(string email, string displayName, string password)
    {
        await Email.FillAsync(email);
        await DisplayName.FillAsync(displayName);
        await Password.FillAsync(password);
        await ConfirmPassword.FillAsync(password);
        await Submit.ClickAsync();
    }
}
