using Ctdr.E2E.Harness;
using Ctdr.E2E.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E;

/// <summary>Steps 1 and 2 of the CTDR workflow as an administrator goes through them: activate, onboard, prepare the WAF logs, push logs.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class IngestionSetupTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser, output)
{
    private const string Uid = "1234567890123456";
    private const string Secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";

    protected override IReadOnlyDictionary<string, string?> AppSettings => TestUsers.BootstrapAdministrator;

    [Fact]
    public Task Administrator_ActivatesOnboardsAndPreparesTheWafSource_WithoutTheSecretEverReachingTheBrowser() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);

        // Activate without the log access policy.
        await Page.GetByTestId("nav-activation").ClickAsync();
        var activation = new ActivationPage(Page);
        await activation.ExpectShownAsync();
        await Expect(activation.Choices).ToBeVisibleAsync();
        await activation.ActivateWithoutPolicy.ClickAsync();
        await Expect(activation.Status).ToHaveTextAsync("Activated");
        await Expect(activation.PolicySwitch).ToHaveTextAsync("Log access policy: off");
        await Expect(activation.Choices).ToHaveCountAsync(0);

        // Onboard an Alibaba Cloud account.
        await Page.GetByTestId("nav-accounts").ClickAsync();
        var accounts = new CloudAccountsPage(Page);
        await accounts.ExpectShownAsync();
        await Expect(accounts.Empty).ToHaveTextAsync("No cloud account is onboarded yet.");
        var onboard = await accounts.OpenOnboardDialogAsync();
        await onboard.FillAsync(Uid, "Production", "cn-hangzhou, cn-shanghai", "LTAI5tAbCdEfGh12", Secret);
        await onboard.Submit.ClickAsync();
        await Expect(onboard.Root).ToBeHiddenAsync();

        await Expect(accounts.AccountRows).ToHaveCountAsync(1);
        await Expect(accounts.MaskedKeyOf(1)).ToHaveTextAsync("LTAI****Gh12");
        await Expect(accounts.CredentialsOf(1)).ToHaveTextAsync("Not tested");
        await Expect(accounts.SourceCountOf(1)).ToHaveTextAsync("0");
        Assert.DoesNotContain(Secret, await Page.ContentAsync(), StringComparison.Ordinal);

        // The edit dialog starts with an empty secret field that keeps the stored secret.
        var edit = await accounts.OpenEditDialogAsync(1);
        await Expect(edit.DisplayName).ToHaveValueAsync("Production");
        await Expect(edit.Secret).ToHaveValueAsync(string.Empty);
        await Expect(edit.SecretLabel).ToHaveTextAsync("Access key secret (leave empty to keep the stored secret)");
        Assert.DoesNotContain(Secret, await Page.ContentAsync(), StringComparison.Ordinal);
        await edit.Cancel.ClickAsync();
        await Expect(edit.Root).ToBeHiddenAsync();

        // Its WAF 3.0 logs: the binding follows from the account.
        await accounts.AddSourceButtonOf(1).ClickAsync();
        var add = new AddLogSourcePage(Page);
        await Expect(Page).ToHaveURLAsync(AddLogSourcePage.Path + "?account=1");
        await Expect(add.Project).ToHaveValueAsync($"wafnew-project-{Uid}-cn-hangzhou");
        await Expect(add.LogStore).ToHaveValueAsync("wafnew-logstore");
        await Expect(add.Name).ToHaveValueAsync("Production WAF");
        await add.SubscriptionEdition.ClickAsync();
        await Expect(add.Project).ToHaveValueAsync($"wafng-project-{Uid}-cn-hangzhou");
        await Expect(add.LogStore).ToHaveValueAsync("wafng-logstore");
        Assert.DoesNotContain(Secret, await Page.ContentAsync(), StringComparison.Ordinal);

        Assert.True(BrowserConsole.Errors.Count == 0, string.Join(Environment.NewLine, BrowserConsole.Errors));
    });

    [Fact]
    public Task Administrator_AddsAPushedSource_AndSeesItsKeyOnlyOnce() => RunAsync(async () =>
    {
        var login = new LoginPage(Page);
        await login.GotoAsync();
        await login.SignInAndOpenOverviewAsync(TestUsers.AdminEmail, TestUsers.AdminPassword);
        await Page.GetByTestId("nav-log-sources").ClickAsync();
        var sources = new LogSourcesPage(Page);
        await sources.ExpectShownAsync();

        var key = await sources.AddPushedSourceAsync("Edge firewall alerts");

        Assert.StartsWith("ctdr_", key, StringComparison.Ordinal);
        await Expect(Page.GetByTestId("push-example")).ToContainTextAsync($"{App.BaseUrl}api/ingest/1");
        await sources.KeyDone.ClickAsync();
        await Expect(sources.KeyDialog).ToBeHiddenAsync();
        await Expect(sources.SourceRows).ToHaveCountAsync(1);
        await Expect(sources.StatusOf(1)).ToHaveTextAsync("Active");
        await Expect(sources.BindingOf(1)).ToHaveTextAsync("pushed over HTTP");
        Assert.DoesNotContain(key, await Page.ContentAsync(), StringComparison.Ordinal);

        await Page.ReloadAsync();
        await sources.ExpectShownAsync();
        await Expect(sources.SourceRows).ToHaveCountAsync(1);
        Assert.DoesNotContain(key, await Page.ContentAsync(), StringComparison.Ordinal);
    });
}
