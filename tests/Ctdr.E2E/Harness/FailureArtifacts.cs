using System.Globalization;
using Microsoft.Playwright;

namespace Ctdr.E2E.Harness;

/// <summary>
/// Saves what is needed to understand a failed browser test without re-running it: a screenshot and the
/// HTML of every open page, the browser console and the app's log. Written under
/// <c>artifacts/e2e/&lt;test&gt;/</c> at the repository root (or <c>CTDR_E2E_ARTIFACTS</c>), which CI keeps.
/// </summary>
public static class FailureArtifacts
{
    public static string Root
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CTDR_E2E_ARTIFACTS") is { Length: > 0 } configured)
            {
                return Path.GetFullPath(configured);
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Ctdr.Web.sln")))
                {
                    return Path.Combine(directory.FullName, "artifacts", "e2e");
                }
            }

            return Path.Combine(AppContext.BaseDirectory, "artifacts", "e2e");
        }
    }

    public static async Task<string> SaveAsync(string testName, IBrowserContext context, BrowserConsole console, ServerLog serverLog, Exception failure)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(serverLog);
        ArgumentNullException.ThrowIfNull(failure);

        var folder = Path.Combine(Root, testName + "-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "failure.txt"), failure.ToString());
        await File.WriteAllLinesAsync(Path.Combine(folder, "browser-console.log"), console.All);
        await File.WriteAllLinesAsync(Path.Combine(folder, "server.log"), serverLog.Lines);

        var index = 0;
        foreach (var page in context.Pages)
        {
            index++;
            var name = context.Pages.Count == 1 ? "page" : $"page{index}";
            try
            {
                await File.WriteAllTextAsync(Path.Combine(folder, name + ".url.txt"), page.Url);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true, Timeout = 10_000 });
                await File.WriteAllTextAsync(Path.Combine(folder, name + ".html"), await page.ContentAsync());
            }
            catch (PlaywrightException exception)
            {
                // A crashed or navigating page still leaves the other files; say why this one is missing.
                await File.WriteAllTextAsync(Path.Combine(folder, name + ".capture-error.txt"), exception.ToString());
            }
        }

        return folder;
    }
}
