using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/log-sources</c>: the sources with their statistics, and the pushed-source dialogs.</summary>
public sealed class LogSourcesPage(IPage page) : ShellPage(page)
{
    public const string Path = "/log-sources";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Log sources", Exact = true });

    public ILocator Grid => Page.GetByTestId("sources-grid");

    public ILocator SourceRows => Grid.GetByRole(AriaRole.Row).Filter(new() { Has = Page.Locator("[data-testid^='source-link-']") });

    public ILocator StatusOf(long id) => Page.GetByTestId($"source-status-{id}");

    public ILocator BindingOf(long id) => Page.GetByTestId($"source-binding-{id}");

    public ILocator StoredTodayOf(long id) => Page.GetByTestId($"source-stored-{id}");

    public ILocator AddPushedSourceButton => Page.GetByTestId("add-pushed-source");

    public ILocator PushedSourceName => Page.GetByTestId("pushed-source-name");

    public ILocator PushedSourceCreate => Page.GetByTestId("pushed-source-create");

    public ILocator KeyDialog => Page.GetByTestId("push-key-dialog");

    public ILocator Key => Page.GetByTestId("push-key");

    public ILocator KeyDone => Page.GetByTestId("push-key-done");

    /// <summary>The page is shown and its grid has loaded.</summary>
    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Page.GetByText("Loading…")).ToHaveCountAsync(0);
    }

    /// <summary>Creates a pushed source and returns the key the dialog shows (once), leaving the dialog open.</summary>
    public async Task<string> AddPushedSourceAsync(string name)
    {
        await AddPushedSourceButton.ClickAsync();
        await PushedSourceName.FillAsync(name);
        await PushedSourceCreate.ClickAsync();
        await Expect(KeyDialog).ToBeVisibleAsync();
        return await Key.InputValueAsync();
    }
}

/// <summary><c>/log-sources/new</c>: a pulled source's account, product, binding and Check Validity.</summary>
public sealed class AddLogSourcePage(IPage page) : ShellPage(page)
{
    public const string Path = "/log-sources/new";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Add a log source", Exact = true });

    public ILocator Project => Page.GetByTestId("binding-project");

    public ILocator LogStore => Page.GetByTestId("binding-logstore");

    public ILocator Name => Page.GetByTestId("source-name");

    /// <summary>The WAF 3.0 edition switch (subscription when on).</summary>
    public ILocator SubscriptionEdition => Page.Locator(".mud-switch").Filter(new() { Has = Page.GetByTestId("waf-subscription") });

    public ILocator NoPullableAccount => Page.GetByTestId("no-pullable-account");

    /// <summary>Chooses the log product; the page shows (prerendered) a moment before it answers clicks, so the list is opened until it opens.</summary>
    public async Task ChooseProductAsync(string name)
    {
        var listbox = Page.GetByRole(AriaRole.Listbox);
        for (var attempt = 0; ; attempt++)
        {
            await Page.GetByTestId("source-product").ClickAsync();
            try
            {
                await Expect(listbox).ToBeVisibleAsync(new() { Timeout = 2_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 10)
            {
                // Not interactive yet.
            }
        }

        await listbox.GetByRole(AriaRole.Option, new() { Name = name, Exact = true }).ClickAsync();
        await Expect(listbox).ToBeHiddenAsync();
    }
}
