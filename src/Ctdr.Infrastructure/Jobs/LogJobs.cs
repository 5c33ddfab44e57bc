using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Jobs;

/// <summary>One pull of one source. Scheduled per source; safe to run twice (the lease and the checkpoint see to it).</summary>
public sealed class LogPullJob(LogIngestion ingestion)
{
    // The schedule itself is the retry: a failed pull is recorded on the source, which backs off.
    [AutomaticRetry(Attempts = 0, LogEvents = false, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(long sourceId, CancellationToken cancellationToken) =>
        await ingestion.PullAsync(sourceId, cancellationToken);
}

/// <summary>Re-derives the pull schedules from the database, so a lost or stale schedule heals within a minute.</summary>
public sealed class LogSourceSweepJob(IDbContextFactory<CtdrDbContext> contexts, ILogSourceScheduler scheduler, JobStorage storage, IRecurringJobManager recurring)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.LogSources.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var source in sources)
        {
            scheduler.Sync(source);
        }

        var known = sources.Select(s => LogSourceScheduler.JobId(s.Id)).ToHashSet(StringComparer.Ordinal);
        using var connection = storage.GetConnection();
        var orphans = connection.GetRecurringJobs()
            .Where(j => j.Id.StartsWith(LogSourceScheduler.JobPrefix, StringComparison.Ordinal) && !known.Contains(j.Id))
            .Select(j => j.Id)
            .ToList();
        foreach (var orphan in orphans)
        {
            recurring.RemoveIfExists(orphan);
        }

        return orphans.Count;
    }
}

/// <summary>Deletes stored logs older than <c>Ingestion:RetentionDays</c>.</summary>
public sealed class LogRetentionJob(ILogStore store, IOptions<LogRetentionOptions> options, TimeProvider clock)
{
    public Task<long> RunAsync(CancellationToken cancellationToken) =>
        store.DeleteOlderThanAsync(clock.GetUtcNow().AddDays(-Math.Max(1, options.Value.RetentionDays)), cancellationToken);
}

public sealed class LogRetentionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>How long stored logs and quarantined records are kept (by receive time).</summary>
    public int RetentionDays { get; set; } = 30;
}

/// <summary>
/// Runs the detector (the logs stored since its checkpoint become alerts), then the event correlation (the new alerts
/// join security events). Safe to run twice: the lease, the checkpoints and the unique keys see to it.
/// </summary>
public sealed class DetectionJob(Detection.Detector detector, Events.EventCorrelation correlation, Response.AutomaticResponse automatic, Response.ResponseWorker worker)
{
    // The schedule itself is the retry: the next run continues from the committed checkpoints.
    [AutomaticRetry(Attempts = 0, LogEvents = false, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var run = await detector.RunOnceAsync(cancellationToken);
        if (run.Active)
        {
            await correlation.RunOnceAsync(cancellationToken);
            var fired = await automatic.RunOnceAsync(cancellationToken);
            if (fired.Policies > 0)
            {
                // The new policies' tasks run now rather than at the worker's next tick: the block request follows the event at once (P1).
                await worker.RunOnceAsync(cancellationToken);
            }
        }
    }
}

/// <summary>The response worker's schedule (handling tasks, unblocking, approval defaults).</summary>
public sealed class ResponseJob(Response.ResponseWorker worker)
{
    // The schedule itself is the retry: tasks keep their own attempts and back-off.
    [AutomaticRetry(Attempts = 0, LogEvents = false, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunAsync(CancellationToken cancellationToken) => worker.RunOnceAsync(cancellationToken);
}
