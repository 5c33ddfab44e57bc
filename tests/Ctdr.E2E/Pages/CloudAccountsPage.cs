using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/accounts</c>: the cloud accounts and the onboard/edit dialog.</summary>
public sealed class CloudAccountsPage(IPage page) : ShellPage(page)
{
    public const string Path = "/accounts";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Cloud accounts", Exact = true });

    public ILocator Grid => Page.GetByTestId("accounts-grid");

    /// <summary>One row per account: the rows with an account's status chip.</summary>
    public ILocator AccountRows => Grid.GetByRole(AriaRole.Row).Filter(new() { Has = Page.Locator("[data-testid^='account-status-']") });

    public ILocator Empty => Page.GetByTestId("accounts-empty");

    public ILocator OnboardButton => Page.GetByTestId("onboard-account");

    public ILocator MaskedKeyOf(long id) => Page.GetByTestId($"account-key-{id}");

    public ILocator CredentialsOf(long id) => Page.GetByTestId($"account-credentials-{id}");

    public ILocator SourceCountOf(long id) => Page.GetByTestId($"account-sources-{id}");

    public ILocator EditButtonOf(long id) => Page.GetByTestId($"account-edit-{id}");

    public ILocator AddSourceButtonOf(long id) => Page.GetByTestId($"account-add-source-{id}");

    /// <summary>The page is shown and its grid has loaded (rows, or the "none yet" line once the circuit runs).</summary>
    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Grid.GetByRole(AriaRole.Row).Filter(new() { Has = Page.Locator("[data-testid^='account-status-'], [data-testid=accounts-empty]") }).First)
            .ToBeVisibleAsync();
        await Expect(Page.GetByText("Loading…")).ToHaveCountAsync(0);
    }

    public async Task<CloudAccountDialog> OpenOnboardDialogAsync()
    {
        await OnboardButton.ClickAsync();
        var dialog = new CloudAccountDialog(Page, "Onboard a cloud account");
        await Expect(dialog.Root).ToBeVisibleAsync();
        return dialog;
    }

    public async Task<CloudAccountDialog> OpenEditDialogAsync(long id)
    {
        await EditButtonOf(id).ClickAsync();
        var dialog = new CloudAccountDialog(Page, "Edit cloud account");
        await Expect(dialog.Root).ToBeVisibleAsync();
        return dialog;
    }
}

/// <summary>The onboard (or edit) dialog of the Cloud accounts page.</summary>
public sealed class CloudAccountDialog(IPage page, string title)
{
    public ILocator Root => page.GetByRole(AriaRole.Dialog, new() { Name = title, Exact = true });

    public ILocator AccountUid => page.GetByTestId("account-uid");

    public ILocator DisplayName => page.GetByTestId("account-name");

    public ILocator Regions => page.GetByTestId("account-regions");

    public ILocator AccessKeyId => page.GetByTestId("account-key-id");

    public ILocator Secret => page.GetByTestId("account-secret");

    /// <summary>The label of the secret field, which says whether an empty field keeps the stored secret.</summary>
    public ILocator SecretLabel => Root.Locator(".mud-input-control").Filter(new() { Has = Secret }).Locator("label");

    public ILocator Submit => page.GetByTestId("account-submit");

    public ILocator Cancel => page.GetByTestId("account-cancel");

    public async Task FillAsync(string uid, string displayName, string regions, string accessKeyId, string secret)
    {
        await AccountUid.FillAsync(uid);
        await DisplayName.FillAsync(displayName);
        await Regions.FillAsync(regions);
        await AccessKeyId.FillAsync(accessKeyId);
        await Secret.FillAsync(secret);
    }
}
