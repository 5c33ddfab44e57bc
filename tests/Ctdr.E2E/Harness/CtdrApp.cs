using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ctdr.E2E.Harness;

/// <summary>
/// The real web app on a real Kestrel port (127.0.0.1, picked by the OS) with a data folder of its own, so a
/// test sees the product as a fresh installation: first run, migrations, the embedded job storage and all.
/// Disposing stops the app and deletes the folder.
/// </summary>
public sealed class CtdrApp : IAsyncDisposable
{
    /// <summary>
    /// Not "Development": the browser gets what production serves (the exception handler page, HSTS, no
    /// developer exception page), so the console and content security policy checks mean something. The
    /// build's static web assets (MudBlazor's files, blazor.web.js) are switched on explicitly; ASP.NET Core
    /// does that by itself only in Development, and published output is not what the tests run against.
    /// </summary>
    public const string EnvironmentName = "Testing";

    private readonly Factory _factory;

    private CtdrApp(Factory factory, string dataDirectory, Uri baseUrl)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
        BaseUrl = baseUrl;
    }

    /// <summary>The app's origin, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri BaseUrl { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _factory.Services;

    public ServerLog Log => _factory.Log;

    /// <summary>Starts a fresh app. <paramref name="settings"/> are configuration values on top of the defaults.</summary>
    public static CtdrApp Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("ctdr-e2e-").FullName;
        var all = new Dictionary<string, string?>
        {
            // The sandbox cloud runs in the app, as after "dotnet run", on a free port of its own.
            ["Sandbox:Url"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        all["Ctdr:DataDirectory"] = dataDirectory;

        var factory = new Factory(all);
        try
        {
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new CtdrApp(factory, dataDirectory, new Uri(address));
        }
        catch
        {
            factory.Dispose();
            DeleteQuietly(dataDirectory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();

        // Pooled connections keep the database files open.
        SqliteConnection.ClearAllPools();
        DeleteQuietly(DataDirectory);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        public ServerLog Log { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(EnvironmentName);
            builder.UseStaticWebAssets();
            foreach (var (key, value) in settings)
            {
                // Host settings reach Program.cs before it reads configuration (ConfigureAppConfiguration would be too late).
                builder.UseSetting(key, value);
            }

            // The app's log goes to the failure report, not into the test runner's console.
            builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Log));
        }
    }
}
