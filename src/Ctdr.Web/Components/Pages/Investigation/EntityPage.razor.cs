using Ctdr.Application.Investigation;
using Ctdr.Application.Live;
using Ctdr.Web.Components.Pages.Logs;
using Ctdr.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.Investigation;

/// <summary>
/// One entity under investigation (<c>/entities/{kind}?value=…</c>): its events, alerts and latest logs, first and
/// last seen, and the log search that finds its logs. Reloads, throttled, when events or alerts change.
/// </summary>
public sealed partial class EntityPage : IDisposable
{
    /// <summary>The fastest the page reloads for live messages.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(2);

    private static readonly string[] LiveKindsShown = [LiveKinds.Event, LiveKinds.Alert];

    private static readonly int WindowDays = (int)EntityInvestigation.LogWindow.TotalDays;

    private ReloadThrottle? _throttle;
    private InvestigatedKind? _kind;
    private bool _invalid;
    private EntityProfile? _profile;

    /// <summary>The kind's slug: ip, asset, account, user or access-key.</summary>
    [Parameter]
    public string? Kind { get; set; }

    [SupplyParameterFromQuery(Name = "value")]
    public string? Value { get; set; }

    [Inject]
    private EntityInvestigation Investigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    public void Dispose() => _throttle?.Dispose();

    protected override void OnInitialized() => _throttle = new ReloadThrottle(Clock, ReloadInterval);

    protected override async Task OnParametersSetAsync()
    {
        _kind = InvestigatedKinds.Parse(Kind);
        _invalid = !string.IsNullOrWhiteSpace(Value) && EntityInvestigation.Normalize(Value) is null;
        _profile = null;
        await LoadAsync();
    }

    private static string Noun(InvestigatedKind kind) => kind switch
    {
        InvestigatedKind.Ip => "IP",
        InvestigatedKind.Asset => "asset",
        InvestigatedKind.Account => "cloud account",
        InvestigatedKind.User => "user",
        _ => "access key",
    };

    private static string Shown(int shown, int total, bool totalIsLowerBound = false) =>
        (shown == total && !totalIsLowerBound ? Formats.Count(total) : $"{Formats.Count(shown)} of {Formats.Count(total)}") + (totalIsLowerBound ? "+" : string.Empty);

    private static string LogCountText(EntityProfile profile) =>
        Formats.Count(profile.LogCount) + (profile.LogCountIsLowerBound ? "+" : string.Empty);

    private async Task LoadAsync()
    {
        if (_kind is not { } kind || _invalid || string.IsNullOrWhiteSpace(Value))
        {
            return;
        }

        _throttle?.Loaded();
        _profile = await Investigation.GetAsync(kind, Value);
    }

    private async Task OnLiveAsync(LiveMessage message)
    {
        if (_throttle is null || _profile is null)
        {
            return;
        }

        await _throttle.OnMessageAsync(message, async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
    }

    private async Task OpenLogAsync(long id)
    {
        var parameters = new DialogParameters<LogRecordDialog> { { d => d.LogId, id } };
        await Dialogs.ShowAsync<LogRecordDialog>("Log record", parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
    }
}
