using Microsoft.Playwright;

namespace Ctdr.E2E.Harness;

/// <summary>
/// What the browser reported while a test ran: console messages of type error (Chromium prints content
/// security policy violations there, as "Refused to ...") and uncaught script errors.
/// </summary>
public sealed class BrowserConsole
{
    private readonly List<string> _errors = [];
    private readonly List<string> _all = [];
    private readonly Lock _gate = new();

    private BrowserConsole()
    {
    }

    /// <summary>Errors, each prefixed with the page address it happened on.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Every console message and script error, for the failure report.</summary>
    public IReadOnlyList<string> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    public static BrowserConsole Attach(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var console = new BrowserConsole();
        page.Console += (_, message) => console.Add(message.Type, $"{message.Location} {message.Text}", message.Type == "error");
        page.PageError += (_, error) => console.Add("pageerror", $"{page.Url} {error}", isError: true);
        return console;
    }

    private void Add(string type, string text, bool isError)
    {
        lock (_gate)
        {
            _all.Add($"[{type}] {text}");
            if (isError)
            {
                _errors.Add(text);
            }
        }
    }
}
