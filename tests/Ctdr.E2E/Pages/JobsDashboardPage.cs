using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/jobs</c>: Hangfire's dashboard (its own HTML and scripts, not a Blazor page).</summary>
public sealed class JobsDashboardPage(IPage page)
{
    public const string Path = "/jobs";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true });

    public async Task ExpectShownAsync()
    {
        await Expect(page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
    }
}
