using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Ctdr.Application;
using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Ctdr.Infrastructure;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>
/// A bUnit context with the real Application and Infrastructure services over a fresh SQLite database in a
/// temporary data folder (deleted on dispose), MudBlazor, and a signed-in administrator seen through the
/// console's own <see cref="ICurrentUser"/>, rendering as an interactive server circuit does.
/// </summary>
public class CtdrComponentContext : BunitContext, IAsyncLifetime
{
    public const string AdminEmail = "admin@ctdr.test";

    private readonly BunitAuthorizationContext _authorization;

    public CtdrComponentContext()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "ctdr-web-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ctdr:DataDirectory"] = DataDirectory,
                ["Jobs:Storage"] = "InMemory",
                ["Jobs:RunServer"] = "false",
            })
            .Build();

        Services.AddLogging();
        Services.AddMudServices();
        Services.AddApplication();
        Services.AddInfrastructure(configuration, DataDirectory);
        PendingModelTables.Tolerate(Services);
        Services.AddHttpContextAccessor();
        Services.AddScoped<CircuitClient>();
        Services.AddScoped<ICurrentUser, CurrentUser>();
        JSInterop.Mode = JSRuntimeMode.Loose;

        // Diagrams (the event page's entity graph) measure their canvas once rendered; the browser would answer with its box.
        JSInterop.Setup<Blazor.Diagrams.Core.Geometry.Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true).SetResult(new Blazor.Diagrams.Core.Geometry.Rectangle(0, 0, 1200, 480));
        _authorization = AddAuthorization();
    }

    public string DataDirectory { get; }

    public IUserDirectory Users => Services.GetRequiredService<IUserDirectory>();

    /// <summary>Migrates the database, then signs in a newly created administrator.</summary>
    public async Task InitializeAsync()
    {
        // Components render as in a live circuit (interactive server), where grids load and live updates arrive.
        // Setting it builds the service provider, so derived contexts register their services before this.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        await Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using (var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync())
        {
            await PendingModelTables.CreateAsync(db);
        }

        var (result, adminId) = await Users.CreateAsync(new CreateUser(AdminEmail, "Administrator", Roles.Admin, CtdrWebFactory.Password));
        Assert.True(result.Succeeded, string.Join(" ", result.AllMessages()));
        _authorization.SetAuthorized(AdminEmail);
        _authorization.SetRoles(Roles.Admin);
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, adminId!));
    }

    /// <summary>Creates a user with <paramref name="role"/> and continues the test signed in as that user.</summary>
    public async Task SignInAsAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}@ctdr.test";
        var (result, id) = await Users.CreateAsync(new CreateUser(email, role, role, CtdrWebFactory.Password));
        Assert.True(result.Succeeded, string.Join(" ", result.AllMessages()));
        _authorization.SetAuthorized(email);
        _authorization.SetRoles(role);
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, id!));
    }

    /// <summary>
    /// xunit disposes a test class synchronously, which MudBlazor's services refuse (they are only
    /// asynchronously disposable); so the context is disposed asynchronously here, before that.
    /// </summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        DeleteDataDirectory();
    }

    private void DeleteDataDirectory()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
