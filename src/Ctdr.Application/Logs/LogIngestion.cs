using System.Diagnostics;
using System.Security.Cryptography;
using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Live;
using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Logs;

public enum PullOutcome
{
    /// <summary>Not due (paused, backing off, account disabled) or another pull holds the source.</summary>
    Skipped,
    Pulled,
    Failed,
}

/// <summary>What one pull job run did.</summary>
public sealed record PullReport(PullOutcome Outcome, int Batches, int Received, int Stored, int Duplicates, int Quarantined, string? Error = null)
{
    public static PullReport Skip { get; } = new(PullOutcome.Skipped, 0, 0, 0, 0, 0);
}

/// <summary>The answer to a push: how many records were accepted (stored or already known) and rejected.</summary>
public sealed record PushReport(int Accepted, int Rejected, IReadOnlyList<string> Reasons);

public enum PushRefusal
{
    None,
    UnknownSource,
    BadKey,
    NotAccepting,
}

/// <summary>Tuning of the pull loop.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Records asked of the connector per batch (one transaction each).</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Batches one pull job run may commit before it yields to the next run.</summary>
    public int MaxBatchesPerRun { get; set; } = 50;

    /// <summary>How long a run may keep pulling a source that has more records.</summary>
    public TimeSpan MaxRunDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a pull holds its source's lease; longer than <see cref="MaxRunDuration"/> plus one batch.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// The ingestion pipeline's use case: pull a source's new records (stages 1–3 of the pipeline), or accept
/// pushed ones. Each batch's records, quarantine, metering and checkpoint commit together; a pull that finds
/// the checkpoint moved by someone else stops without writing anything.
/// </summary>
public sealed class LogIngestion(
    ICtdrDbFactory dbs,
    ILogConnectors connectors,
    ILogNormalizers normalizers,
    ILogStore store,
    ISecretProtector secrets,
    ILiveFeed feed,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<IngestionOptions> options)
{
    public async Task<PullReport> PullAsync(long sourceId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        LogSource? source;
        Accounts.CloudAccount? account;
        await using (var db = await dbs.CreateAsync(cancellationToken))
        {
            source = await db.LogSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
            account = source?.AccountId is { } accountId
                ? await db.CloudAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken)
                : null;
        }

        var now = clock.GetUtcNow();
        if (source is null || account is null || account.IsDisabled || !source.IsDue(now) || connectors.For(account.Provider) is not { } connector)
        {
            return PullReport.Skip;
        }

        if (!await store.TryLeaseAsync(sourceId, now, now + settings.LeaseDuration, cancellationToken))
        {
            return PullReport.Skip;
        }

        var started = Stopwatch.GetTimestamp();
        var totals = new PullReport(PullOutcome.Pulled, 0, 0, 0, 0, 0);
        DateTimeOffset? newest = null;
        try
        {
            // Re-read under the lease: the checkpoint may have moved while we waited for it.
            long version;
            string? checkpoint;
            await using (var db = await dbs.CreateAsync(cancellationToken))
            {
                var current = await db.LogSources.AsNoTracking().Where(s => s.Id == sourceId)
                    .Select(s => new { s.Checkpoint, s.CheckpointVersion }).SingleOrDefaultAsync(cancellationToken);
                if (current is null)
                {
                    return PullReport.Skip;
                }

                (checkpoint, version) = (current.Checkpoint, current.CheckpointVersion);
            }

            var target = ConnectorAccounts.From(source, account, secrets);
            var normalizer = normalizers.For(source.Product);
            var context = new LogContext(source.Id, account.Provider, account.AccountUid, source.Region, source.LogStore ?? source.LogStream ?? source.Topic);
            while (totals.Batches < settings.MaxBatchesPerRun)
            {
                var pulled = await connector.PullAsync(target, new PullRequest(checkpoint, settings.BatchSize, source.StartAt), cancellationToken);
                var batch = Normalize(normalizer, context, pulled.Records, source.Id, version, pulled.NextCheckpoint, pulled.Bytes, clock.GetUtcNow(), ref newest);
                var appended = await store.AppendAsync(batch, cancellationToken);
                if (!appended.Committed)
                {
                    break;
                }

                totals = totals with
                {
                    Batches = totals.Batches + 1,
                    Received = totals.Received + batch.Received,
                    Stored = totals.Stored + appended.Stored,
                    Duplicates = totals.Duplicates + appended.Duplicates,
                    Quarantined = totals.Quarantined + appended.Quarantined,
                };
                checkpoint = pulled.NextCheckpoint;
                version++;
                if (pulled.CaughtUp || Stopwatch.GetElapsedTime(started) > settings.MaxRunDuration)
                {
                    break;
                }
            }

            await RecordAsync(sourceId, s => s.RecordPullSucceeded(clock.GetUtcNow(), totals.Received, Stopwatch.GetElapsedTime(started), newest), cancellationToken);
            if (totals.Received > 0)
            {
                await feed.PublishAsync(
                    new LiveMessage(LiveKinds.Ingestion, $"{source.Name}: {totals.Stored} new records, {totals.Quarantined} quarantined", Permission.ViewConsole, clock.GetUtcNow(), Invariant.Text(sourceId)),
                    cancellationToken);
            }

            return totals;
        }
        catch (Exception failure) when (failure is CloudApiException or HttpRequestException or CryptographicException or TimeoutException
            || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var code = (failure as CloudApiException)?.ErrorCode;
            var message = failure is CryptographicException ? "The stored secret cannot be decrypted; enter it again on the account." : failure.Message;
            await RecordAsync(sourceId, s => s.RecordPullFailed(clock.GetUtcNow(), message, code, Random.Shared.NextDouble()), CancellationToken.None);
            return totals with { Outcome = PullOutcome.Failed, Error = message };
        }
        finally
        {
            await store.ReleaseLeaseAsync(sourceId, CancellationToken.None);
        }
    }

    /// <summary>Accepts records pushed by a third-party product with the source's API key.</summary>
    public async Task<(PushRefusal Refusal, PushReport? Report)> PushAsync(long sourceId, string? apiKey, IReadOnlyList<RawRecord> records, long bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        LogSource? source;
        await using (var db = await dbs.CreateAsync(cancellationToken))
        {
            source = await db.LogSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
        }

        if (source is null || !source.IsPushed)
        {
            return (PushRefusal.UnknownSource, null);
        }

        if (!PushKeys.Matches(apiKey, source.PushKeyHash))
        {
            return (PushRefusal.BadKey, null);
        }

        if (source.Status != LogSourceStatus.Active)
        {
            return (PushRefusal.NotAccepting, null);
        }

        DateTimeOffset? newest = null;
        var context = new LogContext(source.Id, Accounts.CloudProvider.Other, null, null, source.Name);
        var batch = Normalize(normalizers.For(source.Product), context, records, source.Id, null, null, bytes, clock.GetUtcNow(), ref newest);
        var appended = await store.AppendAsync(batch, cancellationToken);
        await RecordAsync(sourceId, s => s.RecordPullSucceeded(clock.GetUtcNow(), batch.Received, TimeSpan.Zero, newest), cancellationToken);
        var reasons = batch.Quarantined.Select(q => q.Reason).Distinct(StringComparer.Ordinal).Take(10).ToList();
        return (PushRefusal.None, new PushReport(appended.Stored + appended.Duplicates, appended.Quarantined, reasons));
    }

    private static LogBatch Normalize(
        ILogNormalizer normalizer,
        LogContext context,
        IReadOnlyList<RawRecord> records,
        long sourceId,
        long? expectedVersion,
        string? nextCheckpoint,
        long bytes,
        DateTimeOffset receivedAt,
        ref DateTimeOffset? newest)
    {
        var logs = new List<SecurityLog>(records.Count);
        var quarantined = new List<QuarantineItem>();
        foreach (var record in records)
        {
            if (normalizer.TryNormalize(record, context, out var log, out var rejection) && log is not null)
            {
                logs.Add(log);
                if (newest is null || log.Time > newest)
                {
                    newest = log.Time;
                }
            }
            else
            {
                quarantined.Add(new QuarantineItem(rejection ?? "rejected by the normaliser", record.Json, record.PositionUid));
            }
        }

        return new LogBatch(sourceId, expectedVersion, nextCheckpoint, logs, quarantined, bytes, receivedAt);
    }

    private async Task RecordAsync(long sourceId, Action<LogSource> change, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateAsync(cancellationToken);
        var source = await db.LogSources.SingleOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
        if (source is null)
        {
            return;
        }

        change(source);
        await db.SaveChangesAsync(cancellationToken);
    }
}
