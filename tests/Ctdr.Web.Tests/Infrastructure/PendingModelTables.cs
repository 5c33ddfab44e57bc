using System.Text.RegularExpressions;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>
/// Lets tests run while the model is ahead of the migrations (an entity added on a branch whose migration is
/// generated after merging): the initializer's migration step tolerates the pending model change, and the tables
/// and indexes the migrations do not create yet are created from the model's own create script. Statements are
/// "IF NOT EXISTS", so once the migration exists this changes nothing. A missing migration still fails
/// <c>MigrationTests.SqliteMigrationSet_MatchesTheModel</c>, which reads the model, not a test database.
/// </summary>
public static partial class PendingModelTables
{
    public static void Tolerate(IServiceCollection services) =>
        services.ConfigureDbContext<SqliteCtdrDbContext>(options => options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));

    public static async Task CreateAsync(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            // SQL Server has no "CREATE TABLE IF NOT EXISTS"; its tests run on a migrated branch only.
            return;
        }

        var script = db.Database.GenerateCreateScript();
        foreach (var statement in StatementEnd().Split(script).Select(s => s.Trim()))
        {
            var ensured = CreateKeyword().Replace(statement, "CREATE $1 IF NOT EXISTS ", 1);
            if (!string.Equals(ensured, statement, StringComparison.Ordinal))
            {
                await db.Database.ExecuteSqlRawAsync(ensured);
            }
        }
    }

    [GeneratedRegex(@";\s*(\r?\n|$)")]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"^CREATE (TABLE|INDEX|UNIQUE INDEX) ")]
    private static partial Regex CreateKeyword();
}
