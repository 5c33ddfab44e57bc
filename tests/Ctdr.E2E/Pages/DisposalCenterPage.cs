using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/disposal</c>: handling policies and handling tasks.</summary>
public sealed class DisposalCenterPage(IPage page) : ShellPage(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Disposal Center", Exact = true });

    public ILocator PolicyRows => Page.GetByTestId("policy-grid").Locator("tbody tr").Filter(new() { Has = Page.GetByTestId("policy-playbook") });

    public ILocator TaskRows => Page.GetByTestId("task-grid").Locator("tbody tr").Filter(new() { Has = Page.GetByTestId("task-what") });

    public ILocator TasksTab => Page.GetByRole(AriaRole.Tab, new() { Name = "Handling tasks" });

    public ILocator PoliciesTab => Page.GetByRole(AriaRole.Tab, new() { Name = "Handling policies" });

    public async Task ExpectShownAsync()
    {
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Page.GetByText("Loading…")).ToHaveCountAsync(0);
    }
}

/// <summary><c>/response/rules</c>: automatic response rules.</summary>
public sealed class ResponseRulesPage(IPage page) : ShellPage(page)
{
    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Automatic response rules", Exact = true });

    public ILocator Rows => Page.GetByTestId("response-rule-row");

    /// <summary>Opens the new-rule form; the page shows (prerendered) a moment before it answers clicks.</summary>
    public async Task OpenNewRuleAsync()
    {
        var form = Page.GetByTestId("response-rule-form");
        for (var attempt = 0; ; attempt++)
        {
            await Page.GetByTestId("response-rule-new").ClickAsync();
            try
            {
                await Expect(form).ToBeVisibleAsync(new() { Timeout = 2_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 10)
            {
                // Not interactive yet.
            }
        }
    }
}
