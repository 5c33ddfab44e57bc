using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Persistence;

/// <summary>The SQL Server migration set against a real server, in a database of its own that is dropped afterwards.</summary>
public class SqlServerTests
{
    [SqlServerFact]
    public async Task SqlServerMigrations_ApplyCompletely_AndTheConsoleWorksOnThem()
    {
        var builder = new SqlConnectionStringBuilder(SqlServerFactAttribute.ConnectionString) { InitialCatalog = "CtdrTest_" + Guid.NewGuid().ToString("N") };
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Ctdr"] = builder.ConnectionString,
        });
        try
        {
            await using var db = await host.DbAsync();
            Assert.Equal(DatabaseProvider.SqlServer, db.Provider);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());

            var created = await host.Get<FirstAdministrator>().CreateAsync("boss@example.com", "Boss", TestHost.StrongPassword, Actor.System);
            Assert.True(created.Succeeded);
            var outcome = await host.InRequestAsync(services => services.GetRequiredService<AccountSignIn>().SignInAsync("boss@example.com", TestHost.StrongPassword, false, "192.0.2.1"));
            Assert.Equal(SignInStatus.Succeeded, outcome.Status);

            host.SignInAs((await db.Users.SingleAsync()).Id, "boss@example.com", Roles.Admin);
            var page = await host.Services.CreateScope().ServiceProvider.GetRequiredService<AuditLogQuery>()
                .ListAsync(new AuditFilter(Actor: "BOSS", From: host.Clock.GetUtcNow().AddMinutes(-1)), new PageRequest(0, 10));
            Assert.Equal([AuditAction.SignInSucceeded], page.Items.Select(r => r.Action));
        }
        finally
        {
            await using var db = await host.DbAsync();
            await db.Database.EnsureDeletedAsync();
        }
    }
}
