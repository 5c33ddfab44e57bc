using Bunit;
using Bunit.TestDoubles;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Pages.LogSources;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>
/// Adding a log source: the binding prefilled from the account, Check Validity's steps, and Save, over the real use
/// cases and database. Alibaba Cloud's log service is a canned connector; Huawei Cloud has none here.
/// </summary>
public sealed class AddLogSourcePageTests : CtdrComponentContext
{
    private const string Uid = "1234567890123456";

    private readonly CannedLogConnector _alibaba = new(CloudProvider.AlibabaCloud);

    public AddLogSourcePageTests()
    {
        Services.AddSingleton<ILogConnector>(_alibaba);
    }

    [Fact]
    public async Task Page_PrefillsTheWaf30PayAsYouGoBindingAndName_WhenAnAlibabaAccountIsChosen()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou, cn-shanghai");

        var page = Render<AddLogSourcePage>();

        page.WaitForElement("[data-testid=binding-project]", HangGuard.Timeout);
        Assert.Equal(
            ($"wafnew-project-{Uid}-cn-hangzhou", "wafnew-logstore", "Production WAF", "cn-hangzhou"),
            (Value(page, "binding-project"), Value(page, "binding-logstore"), Value(page, "source-name"), SelectText(page, "binding-region")));
        Assert.Equal("Every 5 s", SelectText(page, "source-interval"));
        Assert.Equal("WAF 3.0 access and protection logs", SelectText(page, "source-product"));
    }

    [Fact]
    public async Task Page_SwitchesToTheWafngNamesAndFollowsTheRegion_WhenTheSubscriptionEditionIsChosen()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou, cn-shanghai");
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=binding-project]", HangGuard.Timeout);

        await page.Find("[data-testid=waf-subscription]").ChangeAsync(new ChangeEventArgs { Value = true });

        Assert.Equal(($"wafng-project-{Uid}-cn-hangzhou", "wafng-logstore"), (Value(page, "binding-project"), Value(page, "binding-logstore")));

        await SelectAsync(page, "binding-region", "cn-shanghai");

        Assert.Equal(($"wafng-project-{Uid}-cn-shanghai", "wafng-logstore"), (Value(page, "binding-project"), Value(page, "binding-logstore")));
    }

    [Fact]
    public async Task Page_KeepsWhatTheAdministratorTyped_WhenTheRegionChanges()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou, cn-shanghai");
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=binding-project]", HangGuard.Timeout);

        await page.Find("[data-testid=binding-project]").InputAsync(new ChangeEventArgs { Value = "my-waf-project" });
        await SelectAsync(page, "binding-region", "cn-shanghai");

        Assert.Equal(("my-waf-project", "wafnew-logstore"), (Value(page, "binding-project"), Value(page, "binding-logstore")));
    }

    [Fact]
    public async Task Page_PrefillsTheCloudFirewallNames_WhenThatProductIsChosen()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou");
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=binding-project]", HangGuard.Timeout);

        await SelectAsync(page, "source-product", (LogProduct?)LogProduct.AlibabaCloudFirewall);

        Assert.Equal(
            ($"cloudfirewall-project-{Uid}-cn-hangzhou", "cloudfirewall-logstore", "Production Cloud Firewall"),
            (Value(page, "binding-project"), Value(page, "binding-logstore"), Value(page, "source-name")));
        Assert.Empty(page.FindAll("[data-testid=waf-subscription]"));
    }

    [Fact]
    public async Task CheckValidity_ShowsEachStepWithItsResultAndErrorCode_WhenTheLogstoreIsMissing()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou");
        _alibaba.Probe = new ValidityProbe(
            [
                new ValidityStep(ValidityChecker.CredentialsStep, ValidityStepStatus.Passed, "The access key is accepted."),
                new ValidityStep("Project exists", ValidityStepStatus.Passed, $"wafnew-project-{Uid}-cn-hangzhou"),
                new ValidityStep("Logstore exists", ValidityStepStatus.Failed, "logstore wafnew-logstore does not exist", "LogStoreNotExist"),
                new ValidityStep("Read permission", ValidityStepStatus.Skipped, "Skipped: an earlier step failed."),
            ],
            []);
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=check-validity]", HangGuard.Timeout);

        await page.Find("[data-testid=check-validity]").ClickAsync(new MouseEventArgs());

        Assert.Equal(
            [
                "Credentials | ✓ Passed | The access key is accepted. | ",
                $"Project exists | ✓ Passed | wafnew-project-{Uid}-cn-hangzhou | ",
                "Logstore exists | ✗ Failed | logstore wafnew-logstore does not exist | LogStoreNotExist",
                "Read permission | – Skipped | Skipped: an earlier step failed. | ",
                "Sample record parses | – Skipped | Skipped: an earlier step failed. | ",
            ],
            Steps(page));
        Assert.Equal("Logstore exists failed. Saved now, the source stays a draft until Check Validity passes.", page.Find("[data-testid=validity-summary]").TextContent.Trim());
        var probed = Assert.Single(_alibaba.Probed);
        Assert.Equal(LogBinding.AlibabaWafPayAsYouGo(Uid, "cn-hangzhou"), probed.Binding);
        Assert.Empty(await Services.GetRequiredService<LogSourceAdministration>().ListAsync());
    }

    [Fact]
    public async Task CheckValidity_FailsTheCredentialsStepWithTheReason_WhenTheAccountIsDisabled()
    {
        var id = await OnboardAsync(CloudProvider.HuaweiCloud, "0a1b2c3d4e5f", "Huawei production", "cn-north-4");
        Assert.True((await Services.GetRequiredService<CloudAccountAdministration>().SetDisabledAsync(id, true)).Succeeded);
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=binding-log-group]", HangGuard.Timeout);
        await page.Find("[data-testid=binding-log-group]").InputAsync(new ChangeEventArgs { Value = "group-1" });
        await page.Find("[data-testid=binding-log-stream]").InputAsync(new ChangeEventArgs { Value = "stream-1" });

        await page.Find("[data-testid=check-validity]").ClickAsync(new MouseEventArgs());

        Assert.Equal(["Credentials | ✗ Failed | The cloud account is disabled. | "], Steps(page));
    }

    [Fact]
    public async Task CheckValidity_ShowsTheBindingRules_WhenTheBindingIsIncomplete()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou");
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=binding-logstore]", HangGuard.Timeout);
        await page.Find("[data-testid=binding-logstore]").InputAsync(new ChangeEventArgs { Value = "" });

        await page.Find("[data-testid=check-validity]").ClickAsync(new MouseEventArgs());

        Assert.Equal("Enter the logstore: 2 to 63 lower-case letters, digits, '-' and '_'.", ErrorOf(page, "binding-logstore"));
        Assert.Empty(page.FindAll("[data-testid=validity-step]"));
        Assert.Empty(_alibaba.Probed);
    }

    [Fact]
    public async Task Save_KeepsTheSourceAsADraftAndOpensItsPage_WhenCheckValidityFails()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou");
        _alibaba.Probe = new ValidityProbe([new ValidityStep("Project exists", ValidityStepStatus.Failed, "project does not exist", "ProjectNotExist")], []);
        var snackbars = Render<MudSnackbarProvider>();
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=save-source]", HangGuard.Timeout);

        await page.Find("[data-testid=save-source]").ClickAsync(new MouseEventArgs());

        var source = Assert.Single(await Services.GetRequiredService<LogSourceAdministration>().ListAsync());
        Assert.Equal(("Production WAF", LogSourceStatus.Draft, LogBinding.AlibabaWafPayAsYouGo(Uid, "cn-hangzhou"), 5), (source.Name, source.Status, source.Binding, source.PullIntervalSeconds));
        Assert.Equal($"http://localhost/log-sources/{source.Id}", Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Equal(
            "Saved Production WAF as a draft: Project exists failed. It is not pulled until Check Validity passes.",
            snackbars.Find(".mud-snackbar-content-message").TextContent.Trim());
    }

    [Fact]
    public async Task Save_StartsTheSource_WhenCheckValidityPasses()
    {
        await OnboardAsync(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou");
        var other = await OnboardAsync(CloudProvider.AlibabaCloud, "6543210987654321", "Staging", "cn-beijing");
        Services.GetRequiredService<BunitNavigationManager>().NavigateTo($"/log-sources/new?account={other}");
        var page = Render<AddLogSourcePage>();
        page.WaitForElement("[data-testid=save-source]", HangGuard.Timeout);

        await page.Find("[data-testid=save-source]").ClickAsync(new MouseEventArgs());

        var source = Assert.Single(await Services.GetRequiredService<LogSourceAdministration>().ListAsync());
        Assert.Equal(("Staging WAF", other, LogSourceStatus.Active), (source.Name, source.AccountId, source.Status));
        Assert.Equal(
            [ValidityStepStatus.Passed, ValidityStepStatus.Warning],
            source.ValiditySteps.Select(s => s.Status));
    }

    private async Task<long> OnboardAsync(CloudProvider provider, string uid, string name, string regions)
    {
        var (result, id) = await Services.GetRequiredService<CloudAccountAdministration>()
            .OnboardAsync(new AccountForm(provider, uid, name, regions, "AKIDEXAMPLE1234", "secret-value", null));
        Assert.True(result.Succeeded, string.Join(" ", result.AllMessages()));
        return id!.Value;
    }

    private static string? Value(IRenderedComponent<AddLogSourcePage> page, string testId) =>
        page.Find($"[data-testid={testId}]").GetAttribute("value");

    /// <summary>The text a MudSelect shows for its value.</summary>
    private static string? SelectText(IRenderedComponent<AddLogSourcePage> page, string testId) =>
        page.Find($"[data-testid={testId}]").Closest(".mud-select")!.QuerySelector(".mud-select-input")?.TextContent.Trim();

    private static string? ErrorOf(IRenderedComponent<AddLogSourcePage> page, string testId) =>
        page.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();

    private static Task SelectAsync<T>(IRenderedComponent<AddLogSourcePage> page, string testId, T value)
    {
        var select = page.FindComponents<MudSelect<T>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId));
        return select.InvokeAsync(() => select.Instance.SelectOption(value));
    }

    private static string[] Steps(IRenderedComponent<AddLogSourcePage> page) =>
        [.. page.FindAll("[data-testid=validity-step]").Select(row => string.Join(" | ", row.QuerySelectorAll("td").Select(c => c.TextContent.Trim())))];
}
