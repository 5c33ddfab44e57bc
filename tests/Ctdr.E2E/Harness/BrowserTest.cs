using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Ctdr.Infrastructure.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Ctdr.E2E.Harness;

/// <summary>
/// Base of the browser tests: a fresh app (own port, own data folder) and a fresh browser context per test,
/// both disposed afterwards. Test bodies run through <see cref="RunAsync"/>, which saves a screenshot, the
/// HTML and the logs when the test fails (xunit 2 does not tell a test's cleanup whether it passed).
/// Derived classes carry <c>[Collection(BrowserTestGroup.Name)]</c> themselves to share the browser.
/// </summary>
public abstract class BrowserTest(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private CtdrApp? _app;
    private IBrowserContext? _context;
    private IPage? _page;
    private BrowserConsole? _console;

    protected CtdrApp App => _app ?? throw NotStarted();

    protected IBrowserContext Context => _context ?? throw NotStarted();

    protected IPage Page => _page ?? throw NotStarted();

    protected BrowserConsole BrowserConsole => _console ?? throw NotStarted();

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Configuration for this test's app; none by default (a first-run installation).</summary>
    protected virtual IReadOnlyDictionary<string, string?> AppSettings { get; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _app = CtdrApp.Start(AppSettings);
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _app.BaseUrl.ToString(),
            Locale = "en-GB",
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        _context.SetDefaultTimeout(30_000);
        _page = await _context.NewPageAsync();
        _console = BrowserConsole.Attach(_page);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_context is not null)
            {
                await _context.DisposeAsync();
            }
        }
        finally
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }

    /// <summary>Appends exactly <paramref name="count"/> generated records to a stream of the sandbox cloud running in the app, optionally as an attack scenario.</summary>
    protected async Task GenerateAsync(string stream, int count, string? scenario)
    {
        var sandbox = App.Services.GetRequiredService<SandboxEndpoint>().Address!;
        using var http = new HttpClient { BaseAddress = sandbox };
        using var response = await http.PostAsJsonAsync("/_sandbox/generate", new { stream, count, scenario });
        response.EnsureSuccessStatusCode();
    }

    protected async Task RunAsync(Func<Task> scenario, [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(scenario);
        try
        {
            await scenario();
        }
        catch (Exception failure)
        {
            var folder = await FailureArtifacts.SaveAsync($"{GetType().Name}.{testName}", Context, BrowserConsole, App.Log, failure);
            Output.WriteLine($"Screenshot, HTML and logs of the failure: {folder}");
            throw;
        }
    }

    private static InvalidOperationException NotStarted() => new("The test has not been initialised.");
}
