namespace Ctdr.Application.Logs;

/// <summary>A record that could not be normalised, on its way to quarantine.</summary>
public sealed record QuarantineItem(string Reason, ReadOnlyMemory<byte> Raw, string? PositionUid);

/// <summary>
/// What one pull (or push) delivers to the store, committed all together or not at all: the logs, the
/// quarantined records, the metering, and — for pulls — the source's next checkpoint.
/// </summary>
/// <param name="ExpectedCheckpointVersion">The checkpoint version the pull started from; null for pushes (no checkpoint).</param>
/// <param name="Received">Records received: <c>Logs.Count + Quarantined.Count</c>.</param>
public sealed record LogBatch(
    long SourceId,
    long? ExpectedCheckpointVersion,
    string? NextCheckpoint,
    IReadOnlyList<SecurityLog> Logs,
    IReadOnlyList<QuarantineItem> Quarantined,
    long Bytes,
    DateTimeOffset ReceivedAt)
{
    public int Received => Logs.Count + Quarantined.Count;
}

/// <summary>The outcome of an append. When the checkpoint was not accepted, nothing was written.</summary>
public sealed record AppendResult(bool Committed, int Stored, int Duplicates, int Quarantined)
{
    public static AppendResult Conflict { get; } = new(false, 0, 0, 0);
}

/// <summary>
/// The log firehose: appends batches through the database's bulk path (not the change tracker), ignoring
/// records already stored for the source (same <see cref="SecurityLog.Uid"/>), in one transaction with the
/// checkpoint, the quarantine and the metering.
/// </summary>
public interface ILogStore
{
    Task<AppendResult> AppendAsync(LogBatch batch, CancellationToken cancellationToken);

    /// <summary>Takes the pull lease of a source until <paramref name="until"/>; false when another pull holds it.</summary>
    Task<bool> TryLeaseAsync(long sourceId, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    Task ReleaseLeaseAsync(long sourceId, CancellationToken cancellationToken);

    /// <summary>Deletes logs received before <paramref name="cutoff"/>, in bounded chunks; returns how many.</summary>
    Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
