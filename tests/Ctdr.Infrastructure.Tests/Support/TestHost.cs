using Ctdr.Application;
using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Ctdr.Infrastructure;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Infrastructure.Tests.Support;

/// <summary>
/// The infrastructure wired as in the web host, on a fresh SQLite file in a temp folder that is deleted
/// afterwards. The signed-in user is whoever <see cref="SignInAs"/> last named.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string StrongPassword = "Correct-Horse-42";

    private readonly ServiceProvider _services;

    private TestHost(string dataDirectory, ServiceProvider services, FakeTimeProvider clock, TestCurrentUser currentUser)
    {
        DataDirectory = dataDirectory;
        _services = services;
        Clock = clock;
        CurrentUser = currentUser;
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => _services;

    public FakeTimeProvider Clock { get; }

    public TestCurrentUser CurrentUser { get; }

    /// <summary>Keep the data folder when this host is disposed (to start another host on the same data).</summary>
    public bool KeepDataOnDispose { get; set; }

    /// <param name="dataDirectory">An existing data folder to start on (a restart); a new one when null.</param>
    /// <param name="configure">Changes to the services after the real registrations (decorators at the process edge).</param>
    public static async Task<TestHost> StartAsync(IDictionary<string, string?>? settings = null, DateTimeOffset? now = null, string? dataDirectory = null, Action<IServiceCollection>? configure = null)
    {
        var directory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "ctdr-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["Ctdr:DataDirectory"] = directory,
            ["Jobs:Storage"] = "InMemory",
            ["Jobs:RunServer"] = "false",

            // A failed cloud call is retried after milliseconds, not seconds.
            ["Clouds:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        // Identity reads the system clock for lockouts, so the fake clock starts at the real time unless told otherwise.
        var start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now ?? new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, start.Second, TimeSpan.Zero));
        var currentUser = new TestCurrentUser();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.AddApplication();
        services.AddInfrastructure(configuration, directory);
        services.AddHttpContextAccessor();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddSingleton(currentUser);
        services.AddSingleton<ICurrentUser>(currentUser);
        PendingModelTables.Tolerate(services);
        configure?.Invoke(services);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync())
        {
            await PendingModelTables.CreateAsync(db);
        }
        return new TestHost(directory, provider, clock, currentUser);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async Task<CtdrDbContext> DbAsync() =>
        await Get<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();

    /// <summary>Creates a user straight in the directory (no audit, no permission check).</summary>
    public async Task<string> CreateUserAsync(string email, string role, string password = StrongPassword)
    {
        var (result, id) = await Get<IUserDirectory>().CreateAsync(new CreateUser(email, email.Split('@')[0], role, password));
        Assert.True(result.Succeeded, string.Join(" ", result.AllMessages()));
        return id!;
    }

    public void SignInAs(string userId, string email, string role, string? ip = "203.0.113.5") =>
        CurrentUser.User = new CurrentUserInfo(userId, email, [role], ip);

    /// <summary>Runs <paramref name="action"/> in a scope with an HTTP context, as a request would (sign-in writes a cookie to it).</summary>
    public async Task<T> InRequestAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        try
        {
            return await action(scope.ServiceProvider);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (KeepDataOnDispose)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection of another test; the temp folder is cleaned by the OS.
        }
    }
}

public sealed class TestCurrentUser : ICurrentUser
{
    public CurrentUserInfo? User { get; set; }

    public ValueTask<CurrentUserInfo?> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(User);

    public static CurrentUserInfo Admin(string id = "admin-id") => new(id, "admin@example.com", [Roles.Admin], "203.0.113.5");
}
