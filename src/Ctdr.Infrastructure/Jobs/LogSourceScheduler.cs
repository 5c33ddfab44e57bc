using Ctdr.Application.LogSources;
using Hangfire;

namespace Ctdr.Infrastructure.Jobs;

/// <summary>
/// Keeps one recurring Hangfire job per pulling source (<c>log-pull:{id}</c>) at its interval. The job only
/// carries the source id; everything else is read from the database when it runs.
/// </summary>
internal sealed class LogSourceScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs) : ILogSourceScheduler
{
    public const string JobPrefix = "log-pull:";

    public static string JobId(long sourceId) => JobPrefix + sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A six-field (seconds) cron expression firing every <paramref name="seconds"/>.</summary>
    public static string CronFor(int seconds) => seconds switch
    {
        < 60 when 60 % seconds == 0 => $"*/{seconds} * * * * *",
        60 => "0 * * * * *",
        _ when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => $"0 */{seconds / 60} * * * *",
        _ => throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "The interval must divide a minute or an hour."),
    };

    public void Sync(LogSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.IsPulling)
        {
            recurring.AddOrUpdate<LogPullJob>(JobId(source.Id), job => job.RunAsync(source.Id, CancellationToken.None), CronFor(source.PullIntervalSeconds), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        else
        {
            recurring.RemoveIfExists(JobId(source.Id));
        }
    }

    public void Remove(long sourceId) => recurring.RemoveIfExists(JobId(sourceId));

    public void TriggerNow(long sourceId) => jobs.Enqueue<LogPullJob>(job => job.RunAsync(sourceId, CancellationToken.None));
}
