using Microsoft.Playwright;

namespace Ctdr.E2E.Pages;

/// <summary><c>/error/{code}</c>: what a browser gets with a 403, 404 or 500 for a full page request.</summary>
public sealed class ErrorPage(IPage page)
{
    public ILocator Title => page.GetByTestId("error-title");

    public ILocator BackToOverview => page.GetByRole(AriaRole.Link, new() { Name = "Back to the overview", Exact = true });
}
