namespace Ctdr.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>The <c>Database</c> configuration section, plus the connection string and data folder it depends on.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary><c>ConnectionStrings:Ctdr</c>; required for SQL Server, optional for SQLite (defaults to a file in the data folder).</summary>
    public string? ConnectionString { get; set; }
}
