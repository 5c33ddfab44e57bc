using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.Admin;

public partial class UsersPage
{
    private MudDataGrid<UserRow>? _grid;
    private string? _search;
    private string? _currentUserId;

    [Inject]
    private UserAdministration Users { get; set; } = default!;

    [Inject]
    private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _currentUserId = (await CurrentUser.GetAsync())?.UserId;

    private async Task<GridData<UserRow>> LoadAsync(GridState<UserRow> state, CancellationToken cancellationToken)
    {
        var page = await Users.ListAsync(_search, new PageRequest(state.Page, state.PageSize), cancellationToken);
        return new GridData<UserRow> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private async Task SearchAsync(string? search)
    {
        _search = search;
        await ReloadAsync();
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New user", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var outcome = await dialog.Result;
        if (outcome is { Canceled: false, Data: string email })
        {
            Snackbar.Add($"Created {email}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task ChangeRoleAsync(UserRow user, string role)
    {
        var result = await Users.ChangeRoleAsync(new ChangeUserRole(user.Id, role));
        Report(result, $"{user.Email} is now {role}. Their open sessions end; they sign in again with the new role.");
        await ReloadAsync();
    }

    private async Task ToggleDisabledAsync(UserRow user)
    {
        var disable = !user.IsDisabled;
        if (disable)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Disable user",
                $"Disable {user.Email}? They cannot sign in, and their open sessions end within a minute.",
                yesText: "Disable",
                cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        var result = await Users.SetDisabledAsync(new SetUserDisabled(user.Id, disable));
        Report(result, disable ? $"Disabled {user.Email}." : $"Enabled {user.Email}.");
        await ReloadAsync();
    }

    private async Task ResetPasswordAsync(UserRow user)
    {
        var parameters = new DialogParameters<ResetPasswordDialog>
        {
            { d => d.UserId, user.Id },
            { d => d.Email, user.Email },
        };
        var dialog = await Dialogs.ShowAsync<ResetPasswordDialog>("Reset password", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var outcome = await dialog.Result;
        if (outcome is { Canceled: false })
        {
            Snackbar.Add($"The password of {user.Email} was reset.", Severity.Success);
            await ReloadAsync();
        }
    }

    private void Report(Result result, string success)
    {
        if (result.Succeeded)
        {
            Snackbar.Add(success, Severity.Success);
        }
        else
        {
            Snackbar.Add(string.Join(" ", result.AllMessages()), Severity.Error);
        }
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;
}
