using Microsoft.Playwright;

namespace Ctdr.E2E.Harness;

/// <summary>
/// One headless Chromium for the whole run (starting it is the slow part); every test gets its own browser
/// context, so cookies and storage never leak between tests. The browser is the distribution's Chromium:
/// Playwright's own download is not available to us, and <c>./test.sh</c> installs the package when missing.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    /// <summary>How long an <c>Expect(...)</c> waits. Generous because a cold circuit on a 2-core CI machine is slow; passing tests never wait it out.</summary>
    public const float ExpectTimeoutMs = 15_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CTDR_E2E_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {executable}. Install the distribution's package (Debian: apt-get install chromium) or set CTDR_E2E_CHROMIUM.");
        }

        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMs);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// All browser tests share one browser and run one after another: each starts its own app, and on two cores
/// parallel apps and browsers would only make each other time out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
