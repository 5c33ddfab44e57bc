using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Live;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.LogSources;

public sealed partial class LogSourcesPage
{
    /// <summary>The fastest the list reloads for live ingestion messages.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(2);

    private static readonly string[] IngestionOnly = [LiveKinds.Ingestion];

    private MudDataGrid<LogSourceRow>? _grid;
    private ReloadThrottle? _throttle;
    private DateTimeOffset _now;
    private bool _canManage;
    private string? _accountFilterName;

    /// <summary>Only this account's sources (from the Cloud accounts page).</summary>
    [SupplyParameterFromQuery(Name = "account")]
    public long? AccountFilter { get; set; }

    [Inject]
    private LogSourceAdministration LogSources { get; set; } = default!;

    [Inject]
    private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    public void Dispose() => _throttle?.Dispose();

    internal static bool IsPushed(LogSourceRow row) => LogProducts.Of(row.Product).Binding == LogBindingKind.Push;

    protected override async Task OnInitializedAsync()
    {
        _throttle = new ReloadThrottle(Clock, ReloadInterval);
        _now = Clock.GetUtcNow();
        _canManage = (await CurrentUser.GetAsync())?.Has(Permission.ManageCloudAccounts) == true;
    }

    protected override async Task OnParametersSetAsync()
    {
        // Navigating between ?account=… values reuses this page; the grid reloads for the new filter.
        await ReloadAsync();
    }

    private async Task<GridData<LogSourceRow>> LoadAsync(GridState<LogSourceRow> state, CancellationToken cancellationToken)
    {
        _throttle?.Loaded();
        _now = Clock.GetUtcNow();
        var rows = await LogSources.ListAsync(AccountFilter, cancellationToken);
        _accountFilterName = AccountFilter is null ? null : (rows is [var first, ..] ? first.AccountName : null) ?? $"#{AccountFilter}";
        var page = new PageRequest(state.Page, state.PageSize);
        return new GridData<LogSourceRow> { Items = [.. rows.Skip(page.Skip).Take(page.Take)], TotalItems = rows.Count };
    }

    private async Task OnIngestionAsync(LiveMessage message)
    {
        if (_throttle is not null)
        {
            await _throttle.OnMessageAsync(message, ReloadAsync);
        }
    }

    private async Task AddPushedAsync()
    {
        var dialog = await Dialogs.ShowAsync<AddPushedSourceDialog>("Add a pushed source", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: AddPushedSourceDialog.CreatedPushedSource created })
        {
            return;
        }

        await ReloadAsync();
        await LogSourceActions.ShowKeyAsync(Dialogs, created.Id, created.Name, created.Key, rotated: false);
    }

    private void ClearAccountFilter() => Navigation.NavigateTo("/log-sources");

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;
}
