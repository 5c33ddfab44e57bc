namespace Ctdr.Infrastructure.Tests.Support;

/// <summary>
/// A test that needs a SQL Server. SQL Server tests are opt-in (no server runs on the build machines): set
/// <c>CTDR_TEST_SQLSERVER</c> to a connection string whose login may create and drop databases.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "CTDR_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Skip = $"Opt-in: set {Variable} to a SQL Server connection string (see docs/decisions/ADR-001).";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
