using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/admin/users</c>: the user list and the "New user" dialog.</summary>
public sealed class UsersPage(IPage page) : ShellPage(page)
{
    public const string Path = "/admin/users";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true });

    public ILocator Grid => Page.GetByTestId("users-grid");

    /// <summary>One row per user: the rows with a user's status chip (not the header, not the pager).</summary>
    public ILocator UserRows => Grid.GetByRole(AriaRole.Row).Filter(new() { Has = Page.Locator("[data-testid^='status-']") });

    public ILocator NewUserButton => Page.GetByTestId("new-user");

    public ILocator Row(string email) =>
        UserRows.Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = email, Exact = true }) });

    /// <summary>The cells of a user's row, in column order (email, display name, role, status, last sign-in, actions).</summary>
    public ILocator CellsOf(string email) => Row(email).GetByRole(AriaRole.Cell);

    /// <summary>The role picker of a user's row; its text is the current role.</summary>
    public ILocator RoleOf(string email) => Page.GetByTestId("role-" + email);

    public ILocator StatusOf(string email) => Page.GetByTestId("status-" + email);

    /// <summary>The page is shown and its grid has loaded (the grid loads only once the circuit runs).</summary>
    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(UserRows.First).ToBeVisibleAsync();
    }

    public async Task<CreateUserDialog> OpenNewUserDialogAsync()
    {
        await NewUserButton.ClickAsync();
        var dialog = new CreateUserDialog(Page);
        await Expect(dialog.Root).ToBeVisibleAsync();
        return dialog;
    }

    public async Task CreateUserAsync(string email, string displayName, string role, string password)
    {
        var dialog = await OpenNewUserDialogAsync();
        await dialog.FillAsync(email, displayName, role, password);
        await dialog.SubmitAsync();
        await Expect(dialog.Root).ToBeHiddenAsync();
    }
}

/// <summary>The "New user" dialog of the Users page.</summary>
public sealed class CreateUserDialog(IPage page)
{
    public ILocator Root => page.GetByRole(AriaRole.Dialog, new() { Name = "New user", Exact = true });

    public ILocator Email => page.GetByTestId("new-user-email");

    public ILocator DisplayName => page.GetByTestId("new-user-name");

    /// <summary>A MudSelect: a combobox whose text is the chosen role, opening a listbox of options.</summary>
    public ILocator Role => page.GetByTestId("new-user-role");

    public ILocator Password => page.GetByTestId("new-user-password");

    public ILocator Submit => page.GetByTestId("create-user-submit");

    public async Task FillAsync(string email, string displayName, string role, string password)
    {
        await Email.FillAsync(email);
        await DisplayName.FillAsync(displayName);
        await ChooseRoleAsync(role);
        await Password.FillAsync(password);
    }

    public async Task ChooseRoleAsync(string role)
    {
        await Role.ClickAsync();
        var listbox = page.GetByRole(AriaRole.Listbox);
        await listbox.GetByRole(AriaRole.Option, new() { Name = role, Exact = true }).ClickAsync();
        await Expect(listbox).ToBeHiddenAsync();
        await Expect(Role).ToHaveTextAsync(role);
    }

    public Task SubmitAsync() => Submit.ClickAsync();
}
