using Ctdr.Application.Common;
using Ctdr.Application.Dashboard;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.Live;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Ctdr.Application.Response.AllowList;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Clouds.Alibaba.Waf;
using Ctdr.Infrastructure.Detection;
using Ctdr.Infrastructure.Health;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Jobs;
using Ctdr.Infrastructure.LogStore;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Infrastructure.Realtime;
using Ctdr.Infrastructure.Response.AllowList;
using Ctdr.Infrastructure.Sandbox;
using Ctdr.Infrastructure.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ctdr.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Database, identity store, data protection, jobs, live feed, health checks and cloud connectors, from configuration.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var paths = CtdrPaths.Resolve(configuration["Ctdr:DataDirectory"], contentRootPath);
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            var configured = configuration.GetConnectionString("Ctdr");
            database.ConnectionString = string.IsNullOrWhiteSpace(configured) ? null : configured;
        }

        var jobs = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        if (database.Provider == DatabaseProvider.Sqlite || JobsRegistration.ResolveStorage(jobs.Storage, database.Provider) == JobStorageKind.Sqlite)
        {
            paths.EnsureExists();
        }

        services.AddSingleton(paths);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(database));
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.SectionName))
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Jobs:PollInterval must be positive.")
            .Validate(o => o.AuditRetentionDays >= 1, "Jobs:AuditRetentionDays must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        services.AddCtdrPersistence(database, paths);
        services.AddCtdrIdentity();
        services.AddCtdrDataProtection(configuration);
        services.AddCtdrJobs(jobs, database, paths);
        services.AddClouds(configuration);
        services.AddAlibabaWaf(configuration);

        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.SectionName))
            .Validate(o => o.BatchSize is > 0 and <= 50_000, "Ingestion:BatchSize must be between 1 and 50000.")
            .Validate(o => o.MaxBatchesPerRun > 0, "Ingestion:MaxBatchesPerRun must be positive.")
            .Validate(o => o.LeaseDuration > o.MaxRunDuration, "Ingestion:LeaseDuration must be longer than Ingestion:MaxRunDuration.")
            .ValidateOnStart();
        services.AddOptions<LogRetentionOptions>().Bind(configuration.GetSection(LogRetentionOptions.SectionName))
            .Validate(o => o.RetentionDays >= 1, "Ingestion:RetentionDays must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<SandboxSettings>().Bind(configuration.GetSection(SandboxSettings.SectionName));
        services.AddSingleton<SandboxEndpoint>();
        services.AddHttpClient(SandboxDirectory.HttpClientName);
        services.AddSingleton<ISandboxDirectory, SandboxDirectory>();

        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<ILogConnectors>(sp => sp.GetRequiredService<LogConnectors>());
        services.AddSingleton<ILogNormalizers>(sp => sp.GetRequiredService<LogNormalizers>());
        services.AddSingleton<ILogSearch, LogSearch>();
        services.AddSingleton<IStoredLogReader, StoredLogReader>();
        services.AddOptions<DetectionSettings>().Bind(configuration.GetSection(DetectionSettings.SectionName))
            .Validate(o => o.LatenessSeconds is >= 0 and <= 600, "Detection:LatenessSeconds must be between 0 and 600.")
            .Validate(o => o.BatchSize is >= 100 and <= 100_000, "Detection:BatchSize must be between 100 and 100000.")
            .Validate(o => o.RunBudgetSeconds is >= 1 and <= 300, "Detection:RunBudgetSeconds must be between 1 and 300.")
            .Validate(o => o.LeaseSeconds > o.RunBudgetSeconds, "Detection:LeaseSeconds must be longer than Detection:RunBudgetSeconds.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Schedule), "Detection:Schedule must be a cron expression.")
            .Validate(o => o.MaxKeysPerRule >= 1000, "Detection:MaxKeysPerRule must be at least 1000.")
            .ValidateOnStart();
        services.AddSingleton<Detector>();
        services.AddOptions<EventSettings>().Bind(configuration.GetSection(EventSettings.SectionName))
            .Validate(o => o.WindowMinutes is >= 1 and <= 1440, "Events:WindowMinutes must be between 1 and 1440.")
            .Validate(o => o.ParseJoinOn() is not null, "Events:JoinOn must list kinds among Ip, Asset, AccountUser, AccountAccessKey, separated by commas.")
            .Validate(o => o.MaxAlertsPerEvent is >= 1 and <= EventSettings.MaxAlertsLimit, "Events:MaxAlertsPerEvent must be between 1 and 10000.")
            .ValidateOnStart();
        services.AddSingleton<Events.EventCorrelation>();
        services.AddOptions<ResponseSettings>().Bind(configuration.GetSection(ResponseSettings.SectionName))
            .Validate(o => o.MaxAutomaticBlocksPerHour is >= 0 and <= 100_000, "Response:MaxAutomaticBlocksPerHour must be between 0 and 100000.")
            .Validate(o => o.MaxBlockHours is >= 1 and <= 24 * 366, "Response:MaxBlockHours must be between 1 and 8784.")
            .Validate(o => string.IsNullOrEmpty(o.NotifyUrl) || (Uri.TryCreate(o.NotifyUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"), "Response:NotifyUrl must be an http or https URL.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Schedule), "Response:Schedule must be a cron expression.")
            .ValidateOnStart();
        services.AddSingleton<Response.AutomaticResponse>();
        services.AddSingleton<Response.ResponseWorker>();
        services.AddHttpClient(Response.ResponseWorker.NotifyClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddOptions<ResponseAllowListOptions>().Bind(configuration.GetSection(ResponseAllowListOptions.SectionName))
            .Configure(o => o.BackToOriginRanges = new Dictionary<string, string[]>(
                configuration.GetSection(ResponseAllowListOptions.BackToOriginSectionName).Get<Dictionary<string, string[]>>() ?? [], StringComparer.OrdinalIgnoreCase))
            .Validate(o => o.Problem() is null, "Response:AllowList or Response:BackToOriginRanges is invalid: each range must be an IP or CIDR under a provider name (AlibabaCloud, HuaweiCloud, TencentCloud, ...), EgressSignInDays 1–400, RefreshInterval 10 s–1 h.")
            .ValidateOnStart();
        services.AddSingleton<IEgressSignIns, EgressSignInQuery>();
        if (database.Provider == DatabaseProvider.SqlServer)
        {
            services.AddSingleton<ILogStore, SqlServerLogStore>();
        }
        else
        {
            services.AddSingleton<ILogStore, SqliteLogStore>();
        }

        services.AddSingleton<InProcessLiveFeed>();
        services.AddSingleton<ILiveFeed>(sp => sp.GetRequiredService<InProcessLiveFeed>());
        services.AddSingleton<ISystemStatusProbe, SystemStatusProbe>();
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return services;
    }
}
