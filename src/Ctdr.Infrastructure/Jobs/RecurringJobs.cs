using Hangfire;

namespace Ctdr.Infrastructure.Jobs;

/// <summary>
/// Every recurring job of Ctdr, declared here and nowhere else. Ids are kebab-case; declaring is idempotent,
/// so every node may do it at start.
/// </summary>
public static class RecurringJobs
{
    public const string AuditRetention = "audit-retention";

    public static IReadOnlyList<string> Ids { get; } = [AuditRetention];

    public static void Declare(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<AuditRetentionJob>(
            AuditRetention,
            job => job.RunAsync(CancellationToken.None),
            Cron.Daily(3),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }
}
