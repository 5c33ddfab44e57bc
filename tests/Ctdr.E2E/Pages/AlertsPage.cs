using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/alerts</c> and an alert's page.</summary>
public sealed class AlertsPage(IPage page) : ShellPage(page)
{
    public const string Path = "/alerts";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Alerts", Exact = true });

    public ILocator Grid => Page.GetByTestId("alert-grid");

    public ILocator Empty => Page.GetByTestId("alert-empty");

    /// <summary>The grid rows of alerts whose rule title contains <paramref name="title"/>.</summary>
    public ILocator RowsOf(string title) => Grid.Locator("tbody tr").Filter(new() { Has = Page.GetByTestId("alert-title").Filter(new() { HasText = title }) });

    public ILocator Evidence => Page.GetByTestId("alert-evidence");

    public ILocator EvidenceRaw => Page.GetByTestId("alert-evidence-raw");

    public ILocator Entity(string kind) => Page.GetByTestId("alert-entity-" + kind);

    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Empty.Or(Grid.Locator("tbody tr [data-testid=alert-title]").First)).ToBeVisibleAsync();
        await Expect(Page.GetByText("Loading…")).ToHaveCountAsync(0);
    }
}

/// <summary><c>/rules</c>: the predefined and custom rules with their enabling switches.</summary>
public sealed class RulesPage(IPage page) : ShellPage(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Detection rules", Exact = true });

    public ILocator EnableShown => Page.GetByTestId("rules-enable-shown");

    public ILocator SwitchOf(string key) => Page.GetByTestId("rule-switch-" + key);

    public ILocator StateOf(string key) => Page.GetByTestId("rule-state-" + key);
}
