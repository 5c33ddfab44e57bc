using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Activation;
using Ctdr.Web.Components.Pages.Activation;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>The Activation page over the real use cases: the two choices, the policy switch, metering and the price tiers.</summary>
public sealed class ActivationPageTests : CtdrComponentContext
{
    [Fact]
    public async Task Activate_RecordsTheChoiceAndShowsWhoActivated_WhenAdministratorActivatesWithoutThePolicy()
    {
        var page = Render<ActivationPage>();
        page.WaitForElement("[data-testid=activation-choices]", HangGuard.Timeout);

        await page.Find("[data-testid=activate-without-policy]").ClickAsync(new MouseEventArgs());

        var state = await Services.GetRequiredService<ActivationService>().GetAsync();
        Assert.Equal((true, false, AdminEmail), (state.IsActivated, state.LogAccessPolicy, state.ActivatedBy));
        page.WaitForAssertion(() => Assert.Equal("Activated", page.Find("[data-testid=activation-status]").TextContent.Trim()), HangGuard.Timeout);
        Assert.Equal($"on {Web.Components.Shared.Formats.Utc(state.ActivatedAt)} by {AdminEmail}", page.Find("[data-testid=activation-by]").TextContent.Trim());
        Assert.Equal("Log access policy: off", page.Find("[data-testid=log-access-policy]").Closest(".mud-switch")!.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=activation-choices]"));
    }

    [Theory]
    [InlineData(true, true, "Log access policy: on")]
    [InlineData(false, false, "Log access policy: off")]
    public async Task PolicySwitch_ChangesThePolicyOnlyWhenConfirmed_WhenTheAdministratorTurnsItOn(bool confirm, bool expectedPolicy, string expectedLabel)
    {
        await Services.GetRequiredService<ActivationService>().ActivateAsync(logAccessPolicy: false);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ActivationPage>();
        page.WaitForElement("[data-testid=log-access-policy]", HangGuard.Timeout);

        var switching = page.Find("[data-testid=log-access-policy]").ChangeAsync(new ChangeEventArgs { Value = true });
        dialogs.WaitForElement(".mud-message-box", HangGuard.Timeout);
        Assert.StartsWith("This adds the core logs (WAF, Cloud Firewall, ActionTrail) of every onboarded account now", dialogs.Find(".mud-message-box .mud-dialog-content").TextContent.Trim(), StringComparison.Ordinal);
        await dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == (confirm ? "Turn on" : "Cancel")).ClickAsync(new MouseEventArgs());
        await switching.WaitAsync(HangGuard.Timeout);

        Assert.Equal(expectedPolicy, (await Services.GetRequiredService<ActivationService>().GetAsync()).LogAccessPolicy);
        page.WaitForAssertion(
            () =>
            {
                Assert.Equal(expectedLabel, page.Find("[data-testid=log-access-policy]").Closest(".mud-switch")!.TextContent.Trim());
                Assert.Equal(expectedPolicy, page.Find("[data-testid=log-access-policy]").HasAttribute("checked"));
            },
            HangGuard.Timeout);
    }

    [Fact]
    public async Task Page_ShowsTheChoicesWithoutActions_WhenAViewerOpensItBeforeActivation()
    {
        await SignInAsAsync(Roles.Viewer);

        var page = Render<ActivationPage>();

        page.WaitForElement("[data-testid=activation-choices]", HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=activate-with-policy]"));
        Assert.Empty(page.FindAll("[data-testid=activate-without-policy]"));
        Assert.Empty(page.FindAll("[data-testid=edit-prices]"));
        Assert.Equal("An administrator activates the service.", page.Find("[data-testid=activation-admin-only]").TextContent.Trim());
    }

    [Fact]
    public async Task Metering_ShowsFourteenDaysAndTheSourcesVolume_WhenRecordsWereStoredToday()
    {
        var source = await StoredLogs.CreatePushedSourceAsync(Services, "Edge WAF");
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await StoredLogs.AppendAsync(Services, source, [StoredLogs.HttpRecord("a", now, "/"), StoredLogs.HttpRecord("b", now, "/login")], 2048);

        var page = Render<ActivationPage>();

        page.WaitForElement("[data-testid=metering-source]", HangGuard.Timeout);
        var days = page.FindAll("[data-testid=metering-day]");
        Assert.Equal(ActivationPage.MeteringDays, days.Count);
        Assert.Equal(
            [now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "2", "2 KiB", "0.000002", "0.00"],
            days[0].QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
        Assert.Equal(["0", "0 B"], days[1].QuerySelectorAll("td").Skip(1).Take(2).Select(c => c.TextContent.Trim()));
        Assert.Equal(["Edge WAF", "2", "2", "0", "2 KiB"], page.Find("[data-testid=metering-source]").QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public async Task PriceTiersDialog_ShowsTheTierRuleAndSavesNothing_WhenBoundsDescend()
    {
        var dialog = await OpenPriceTiersAsync();
        await dialog.Provider.Find("[data-testid=price-tier-bound-1]").ChangeAsync(new ChangeEventArgs { Value = "5" });

        await dialog.Provider.Find("[data-testid=price-tiers-save]").ClickAsync(new MouseEventArgs());

        Assert.Equal("Tier bounds must be positive and ascending.", dialog.Provider.Find("[data-testid=price-tiers-error]").TextContent.Trim());
        Assert.False(dialog.Reference.Result.IsCompleted);
        Assert.Equal(ServiceActivation.DefaultTiers, (await Services.GetRequiredService<ActivationService>().GetAsync()).PriceTiers);
    }

    [Fact]
    public async Task PriceTiersDialog_SavesCurrencyAndTiers_WhenTheyAreValid()
    {
        var dialog = await OpenPriceTiersAsync();
        await dialog.Provider.Find("[data-testid=price-currency]").InputAsync(new ChangeEventArgs { Value = "cny" });
        await dialog.Provider.Find("[data-testid=price-tier-remove-1]").ClickAsync(new MouseEventArgs());
        await dialog.Provider.Find("[data-testid=price-tier-price-1]").ChangeAsync(new ChangeEventArgs { Value = "0.2" });

        await dialog.Provider.Find("[data-testid=price-tiers-save]").ClickAsync(new MouseEventArgs());

        await dialog.Reference.Result.WaitAsync(HangGuard.Timeout);
        var state = await Services.GetRequiredService<ActivationService>().GetAsync();
        Assert.Equal("CNY", state.Currency);
        Assert.Equal([new PriceTier(10m, 0.50m), new PriceTier(null, 0.2m)], state.PriceTiers);
    }

    private async Task<OpenDialog> OpenPriceTiersAsync()
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        var parameters = new DialogParameters<PriceTiersDialog>
        {
            { d => d.Currency, "USD" },
            { d => d.Tiers, ServiceActivation.DefaultTiers },
        };
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<PriceTiersDialog>("Price tiers", parameters));
        return new OpenDialog(provider, reference!);
    }

    private sealed record OpenDialog(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Reference);
}
