using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/</c>: the landing page, with the system status and the live activity list.</summary>
public sealed class OverviewPage(IPage page) : ShellPage(page)
{
    public const string Path = "/";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true });

    /// <summary>"Disconnected" in the prerendered HTML, "Connected" once the page's circuit is running.</summary>
    public ILocator LiveIndicator => Page.GetByTestId("live-indicator");

    /// <summary>The texts of the live activity list, newest first.</summary>
    public ILocator ActivityTexts => Page.GetByTestId("activity-text");

    public ILocator ActivityEmpty => Page.GetByTestId("activity-empty");

    public async Task GotoAsync()
    {
        await Page.GotoAsync(Path);
        await ExpectShownAsync();
    }

    /// <summary>The overview is shown and interactive: its controls work and live messages arrive.</summary>
    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(LiveIndicator).ToHaveTextAsync("Connected");
    }
}
