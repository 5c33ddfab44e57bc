using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Persistence;

/// <summary>The production provider: SQL Server (<c>Database:Provider=SqlServer</c>).</summary>
public sealed class SqlServerCtdrDbContext(DbContextOptions<SqlServerCtdrDbContext> options) : CtdrDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
