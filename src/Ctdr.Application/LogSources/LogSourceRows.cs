using Ctdr.Application.Accounts;

namespace Ctdr.Application.LogSources;

/// <summary>A log source with its status panel: last pull, lag, throughput, errors, quarantine.</summary>
public sealed record LogSourceRow(
    long Id,
    string Name,
    long? AccountId,
    string? AccountName,
    CloudProvider Provider,
    LogProduct Product,
    LogBinding Binding,
    LogSourceStatus Status,
    int PullIntervalSeconds,
    bool AddedByPolicy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastPullAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastRecordTime,
    double LastPullRecordsPerSecond,
    int ConsecutiveFailures,
    string? LastError,
    string? LastErrorCode,
    DateTimeOffset? NextAttemptAt,
    bool? ValidityPassed,
    DateTimeOffset? ValidatedAt,
    IReadOnlyList<ValidityStep> ValiditySteps,
    string? PushKeyPrefix,
    long StoredToday,
    long QuarantinedToday,
    long BytesToday,
    long StoredTotal,
    long QuarantinedTotal)
{
    /// <summary>How far behind the newest stored record is, at <paramref name="now"/>; null before the first record.</summary>
    public TimeSpan? LagAt(DateTimeOffset now) => LastRecordTime is { } newest ? now - newest : null;
}

/// <summary>A quarantined record as the console lists it.</summary>
public sealed record QuarantineRow(long Id, DateTimeOffset ReceivedAt, string Reason, string Raw);
