using Ctdr.Infrastructure.Persistence;
using Hangfire;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Jobs;

internal static class JobsRegistration
{
    public static IServiceCollection AddCtdrJobs(this IServiceCollection services, JobsOptions jobs, DatabaseOptions database, CtdrPaths paths)
    {
        var storage = ResolveStorage(jobs.Storage, database.Provider);
        services.AddSingleton(new JobStorageInfo(storage));
        services.AddHangfire(configuration =>
        {
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            switch (storage)
            {
                case JobStorageKind.SqlServer:
                    configuration.UseSqlServerStorage(
                        database.ConnectionString ?? throw new InvalidOperationException("Jobs:Storage is SqlServer but ConnectionStrings:Ctdr is not set."),
                        new SqlServerStorageOptions
                        {
                            QueuePollInterval = jobs.PollInterval,
                            SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                            PrepareSchemaIfNecessary = true,
                        });
                    break;
                case JobStorageKind.Sqlite:
                    // A file of its own: the job store's writers never contend with the application's data.
                    configuration.UseSQLiteStorage(paths.JobsDatabaseFile, new SQLiteStorageOptions { QueuePollInterval = jobs.PollInterval });
                    break;
                case JobStorageKind.InMemory:
                    configuration.UseInMemoryStorage();
                    break;
                default:
                    throw new InvalidOperationException($"Unknown job storage '{storage}'.");
            }
        });

        if (jobs.RunServer)
        {
            services.AddHangfireServer(server =>
            {
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                server.SchedulePollingInterval = jobs.PollInterval;
                if (jobs.WorkerCount is { } workers)
                {
                    server.WorkerCount = workers;
                }
            });
        }

        services.AddTransient<AuditRetentionJob>();
        return services;
    }

    public static JobStorageKind ResolveStorage(JobStorageKind configured, DatabaseProvider database) => configured switch
    {
        JobStorageKind.Auto => database == DatabaseProvider.SqlServer ? JobStorageKind.SqlServer : JobStorageKind.Sqlite,
        _ => configured,
    };
}

/// <summary>Which storage the job system uses, for the status page.</summary>
public sealed record JobStorageInfo(JobStorageKind Kind);
