using Ctdr.Application.Access;
using Ctdr.Application.Activation;
using Ctdr.Application.Common;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.Activation;

public partial class ActivationPage
{
    public const int MeteringDays = 14;

    private ActivationState? _state;
    private MeteringReport? _metering;
    private IReadOnlyList<MeterDay> _days = [];
    private IReadOnlyList<SourceVolume> _sources = [];
    private bool _canActivate;
    private bool _canPrice;
    private bool _busy;
    private int _switchVersion;

    [Inject]
    private ActivationService Activation { get; set; } = default!;

    [Inject]
    private MeteringQuery Metering { get; set; } = default!;

    [Inject]
    private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = await CurrentUser.GetAsync();
        _canActivate = user?.Has(Permission.ManageCloudAccounts) == true;
        _canPrice = user?.Has(Permission.ManageSettings) == true;
        _state = await Activation.GetAsync();
        await LoadMeteringAsync();
    }

    /// <summary>The price tiers in words: "first 10 GB", "10 to 100 GB", "above 100 GB".</summary>
    internal static IEnumerable<(string Range, string Price)> TierRows(IReadOnlyList<PriceTier> tiers)
    {
        decimal? lower = null;
        foreach (var tier in tiers)
        {
            var range = (lower, tier.UpToGbPerDay) switch
            {
                (null, { } up) => $"First {Formats.Number(up)} GB",
                ({ } low, { } up) => $"{Formats.Number(low)} to {Formats.Number(up)} GB",
                ({ } low, null) => $"Above {Formats.Number(low)} GB",
                (null, null) => "Every GB",
            };
            yield return (range, Formats.Number(tier.PricePerGb, "0.00##"));
            lower = tier.UpToGbPerDay;
        }
    }

    private async Task LoadMeteringAsync()
    {
        _metering = await Metering.ReadAsync(MeteringDays);
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var byDay = _metering.Days.ToDictionary(d => d.Day);
        _days = [.. Enumerable.Range(0, MeteringDays).Select(i => today.AddDays(-i)).Select(day => byDay.GetValueOrDefault(day) ?? new MeterDay(day, 0, 0, 0, 0))];
        _sources = [.. _metering.Rows
            .GroupBy(r => r.SourceId)
            .Select(g => new SourceVolume(g.Key, g.First().SourceName, g.Sum(r => r.Received), g.Sum(r => r.Stored), g.Sum(r => r.Quarantined), g.Sum(r => r.Bytes)))
            .OrderByDescending(s => s.Bytes).ThenBy(s => s.Name, StringComparer.Ordinal)];
    }

    private async Task ActivateAsync(bool logAccessPolicy)
    {
        _busy = true;
        try
        {
            var added = await Activation.ActivateAsync(logAccessPolicy);
            Snackbar.Add(
                logAccessPolicy ? $"Ctdr is activated with the log access policy; {Sources(added)} added." : "Ctdr is activated. Add log sources on the Log sources page.",
                Severity.Success);
            _state = await Activation.GetAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SetPolicyAsync(bool on)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            on ? "Turn the log access policy on?" : "Turn the log access policy off?",
            on
                ? "This adds the core logs (WAF, Cloud Firewall, ActionTrail) of every onboarded account now, and of every account onboarded later. Each new source is checked and starts pulling when it passes; what it ingests is metered."
                : "Onboarded accounts no longer get their core logs automatically. The log sources already added stay as they are; delete the ones you do not want on the Log sources page.",
            yesText: on ? "Turn on" : "Turn off",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            // The switch flipped itself when clicked; a fresh one shows the unchanged policy again.
            _switchVersion++;
            return;
        }

        _busy = true;
        try
        {
            var added = await Activation.ActivateAsync(on);
            Snackbar.Add(on ? $"The log access policy is on; {Sources(added)} added." : "The log access policy is off.", Severity.Success);
            _state = await Activation.GetAsync();
            _switchVersion++;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task EditPricesAsync()
    {
        var parameters = new DialogParameters<PriceTiersDialog>
        {
            { d => d.Currency, _state!.Currency },
            { d => d.Tiers, _state.PriceTiers },
        };
        var dialog = await Dialogs.ShowAsync<PriceTiersDialog>("Price tiers", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("The price tiers are saved.", Severity.Success);
            _state = await Activation.GetAsync();
            await LoadMeteringAsync();
        }
    }

    private static string Sources(int count) => count == 1 ? "1 log source" : $"{count} log sources";

    internal sealed record SourceVolume(long SourceId, string Name, long Received, long Stored, long Quarantined, long Bytes);
}
