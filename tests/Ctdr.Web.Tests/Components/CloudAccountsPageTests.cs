using Bunit;
using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Web.Components.Pages.Accounts;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Ctdr.Web.Tests.Components;

/// <summary>
/// The Cloud accounts page and its onboard/edit dialog, over the real use case and SQLite database. The access key
/// secret is write-only: it goes in, and neither it nor its ciphertext ever comes back out in the markup.
/// </summary>
public sealed class CloudAccountsPageTests : CtdrComponentContext
{
    private const string Secret = "Zq7-SECRET-value-that-must-never-show";

    private static readonly string[] Fields = ["account-uid", "account-name", "account-regions", "account-key-id", "account-secret", "account-endpoint"];

    [Fact]
    public async Task OnboardDialog_ShowsAccountInputMessagesAndCreatesNothing_WhenInputIsInvalid()
    {
        var dialog = await OpenDialogAsync(null);
        await InputAsync(dialog, "account-uid", "not an id!");
        await InputAsync(dialog, "account-regions", "Hangzhou");
        await InputAsync(dialog, "account-endpoint", "ftp://proxy.example.com");

        await dialog.Provider.Find("[data-testid=account-submit]").ClickAsync(new MouseEventArgs());

        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["account-uid"] = "The account id has 1 to 64 letters, digits, '-', '_' or '.'.",
                ["account-name"] = "Enter a display name.",
                ["account-regions"] = "Regions are ids such as cn-hangzhou or ap-southeast-1, separated by commas (at most 30).",
                ["account-key-id"] = "Enter the access key id.",
                ["account-secret"] = "Enter the access key secret.",
                ["account-endpoint"] = "The endpoint is an http(s) address such as https://proxy.example.com, without query or credentials.",
            },
            FieldMessages(dialog));
        Assert.False(dialog.Reference.Result.IsCompleted);
        Assert.Empty(await Services.GetRequiredService<CloudAccountAdministration>().ListAsync());
    }

    [Fact]
    public async Task OnboardDialog_ShowsTheUseCasesMessage_WhenTheAccountIsAlreadyOnboarded()
    {
        await OnboardAsync("1234567890123456", "Production");
        var dialog = await OpenDialogAsync(null);
        await FillAsync(dialog, "1234567890123456", "Production again", "cn-hangzhou", "LTAI5tAbCdEfGh12", Secret);

        await dialog.Provider.Find("[data-testid=account-submit]").ClickAsync(new MouseEventArgs());

        Assert.Equal("This Alibaba Cloud account is already onboarded.", FieldMessages(dialog)["account-uid"]);
        Assert.False(dialog.Reference.Result.IsCompleted);
        Assert.Single(await Services.GetRequiredService<CloudAccountAdministration>().ListAsync());
    }

    [Fact]
    public async Task OnboardDialog_OnboardsTheAccountAndClosesWithItsId_WhenInputIsValid()
    {
        var dialog = await OpenDialogAsync(null);
        await FillAsync(dialog, " 1234567890123456 ", "Production", "cn-hangzhou, cn-shanghai", "LTAI5tAbCdEfGh12", Secret);

        await dialog.Provider.Find("[data-testid=account-submit]").ClickAsync(new MouseEventArgs());

        var result = await dialog.Reference.Result.WaitAsync(HangGuard.Timeout);
        var row = Assert.Single(await Services.GetRequiredService<CloudAccountAdministration>().ListAsync());
        Assert.Equal(row.Id, result!.Data);
        Assert.Equal(
            (CloudProvider.AlibabaCloud, "1234567890123456", "Production", "cn-hangzhou,cn-shanghai", "LTAI****Gh12", false),
            (row.Provider, row.AccountUid, row.DisplayName, string.Join(',', row.Regions), row.MaskedAccessKeyId, row.IsSandbox));
    }

    [Fact]
    public async Task PageAndEditDialog_RenderNeitherTheSecretNorItsCiphertext_WhenAnAccountIsListedAndEdited()
    {
        var id = await OnboardAsync("1234567890123456", "Production");
        var ciphertext = await ProtectedSecretAsync(id);
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();

        var page = Render<CloudAccountsPage>();
        page.WaitForElement($"[data-testid=account-name-{id}]", HangGuard.Timeout);
        // The click's handler waits for the dialog to close; the dialog is cancelled at the end.
        var editing = page.Find($"[data-testid=account-edit-{id}]").ClickAsync(new MouseEventArgs());
        provider.WaitForElement("[data-testid=account-dialog]", HangGuard.Timeout);

        Assert.Equal("LTAI****Gh12", page.Find($"[data-testid=account-key-{id}]").TextContent);
        Assert.Equal("Production", provider.Find("[data-testid=account-name]").GetAttribute("value"));
        Assert.Equal("Access key secret (leave empty to keep the stored secret)", provider.Find("[data-testid=account-secret]").Closest(".mud-input-control")!.QuerySelector("label")!.TextContent);
        Assert.Null(provider.Find("[data-testid=account-secret]").GetAttribute("value"));
        foreach (var markup in new[] { page.Markup, provider.Markup })
        {
            Assert.DoesNotContain(Secret, markup, StringComparison.Ordinal);
            Assert.DoesNotContain(ciphertext, markup, StringComparison.Ordinal);
            Assert.DoesNotContain(ciphertext[..16], markup, StringComparison.Ordinal);
        }

        await provider.Find("[data-testid=account-cancel]").ClickAsync(new MouseEventArgs());
        await editing.WaitAsync(HangGuard.Timeout);
    }

    [Fact]
    public async Task EditDialog_KeepsTheStoredSecret_WhenTheSecretFieldIsLeftEmpty()
    {
        var id = await OnboardAsync("1234567890123456", "Production");
        var ciphertext = await ProtectedSecretAsync(id);
        var dialog = await OpenDialogAsync(await Services.GetRequiredService<CloudAccountAdministration>().GetAsync(id));
        await InputAsync(dialog, "account-name", "Production (Hangzhou)");

        await dialog.Provider.Find("[data-testid=account-submit]").ClickAsync(new MouseEventArgs());

        var result = await dialog.Reference.Result.WaitAsync(HangGuard.Timeout);
        Assert.False(result!.Canceled);
        Assert.Equal("Production (Hangzhou)", (await Services.GetRequiredService<CloudAccountAdministration>().GetAsync(id))!.DisplayName);
        Assert.Equal(ciphertext, await ProtectedSecretAsync(id));
    }

    [Fact]
    public async Task Delete_AsksWithTheDeletionStatementAndDeletesOnlyWhenConfirmed_WhenAnAccountIsDeleted()
    {
        var id = await OnboardAsync("1234567890123456", "Production");
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var page = Render<CloudAccountsPage>();
        page.WaitForElement($"[data-testid=account-delete-{id}]", HangGuard.Timeout);

        var click = page.Find($"[data-testid=account-delete-{id}]").ClickAsync(new MouseEventArgs());
        provider.WaitForElement(".mud-message-box", HangGuard.Timeout);
        Assert.Equal(CloudAccountAdministration.DeletionStatement(0), provider.Find(".mud-message-box .mud-dialog-content").TextContent.Trim());
        var yes = provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Delete");
        await yes.ClickAsync(new MouseEventArgs());
        await click.WaitAsync(HangGuard.Timeout);

        Assert.Empty(await Services.GetRequiredService<CloudAccountAdministration>().ListAsync());
        page.WaitForElement("[data-testid=accounts-empty]", HangGuard.Timeout);
    }

    [Fact]
    public void ConnectSandbox_ShowsTheConflictMessage_WhenTheSandboxIsNotRunning()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var page = Render<CloudAccountsPage>();

        page.Find("[data-testid=connect-sandbox]").Click();

        snackbars.WaitForAssertion(
            () => Assert.Equal("The sandbox cloud is not running (Sandbox:Enabled is false).", snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()),
            HangGuard.Timeout);
    }

    private async Task<long> OnboardAsync(string uid, string name)
    {
        var (result, id) = await Services.GetRequiredService<CloudAccountAdministration>()
            .OnboardAsync(new AccountForm(CloudProvider.AlibabaCloud, uid, name, "cn-hangzhou", "LTAI5tAbCdEfGh12", Secret, null));
        Assert.True(result.Succeeded, string.Join(" ", result.AllMessages()));
        return id!.Value;
    }

    private async Task<string> ProtectedSecretAsync(long id)
    {
        await using var db = await Services.GetRequiredService<ICtdrDbFactory>().CreateAsync();
        var secret = await db.CloudAccounts.Where(a => a.Id == id).Select(a => a.ProtectedSecret).SingleAsync();
        Assert.NotEqual(Secret, secret);
        return secret;
    }

    private async Task<OpenDialog> OpenDialogAsync(CloudAccountDetails? account)
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        var parameters = new DialogParameters<CloudAccountDialog> { { d => d.Account, account } };
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<CloudAccountDialog>("Cloud account", parameters));
        return new OpenDialog(provider, reference!);
    }

    private static async Task FillAsync(OpenDialog dialog, string uid, string name, string regions, string keyId, string secret)
    {
        await InputAsync(dialog, "account-uid", uid);
        await InputAsync(dialog, "account-name", name);
        await InputAsync(dialog, "account-regions", regions);
        await InputAsync(dialog, "account-key-id", keyId);
        await InputAsync(dialog, "account-secret", secret);
    }

    private static Task InputAsync(OpenDialog dialog, string testId, string value) =>
        dialog.Provider.Find($"[data-testid={testId}]").InputAsync(new ChangeEventArgs { Value = value });

    private static Dictionary<string, string?> FieldMessages(OpenDialog dialog) =>
        Fields.ToDictionary(
            field => field,
            field => dialog.Provider.Find($"[data-testid={field}]").Closest(".mud-input-control")!
                .QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim());

    private sealed record OpenDialog(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Reference);
}
