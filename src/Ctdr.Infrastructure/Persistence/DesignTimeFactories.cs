using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ctdr.Infrastructure.Persistence;

// Used only by the EF Core tools (dotnet ef migrations add ... --context <Provider>CtdrDbContext); no database
// is opened to create or script migrations.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCtdrDbContext>
{
    public SqliteCtdrDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteCtdrDbContext>();
        PersistenceRegistration.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteCtdrDbContext(options.Options);
    }
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerCtdrDbContext>
{
    public SqlServerCtdrDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqlServerCtdrDbContext>();
        PersistenceRegistration.ConfigureSqlServer(options, "Server=design-time;Database=Ctdr;Integrated Security=true;TrustServerCertificate=true");
        return new SqlServerCtdrDbContext(options.Options);
    }
}
