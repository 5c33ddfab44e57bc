using Ctdr.Infrastructure.Persistence;
using Hangfire;
using Hangfire.InMemory;
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

        // The storage is this host's own singleton. Hangfire would otherwise hand out its process-wide
        // JobStorage.Current, which another host in the same process (tests, tools) can replace or dispose.
        services.AddSingleton<JobStorage>(_ => CreateStorage(storage, jobs, database, paths));
        services.AddHangfire((provider, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()))
            .UseStorage(provider.GetRequiredService<JobStorage>()));

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
        services.AddTransient<LogPullJob>();
        services.AddTransient<LogSourceSweepJob>();
        services.AddTransient<LogRetentionJob>();
        services.AddSingleton<Ctdr.Application.LogSources.ILogSourceScheduler, LogSourceScheduler>();
        return services;
    }

    private static JobStorage CreateStorage(JobStorageKind storage, JobsOptions jobs, DatabaseOptions database, CtdrPaths paths) => storage switch
    {
        JobStorageKind.SqlServer => new SqlServerStorage(
            database.ConnectionString ?? throw new InvalidOperationException("Jobs:Storage is SqlServer but ConnectionStrings:Ctdr is not set."),
            new SqlServerStorageOptions
            {
                QueuePollInterval = jobs.PollInterval,
                SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                PrepareSchemaIfNecessary = true,
            }),

        // A file of its own: the job store's writers never contend with the application's data.
        JobStorageKind.Sqlite => new SQLiteStorage(paths.JobsDatabaseFile, new SQLiteStorageOptions { QueuePollInterval = jobs.PollInterval }),
        JobStorageKind.InMemory => new InMemoryStorage(),
        _ => throw new InvalidOperationException($"Unknown job storage '{storage}'."),
    };

    public static JobStorageKind ResolveStorage(JobStorageKind configured, DatabaseProvider database) => configured switch
    {
        JobStorageKind.Auto => database == DatabaseProvider.SqlServer ? JobStorageKind.SqlServer : JobStorageKind.Sqlite,
        _ => configured,
    };
}

/// <summary>Which storage the job system uses, for the status page.</summary>
public sealed record JobStorageInfo(JobStorageKind Kind);
