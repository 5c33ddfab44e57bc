using Hangfire;

namespace Ctdr.Infrastructure.Jobs;

/// <summary>
/// Every recurring job of Ctdr, declared here and nowhere else. Ids are kebab-case; declaring is idempotent,
/// so every node may do it at start.
/// </summary>
public static class RecurringJobs
{
    public const string AuditRetention = "audit-retention";
    public const string LogRetention = "log-retention";
    public const string LogSourceSweep = "log-source-sweep";
    public const string Detection = "detection";

    /// <summary>Runs due handling tasks, removes reverted and expired blocks, applies approval defaults.</summary>
    public const string Response = "response";

    /// <summary>The fixed recurring jobs. Each pulling source adds its own <c>log-pull:{id}</c> (see <see cref="LogSourceScheduler"/>).</summary>
    public static IReadOnlyList<string> Ids { get; } = [AuditRetention, LogRetention, LogSourceSweep, Detection, Response];

    /// <param name="detectionSchedule">How often detection runs (<c>Detection:Schedule</c>, six-field cron).</param>
    public static void Declare(IRecurringJobManager jobs, string detectionSchedule = "*/2 * * * * *", string responseSchedule = "*/2 * * * * *")
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<AuditRetentionJob>(
            AuditRetention,
            job => job.RunAsync(CancellationToken.None),
            Cron.Daily(3),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<LogRetentionJob>(
            LogRetention,
            job => job.RunAsync(CancellationToken.None),
            Cron.Daily(3, 30),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<LogSourceSweepJob>(
            LogSourceSweep,
            job => job.RunAsync(CancellationToken.None),
            Cron.Minutely(),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<DetectionJob>(
            Detection,
            job => job.RunAsync(CancellationToken.None),
            detectionSchedule,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<ResponseJob>(
            Response,
            job => job.RunAsync(CancellationToken.None),
            responseSchedule,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }
}
