using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/logs</c>: log search and a record's dialog.</summary>
public sealed class LogSearchPage(IPage page) : ShellPage(page)
{
    public const string Path = "/logs";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Log search", Exact = true });

    public ILocator Grid => Page.GetByTestId("log-grid");

    /// <summary>The "path and query" cells of the results, newest first.</summary>
    public ILocator Paths => Page.GetByTestId("log-path");

    public ILocator Empty => Page.GetByTestId("log-empty");

    public ILocator Conditions => Page.GetByTestId("log-conditions");

    public ILocator ConditionErrors => Page.GetByTestId("log-condition-error");

    public ILocator SearchButton => Page.GetByTestId("log-search");

    public ILocator RecordDialog => Page.GetByTestId("log-record-dialog");

    public ILocator RecordRaw => Page.GetByTestId("log-record-raw");

    public ILocator RecordFields => Page.GetByTestId("log-record-field");

    /// <summary>The page is shown and its first search has run.</summary>
    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/logs(\\?.*)?$"));
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Page.GetByText("Loading…")).ToHaveCountAsync(0);
    }
}
