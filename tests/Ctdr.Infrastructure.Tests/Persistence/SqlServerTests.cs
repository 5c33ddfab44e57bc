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

            // The SQL Server firehose: bulk copy, duplicates ignored, checkpoint compare-and-swap, meters.
            var account = Application.Accounts.CloudAccount.Create(Application.Accounts.CloudProvider.AlibabaCloud, "5000000000000001", "Shop", ["cn-hangzhou"], "ak", "protected", null, false, host.Clock.GetUtcNow());
            db.CloudAccounts.Add(account);
            await db.SaveChangesAsync();
            var source = Application.LogSources.LogSource.CreatePulled(account.Id, Application.LogSources.LogProduct.AlibabaWaf, "WAF", Application.LogSources.LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), 5, false, host.Clock.GetUtcNow());
            db.LogSources.Add(source);
            await db.SaveChangesAsync();
            var store = host.Get<Application.Logs.ILogStore>();
            var now = host.Clock.GetUtcNow();
            var first = await store.AppendAsync(new Application.Logs.LogBatch(source.Id, 0, "c1", TestLogs.Many(source.Id, 3000, now), [], 0, now), CancellationToken.None);
            var overlap = await store.AppendAsync(new Application.Logs.LogBatch(source.Id, 1, "c2", TestLogs.Many(source.Id, 3500, now), [new Application.Logs.QuarantineItem("bad", new byte[] { 1 }, null)], 0, now), CancellationToken.None);
            var stale = await store.AppendAsync(new Application.Logs.LogBatch(source.Id, 1, "c3", TestLogs.Many(source.Id, 10, now, "z"), [], 0, now), CancellationToken.None);
            Assert.Equal(new Application.Logs.AppendResult(true, 3000, 0, 0), first);
            Assert.Equal(new Application.Logs.AppendResult(true, 500, 3000, 1), overlap);
            Assert.Equal(Application.Logs.AppendResult.Conflict, stale);
            Assert.Equal(3500, await db.SecurityLogs.CountAsync());
            var meter = await db.IngestionMeters.SingleAsync();
            Assert.Equal((6501L, 3500L, 3000L, 1L), (meter.Received, meter.Stored, meter.Duplicates, meter.Quarantined));
        }
        finally
        {
            await using var db = await host.DbAsync();
            await db.Database.EnsureDeletedAsync();
        }
    }
}
