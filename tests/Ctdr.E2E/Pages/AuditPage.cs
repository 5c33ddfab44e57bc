using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/admin/audit</c>: the audit log.</summary>
public sealed class AuditPage(IPage page) : ShellPage(page)
{
    public const string Path = "/admin/audit";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true });

    public ILocator Grid => Page.GetByTestId("audit-grid");

    /// <summary>Rows whose action column reads <paramref name="action"/> (an <c>AuditAction</c> name).</summary>
    public ILocator EntriesOf(string action) =>
        Grid.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = action, Exact = true }) });

    /// <summary>The page is shown and its grid has loaded (the grid loads only once the circuit runs).</summary>
    public async Task ExpectShownWithAsync(string action)
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(EntriesOf(action).First).ToBeVisibleAsync();
    }
}
