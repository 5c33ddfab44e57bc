using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.Live;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.LogSources;

public sealed partial class LogSourcePage
{
    public const int QuarantineShown = 20;

    private static readonly string[] IngestionOnly = [LiveKinds.Ingestion];

    private readonly List<BreadcrumbItem> _breadcrumbs = [new("Log sources", "/log-sources")];
    private IReadOnlyList<QuarantineRow> _quarantine = [];
    private ReloadThrottle? _throttle;
    private LogSourceRow? _source;
    private DateTimeOffset _now;
    private bool _loaded;
    private bool _canManage;

    [Parameter]
    public long Id { get; set; }

    [Inject]
    private LogSourceAdministration LogSources { get; set; } = default!;

    [Inject]
    private CloudAccountAdministration Accounts { get; set; } = default!;

    [Inject]
    private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private bool IsPushed => _source is { } source && LogProducts.Of(source.Product).Binding == LogBindingKind.Push;

    private string PushEndpoint => $"{Navigation.BaseUri}api/ingest/{Id}";

    public void Dispose() => _throttle?.Dispose();

    protected override async Task OnInitializedAsync()
    {
        _throttle = new ReloadThrottle(Clock, LogSourcesPage.ReloadInterval);
        _canManage = (await CurrentUser.GetAsync())?.Has(Permission.ManageCloudAccounts) == true;
    }

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _throttle?.Loaded();
        _now = Clock.GetUtcNow();
        _source = await LogSources.GetAsync(Id);
        _quarantine = _source is null ? [] : await LogSources.QuarantineAsync(Id, QuarantineShown);
        _loaded = true;
        if (_breadcrumbs.Count > 1)
        {
            _breadcrumbs.RemoveAt(1);
        }

        _breadcrumbs.Add(new BreadcrumbItem(_source?.Name ?? "Not found", null, disabled: true));
    }

    private async Task OnIngestionAsync(LiveMessage message)
    {
        if (_throttle is not null && message.SubjectId == Invariant.Text(Id))
        {
            await _throttle.OnMessageAsync(message, LoadAsync);
        }
    }

    private async Task EditAsync()
    {
        if (_source is not { AccountId: { } accountId } source)
        {
            return;
        }

        var account = await Accounts.GetAsync(accountId);
        var parameters = new DialogParameters<EditLogSourceDialog>
        {
            { d => d.Source, source },
            { d => d.Regions, account is null ? [] : AccountInput.ParseRegions(account.Regions) },
        };
        var dialog = await Dialogs.ShowAsync<EditLogSourceDialog>("Edit log source", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false })
        {
            return;
        }

        if (result.Data is ValidityOutcome outcome)
        {
            Snackbar.Add(
                outcome.Passed ? "Saved. The new binding passed Check Validity." : $"Saved. The new binding failed Check Validity at {outcome.FailedStep?.Name}: the source is a draft.",
                outcome.Passed ? Severity.Success : Severity.Warning);
        }
        else
        {
            Snackbar.Add("Saved.", Severity.Success);
        }

        await LoadAsync();
    }

    private void BackToList() => Navigation.NavigateTo("/log-sources");

    /// <summary>Every field of the status panel, as label, text and test id.</summary>
    private IEnumerable<(string Label, string Value, string TestId)> StatusRows(LogSourceRow s)
    {
        var pushed = IsPushed;
        yield return ("Account", s.AccountName is null ? "—" : $"{s.AccountName} ({CloudProviders.DisplayName(s.Provider)})", "account");
        yield return ("Product", LogProducts.Of(s.Product).DisplayName, "product");
        yield return ("Binding", s.Binding.Describe(LogProducts.Of(s.Product).Binding), "binding");
        yield return ("Added", $"{Formats.Utc(s.CreatedAt)}{(s.AddedByPolicy ? " by the log access policy" : string.Empty)}", "added");
        yield return ("Pull interval", pushed ? "pushed over HTTP" : Formats.Interval(s.PullIntervalSeconds), "interval");
        yield return (pushed ? "Last push" : "Last pull", $"{Formats.Ago(s.LastPullAt, _now)} ({Formats.Utc(s.LastPullAt)})", "last-pull");
        yield return ("Last success", Formats.Utc(s.LastSuccessAt), "last-success");
        yield return ("Newest record", Formats.Utc(s.LastRecordTime), "newest-record");
        yield return ("Lag", s.LagAt(_now) is { } lag ? Formats.Duration(lag) : "—", "lag");
        yield return ("Records per second (last pull)", Formats.Number(s.LastPullRecordsPerSecond), "rate");
        yield return ("Stored today", Formats.Count(s.StoredToday), "stored-today");
        yield return ("Quarantined today", Formats.Count(s.QuarantinedToday), "quarantined-today");
        yield return ("Received today", Formats.Bytes(s.BytesToday), "bytes-today");
        yield return ("Stored in total", Formats.Count(s.StoredTotal), "stored-total");
        yield return ("Quarantined in total", Formats.Count(s.QuarantinedTotal), "quarantined-total");
        yield return ("Consecutive failures", Formats.Count(s.ConsecutiveFailures), "failures");
        yield return ("Last error", s.LastError is null ? "—" : $"{(s.LastErrorCode is { } code ? code + ": " : string.Empty)}{s.LastError}", "last-error");
        yield return ("Next attempt", s.NextAttemptAt is null ? "on schedule" : Formats.Utc(s.NextAttemptAt), "next-attempt");
        if (pushed)
        {
            yield return ("API key", s.PushKeyPrefix is null ? "—" : s.PushKeyPrefix + "…", "push-key");
        }
    }
}
