using Bunit;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Pages.LogSources;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>Editing a pulled source from its page: name and interval, and a new binding that is checked again.</summary>
public sealed class EditLogSourceDialogTests : CtdrComponentContext
{
    private const string Uid = "1234567890123456";

    private readonly CannedLogConnector _alibaba = new(CloudProvider.AlibabaCloud);

    public EditLogSourceDialogTests()
    {
        Services.AddSingleton<ILogConnector>(_alibaba);
    }

    [Fact]
    public async Task Save_RenamesAndKeepsTheSourceActive_WhenOnlyTheNameChanges()
    {
        var id = await AddSourceAsync();
        var (page, dialogs, editing) = OpenEdit(id);

        await dialogs.Find("[data-testid=edit-source-name]").InputAsync(new ChangeEventArgs { Value = "Production WAF (Hangzhou)" });
        await dialogs.Find("[data-testid=edit-source-save]").ClickAsync(new MouseEventArgs());
        await editing.WaitAsync(HangGuard.Timeout);

        var source = (await Services.GetRequiredService<LogSourceAdministration>().GetAsync(id))!;
        Assert.Equal(("Production WAF (Hangzhou)", LogSourceStatus.Active), (source.Name, source.Status));
        Assert.Single(_alibaba.Probed);
        page.WaitForAssertion(() => Assert.Equal("Production WAF (Hangzhou)", page.Find("[data-testid=source-name]").TextContent), HangGuard.Timeout);
    }

    [Fact]
    public async Task Save_ChecksTheNewBindingAndShowsTheDraft_WhenTheNewLogstoreFailsCheckValidity()
    {
        var id = await AddSourceAsync();
        _alibaba.Probe = new ValidityProbe([new ValidityStep("Logstore exists", ValidityStepStatus.Failed, "logstore waf-other does not exist", "LogStoreNotExist")], []);
        var (page, dialogs, editing) = OpenEdit(id);

        await dialogs.Find("[data-testid=binding-logstore]").InputAsync(new ChangeEventArgs { Value = "waf-other" });
        await dialogs.Find("[data-testid=edit-source-save]").ClickAsync(new MouseEventArgs());
        await editing.WaitAsync(HangGuard.Timeout);

        var source = (await Services.GetRequiredService<LogSourceAdministration>().GetAsync(id))!;
        Assert.Equal((LogSourceStatus.Draft, "waf-other"), (source.Status, source.Binding.LogStore));
        Assert.Equal("waf-other", _alibaba.Probed[^1].Binding.LogStore);
        page.WaitForElement("[data-testid=source-draft]", HangGuard.Timeout);
        Assert.Equal(
            ["Logstore exists | ✗ Failed | logstore waf-other does not exist | LogStoreNotExist", "Sample record parses | – Skipped | Skipped: an earlier step failed. | "],
            page.FindAll("[data-testid=validity-step]").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()))));
    }

    [Fact]
    public async Task Save_ShowsTheBindingRuleAndKeepsTheSource_WhenTheProjectIsInvalid()
    {
        var id = await AddSourceAsync();
        var (_, dialogs, _) = OpenEdit(id);

        await dialogs.Find("[data-testid=binding-project]").InputAsync(new ChangeEventArgs { Value = "Not_A_Project" });
        await dialogs.Find("[data-testid=edit-source-save]").ClickAsync(new MouseEventArgs());

        Assert.Equal(
            "Enter the SLS project: 3 to 63 lower-case letters, digits and '-'.",
            dialogs.Find("[data-testid=binding-project]").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim());
        Assert.Equal(LogBinding.AlibabaWafPayAsYouGo(Uid, "cn-hangzhou"), (await Services.GetRequiredService<LogSourceAdministration>().GetAsync(id))!.Binding);
    }

    private async Task<long> AddSourceAsync()
    {
        var (onboarded, accountId) = await Services.GetRequiredService<CloudAccountAdministration>()
            .OnboardAsync(new AccountForm(CloudProvider.AlibabaCloud, Uid, "Production", "cn-hangzhou", "LTAI5tAbCdEfGh12", "secret-value", null));
        Assert.True(onboarded.Succeeded);
        var (added, id, outcome) = await Services.GetRequiredService<LogSourceAdministration>()
            .AddAsync(new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "Production WAF", LogBinding.AlibabaWafPayAsYouGo(Uid, "cn-hangzhou"), 5));
        Assert.True(added.Succeeded && outcome!.Passed);
        return id!.Value;
    }

    /// <summary>Renders the source's page and opens its Edit dialog; the returned task ends when the dialog has closed and the page reloaded.</summary>
    private (IRenderedComponent<LogSourcePage> Page, IRenderedComponent<MudDialogProvider> Dialogs, Task Editing) OpenEdit(long id)
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<LogSourcePage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=source-edit]", HangGuard.Timeout);
        var editing = page.Find("[data-testid=source-edit]").ClickAsync(new MouseEventArgs());
        dialogs.WaitForElement("[data-testid=edit-source-dialog]", HangGuard.Timeout);
        return (page, dialogs, editing);
    }
}
