using Ctdr.Application.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Persistence;

internal static class PersistenceRegistration
{
    /// <remarks>EF Core interceptors registered as <see cref="IInterceptor"/> services apply to every context (auditing, fault injection in tests).</remarks>
    public static IServiceCollection AddCtdrPersistence(this IServiceCollection services, DatabaseOptions database, CtdrPaths paths)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = SqliteConnectionString(database, paths);
                services.AddDbContextFactory<SqliteCtdrDbContext>((sp, options) =>
                {
                    ConfigureSqlite(options, sqlite);
                    options.AddInterceptors(sp.GetServices<IInterceptor>());
                });
                services.AddSingleton<IDbContextFactory<CtdrDbContext>>(sp =>
                    new CtdrDbContextFactory<SqliteCtdrDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteCtdrDbContext>>()));
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = database.ConnectionString
                    ?? throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Ctdr is not set.");
                services.AddDbContextFactory<SqlServerCtdrDbContext>((sp, options) =>
                {
                    ConfigureSqlServer(options, sqlServer);
                    options.AddInterceptors(sp.GetServices<IInterceptor>());
                });
                services.AddSingleton<IDbContextFactory<CtdrDbContext>>(sp =>
                    new CtdrDbContextFactory<SqlServerCtdrDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerCtdrDbContext>>()));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{database.Provider}'.");
        }

        // Identity's stores and the Data Protection key ring take a scoped context; Blazor code uses the factory.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContext());
        services.AddSingleton<ICtdrDbFactory, CtdrDbFactory>();
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }

    public static string SqliteConnectionString(DatabaseOptions database, CtdrPaths paths)
    {
        var builder = new SqliteConnectionStringBuilder(database.ConnectionString ?? string.Empty);
        if (string.IsNullOrEmpty(builder.DataSource))
        {
            builder.DataSource = paths.DatabaseFile;
        }

        // Writers wait for each other instead of failing with "database is locked".
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        builder.Pooling = true;
        return builder.ToString();
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__EFMigrationsHistory"));

    public static void ConfigureSqlServer(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(5));
}
