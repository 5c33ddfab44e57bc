using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/events</c> (Security Event Handling) and an event's page.</summary>
public sealed class EventsPage(IPage page) : ShellPage(page)
{
    public const string Path = "/events";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Security event handling", Exact = true });

    public ILocator Grid => Page.GetByTestId("event-grid");

    public ILocator Rows => Grid.Locator("tbody tr").Filter(new() { Has = Page.GetByTestId("event-title") });

    public ILocator Empty => Page.GetByTestId("event-empty");

    public ILocator ChainTactics => Page.GetByTestId("event-chain-tactic");

    public ILocator ChainTitles => Page.GetByTestId("event-chain-title");

    public ILocator ChainReasons => Page.GetByTestId("event-chain-reason");

    public ILocator GraphNode(string value) => Page.GetByTestId("entity-graph-node-value").Filter(new() { HasTextString = value });

    public ILocator GraphNodes => Page.GetByTestId("entity-graph-node-value");

    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Empty.Or(Rows.First)).ToBeVisibleAsync();
        await Expect(Page.GetByText("Loading…")).ToHaveCountAsync(0);
    }
}
