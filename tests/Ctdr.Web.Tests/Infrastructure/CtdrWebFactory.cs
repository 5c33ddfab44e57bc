using System.Net;
using Ctdr.Application.Access;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>
/// Hosts the real web application over a fresh SQLite database in a temporary data folder (deleted on dispose),
/// in the "Testing" environment so the production-only middleware (HSTS, exception handler) is active.
/// </summary>
public class CtdrWebFactory : WebApplicationFactory<Program>
{
    /// <summary>Meets the password policy: 12+ characters, upper- and lower-case letters, a digit.</summary>
    public const string Password = "Sturdy-Passw0rd-42";

    public const string AdminEmail = "admin@ctdr.test";

    private readonly string _environment;
    private TestUser? _administrator;
    private int _userNumber;

    public CtdrWebFactory()
        : this("Testing", clock: null)
    {
    }

    public CtdrWebFactory(string environment, FakeTimeProvider? clock)
    {
        _environment = environment;
        Clock = clock;
        DataDirectory = Path.Combine(Path.GetTempPath(), "ctdr-web-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    /// <summary>The clock the host uses instead of the system clock, when the test controls time.</summary>
    public FakeTimeProvider? Clock { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(_environment);
        builder.UseSetting("Ctdr:DataDirectory", DataDirectory);
        builder.UseSetting("Jobs:Storage", "InMemory");

        // No test enqueues a job; the dashboard reads the storage, which needs no server.
        builder.UseSetting("Jobs:RunServer", "false");

        // The sandbox cloud is exercised by its own tests and the browser tests, not by every functional test.
        builder.UseSetting("Sandbox:Enabled", "false");
        builder.ConfigureTestServices(services =>
        {
            PendingModelTables.Tolerate(services);
            if (Clock is not null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }
        });
    }

    /// <summary>The host as the application starts it, with the tables the migrations do not create yet (see <see cref="PendingModelTables"/>).</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        using var db = host.Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContext();
        PendingModelTables.CreateAsync(db).GetAwaiter().GetResult();
        return host;
    }

    /// <summary>
    /// The administrator every test host starts with: while none exists the sign-in page sends everyone to
    /// the first-run page, which is not what the tests are about.
    /// </summary>
    public async Task<TestUser> AdministratorAsync()
    {
        _administrator ??= await CreateUserAsync(Roles.Admin, AdminEmail);
        return _administrator;
    }

    /// <summary>Creates a user with <paramref name="role"/> through the application's own user directory.</summary>
    public async Task<TestUser> CreateUserAsync(string role, string? email = null)
    {
        if (_administrator is null && role != Roles.Admin)
        {
            await AdministratorAsync();
        }

        email ??= $"{role.ToLowerInvariant()}{Interlocked.Increment(ref _userNumber)}@ctdr.test";
        var directory = Services.GetRequiredService<IUserDirectory>();
        var (result, userId) = await directory.CreateAsync(new CreateUser(email, $"Test {role}", role, Password));
        if (!result.Succeeded || userId is null)
        {
            throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", result.AllMessages())}");
        }

        return new TestUser(userId, email, role);
    }

    /// <summary>A client that keeps cookies and does not follow redirects.</summary>
    public CookieClient CreateCookieClient(Uri? baseAddress = null)
    {
        var cookies = new CookieContainer();
        var client = CreateDefaultClient(baseAddress ?? new Uri("http://localhost"), new CookieContainerHandler(cookies));
        return new CookieClient(client, cookies);
    }

    /// <summary>Signs <paramref name="user"/> in through the real sign-in form and returns the signed-in client.</summary>
    public async Task<CookieClient> SignInAsync(TestUser user, Uri? baseAddress = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var client = CreateCookieClient(baseAddress);
        await client.SignInAsync(user.Email, Password);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
    }
}

public sealed record TestUser(string Id, string Email, string Role);
