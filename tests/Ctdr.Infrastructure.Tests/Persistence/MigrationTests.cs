using System.Text.RegularExpressions;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Ctdr.Infrastructure.Tests.Persistence;

public partial class MigrationTests
{
    [Fact]
    public async Task SqliteMigrations_ApplyCompletely_WhenDatabaseIsNew()
    {
        await using var host = await TestHost.StartAsync();
        await using var db = await host.DbAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "ctdr.db")));

        var tables = await db.Database
            .SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .ToListAsync();
        Assert.Equal(
            ["AlertAllowList", "AlertEvidence", "Alerts", "AspNetRoleClaims", "AspNetRoles", "AspNetUserClaims", "AspNetUserLogins", "AspNetUserRoles", "AspNetUserTokens", "AspNetUsers", "AuditEntries",
             "CloudAccounts", "CorrelationState", "DataProtectionKeys", "DetectionRules", "DetectionState", "EventComments", "EventKeys", "EventMemberships", "HandlingPolicies", "HandlingTasks", "IngestionMeters", "LogSources", "Playbooks", "QuarantinedRecords", "ResponseAllowList", "ResponseRuleFirings", "ResponseRules", "ResponseState", "SecurityEvents", "SecurityLogs", "ServiceActivation", "__EFMigrationsHistory", "__EFMigrationsLock"],
            tables);
    }

    [Fact]
    public async Task SqliteDatabase_UsesWriteAheadLog_AfterInitialisation()
    {
        await using var host = await TestHost.StartAsync();
        await using var db = await host.DbAsync();

        var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync();

        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task Initializer_IsIdempotent_WhenRunAgainOnMigratedDatabase()
    {
        await using var host = await TestHost.StartAsync();

        await host.Get<DatabaseInitializer>().InitializeAsync();

        await using var db = await host.DbAsync();
        Assert.Equal(["Admin", "Analyst", "Viewer"], await db.Roles.Select(r => r.Name!).OrderBy(n => n).ToListAsync());
    }

    [Fact]
    public void SqliteMigrationSet_MatchesTheModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes without a SQLite migration: run dotnet ef migrations add <Name> --context SqliteCtdrDbContext.");
    }

    [Fact]
    public void SqlServerMigrationSet_MatchesTheModel_WithoutAServer()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes without a SQL Server migration: run dotnet ef migrations add <Name> --context SqlServerCtdrDbContext.");
    }

    [Fact]
    public void SqlServerScript_IsGenerated_WithoutAServer()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [AuditEntries]", script, StringComparison.Ordinal);
        Assert.Contains("[OccurredAt] datetimeoffset NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [DataProtectionKeys]", script, StringComparison.Ordinal);
        foreach (var migration in db.Database.GetMigrations())
        {
            Assert.Contains($"N'{migration}'", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MigrationSets_HaveTheSameMigrations_InTheSameOrder()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var sqlServer = new SqlServerDesignTimeFactory().CreateDbContext([]);

        // Ids carry the creation timestamp, which differs by seconds between the two sets; names must match.
        Assert.Equal(NamesOf(sqlite.Database.GetMigrations()), NamesOf(sqlServer.Database.GetMigrations()));
        Assert.NotEmpty(sqlite.Database.GetMigrations());
    }

    private static List<string> NamesOf(IEnumerable<string> ids) =>
        [.. ids.Select(id => MigrationId().Match(id)).Select(m => { Assert.True(m.Success); return m.Groups["name"].Value; })];

    [GeneratedRegex(@"^\d{14}_(?<name>\w+)$")]
    private static partial Regex MigrationId();
}
