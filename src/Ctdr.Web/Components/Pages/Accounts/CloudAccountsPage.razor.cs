using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.Accounts;

public partial class CloudAccountsPage
{
    private readonly HashSet<long> _testing = [];
    private MudDataGrid<CloudAccountRow>? _grid;
    private bool _connecting;

    [Inject]
    private CloudAccountAdministration Accounts { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task<GridData<CloudAccountRow>> LoadAsync(GridState<CloudAccountRow> state, CancellationToken cancellationToken)
    {
        var rows = await Accounts.ListAsync(cancellationToken);
        var page = new PageRequest(state.Page, state.PageSize);
        return new GridData<CloudAccountRow> { Items = [.. rows.Skip(page.Skip).Take(page.Take)], TotalItems = rows.Count };
    }

    private async Task OnboardAsync()
    {
        var dialog = await Dialogs.ShowAsync<CloudAccountDialog>("Onboard a cloud account", DialogOptions);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("The account is onboarded. Test its credentials, then add its log sources.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task EditAsync(CloudAccountRow row)
    {
        var details = await Accounts.GetAsync(row.Id);
        if (details is null)
        {
            Snackbar.Add("The cloud account no longer exists.", Severity.Warning);
            await ReloadAsync();
            return;
        }

        var parameters = new DialogParameters<CloudAccountDialog> { { d => d.Account, details } };
        var dialog = await Dialogs.ShowAsync<CloudAccountDialog>("Edit cloud account", parameters, DialogOptions);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Saved {row.DisplayName}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task TestAsync(CloudAccountRow row)
    {
        _testing.Add(row.Id);
        try
        {
            var check = await Accounts.TestCredentialsAsync(row.Id);
            var code = check.ErrorCode is { Length: > 0 } c ? $" ({c})" : string.Empty;
            Snackbar.Add(
                check.Succeeded ? $"{row.DisplayName}: the credentials are accepted. {check.Detail}" : $"{row.DisplayName}: the credentials are refused{code}. {check.Detail}",
                check.Succeeded ? Severity.Success : Severity.Error);
        }
        catch (InvalidOperationException gone)
        {
            Snackbar.Add(gone.Message, Severity.Warning);
        }
        finally
        {
            _testing.Remove(row.Id);
        }

        await ReloadAsync();
    }

    private async Task ToggleDisabledAsync(CloudAccountRow row)
    {
        var disable = !row.IsDisabled;
        if (disable)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Disable account",
                $"Disable {row.DisplayName}? Its {row.LogSourceCount} log source(s) are not pulled until the account is enabled again.",
                yesText: "Disable",
                cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        var result = await Accounts.SetDisabledAsync(row.Id, disable);
        Report(result, disable ? $"Disabled {row.DisplayName}." : $"Enabled {row.DisplayName}.");
        await ReloadAsync();
    }

    private async Task DeleteAsync(CloudAccountRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Delete {row.DisplayName}?",
            CloudAccountAdministration.DeletionStatement(row.LogSourceCount),
            yesText: "Delete",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Accounts.DeleteAsync(row.Id);
        Report(result, $"Deleted {row.DisplayName}.");
        await ReloadAsync();
    }

    private async Task ConnectSandboxAsync()
    {
        _connecting = true;
        try
        {
            var (result, added) = await Accounts.ConnectSandboxAsync();
            if (!result.Succeeded)
            {
                Snackbar.Add(string.Join(" ", result.AllMessages()), Severity.Warning);
                return;
            }

            Snackbar.Add(
                added == 0 ? "Every sandbox account is already onboarded." : $"Added {added} sandbox account{(added == 1 ? string.Empty : "s")}.",
                added == 0 ? Severity.Info : Severity.Success);
        }
        catch (HttpRequestException unreachable)
        {
            Snackbar.Add($"The sandbox cloud did not answer: {unreachable.Message}", Severity.Error);
        }
        finally
        {
            _connecting = false;
        }

        await ReloadAsync();
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

    private static DialogOptions DialogOptions => new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;
}
