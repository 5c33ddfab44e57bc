using System.Text.Json;

namespace Ctdr.Application.LogSources;

/// <summary>
/// A log product bound for one account (or, for pushed logs, to an API key): where its records live, its
/// state, its checkpoint and the outcome of its last pull and validity check.
/// </summary>
public sealed class LogSource
{
    /// <summary>After this many consecutive failed pulls a source is <see cref="LogSourceStatus.Failing"/>.</summary>
    public const int FailuresBeforeFailing = 3;

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private LogSource()
    {
    }

    public long Id { get; private set; }

    /// <summary>The cloud account; null for a pushed source that belongs to no account.</summary>
    public long? AccountId { get; private set; }

    public LogProduct Product { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string? Region { get; private set; }

    public string? Project { get; private set; }

    public string? LogStore { get; private set; }

    public string? LogGroup { get; private set; }

    public string? LogStream { get; private set; }

    public string? Topic { get; private set; }

    public LogSourceStatus Status { get; private set; }

    public int PullIntervalSeconds { get; private set; }

    /// <summary>Added by the log access policy rather than by hand.</summary>
    public bool AddedByPolicy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Where the next pull resumes (connector-specific); committed together with the records it follows.</summary>
    public string? Checkpoint { get; private set; }

    /// <summary>Incremented with every committed checkpoint: a pull commits only if nobody committed since it read.</summary>
    public long CheckpointVersion { get; private set; }

    /// <summary>Receive time from which a new source starts reading.</summary>
    public DateTimeOffset StartAt { get; private set; }

    public DateTimeOffset? LastPullAt { get; private set; }

    public DateTimeOffset? LastSuccessAt { get; private set; }

    /// <summary>Event time of the newest record stored (for the lag shown in the console).</summary>
    public DateTimeOffset? LastRecordTime { get; private set; }

    public int LastPullRecords { get; private set; }

    public double LastPullRecordsPerSecond { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public string? LastError { get; private set; }

    public string? LastErrorCode { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>While set and in the future, a pull holds the source; others skip it.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public DateTimeOffset? ValidatedAt { get; private set; }

    public bool? ValidityPassed { get; private set; }

    /// <summary>The steps of the last Check Validity, as JSON.</summary>
    public string? ValidityReport { get; private set; }

    /// <summary>SHA-256 (hex) of the push API key; null for pulled sources.</summary>
    public string? PushKeyHash { get; private set; }

    /// <summary>The first characters of the push key, to recognise it without revealing it.</summary>
    public string? PushKeyPrefix { get; private set; }

    public LogBinding Binding => new(Region, Project, LogStore, LogGroup, LogStream, Topic);

    public LogProductInfo ProductInfo => LogProducts.Of(Product);

    public bool IsPushed => ProductInfo.Binding == LogBindingKind.Push;

    /// <summary>Pulled on schedule: active or failing (failing sources retry with backoff).</summary>
    public bool IsPulling => !IsPushed && Status is LogSourceStatus.Active or LogSourceStatus.Failing;

    public static LogSource CreatePulled(long accountId, LogProduct product, string name, LogBinding binding, int pullIntervalSeconds, bool addedByPolicy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return new LogSource
        {
            AccountId = accountId,
            Product = product,
            Name = name,
            Region = binding.Region,
            Project = binding.Project,
            LogStore = binding.LogStore,
            LogGroup = binding.LogGroup,
            LogStream = binding.LogStream,
            Topic = binding.Topic,
            Status = LogSourceStatus.Draft,
            PullIntervalSeconds = pullIntervalSeconds,
            AddedByPolicy = addedByPolicy,
            CreatedAt = now,
            StartAt = now.AddHours(-1),
        };
    }

    public static LogSource CreatePushed(long? accountId, LogProduct product, string name, string pushKeyHash, string pushKeyPrefix, DateTimeOffset now) => new()
    {
        AccountId = accountId,
        Product = product,
        Name = name,
        Status = LogSourceStatus.Active,
        PullIntervalSeconds = 0,
        CreatedAt = now,
        StartAt = now,
        PushKeyHash = pushKeyHash,
        PushKeyPrefix = pushKeyPrefix,
    };

    public void Rename(string name) => Name = name;

    public void ChangeBinding(LogBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (binding == Binding)
        {
            return;
        }

        (Region, Project, LogStore, LogGroup, LogStream, Topic) = (binding.Region, binding.Project, binding.LogStore, binding.LogGroup, binding.LogStream, binding.Topic);

        // A different place is a different stream of records: start over there, and validate again.
        Checkpoint = null;
        CheckpointVersion++;
        ValidityPassed = null;
        ValidatedAt = null;
        ValidityReport = null;
        if (Status is LogSourceStatus.Active or LogSourceStatus.Failing)
        {
            Status = LogSourceStatus.Draft;
        }
    }

    public void ChangePullInterval(int seconds) => PullIntervalSeconds = seconds;

    public void BeginValidation() => Status = Status == LogSourceStatus.Draft ? LogSourceStatus.Validating : Status;

    /// <summary>Records a Check Validity; a draft that passes becomes active.</summary>
    public void RecordValidity(bool passed, IReadOnlyList<ValidityStep> steps, DateTimeOffset now)
    {
        ValidatedAt = now;
        ValidityPassed = passed;
        ValidityReport = JsonSerializer.Serialize(steps);
        if (Status is LogSourceStatus.Validating or LogSourceStatus.Draft)
        {
            Status = passed ? LogSourceStatus.Active : LogSourceStatus.Draft;
        }
    }

    public IReadOnlyList<ValidityStep> ValiditySteps() =>
        ValidityReport is null ? [] : JsonSerializer.Deserialize<List<ValidityStep>>(ValidityReport) ?? [];

    /// <summary>Pause an active or failing source; it keeps its checkpoint.</summary>
    public bool Pause()
    {
        if (Status is not (LogSourceStatus.Active or LogSourceStatus.Failing))
        {
            return false;
        }

        Status = LogSourceStatus.Paused;
        return true;
    }

    /// <summary>Resume a paused source. A source that never passed validation must pass it first.</summary>
    public bool Resume()
    {
        if (Status != LogSourceStatus.Paused || (!IsPushed && ValidityPassed != true))
        {
            return false;
        }

        Status = LogSourceStatus.Active;
        ConsecutiveFailures = 0;
        NextAttemptAt = null;
        return true;
    }

    /// <summary>Whether a pull may run now: pulling, not backing off.</summary>
    public bool IsDue(DateTimeOffset now) => IsPulling && (NextAttemptAt is null || NextAttemptAt <= now);

    /// <summary>A pull committed: clears failures, records throughput.</summary>
    public void RecordPullSucceeded(DateTimeOffset now, int records, TimeSpan elapsed, DateTimeOffset? newestRecordTime)
    {
        LastPullAt = now;
        LastSuccessAt = now;
        LastPullRecords = records;
        LastPullRecordsPerSecond = elapsed > TimeSpan.Zero ? Math.Round(records / elapsed.TotalSeconds, 1) : records;
        if (newestRecordTime is { } newest && (LastRecordTime is null || newest > LastRecordTime))
        {
            LastRecordTime = newest;
        }

        ConsecutiveFailures = 0;
        LastError = null;
        LastErrorCode = null;
        NextAttemptAt = null;
        if (Status == LogSourceStatus.Failing)
        {
            Status = LogSourceStatus.Active;
        }
    }

    /// <summary>A pull failed: counts it, backs off exponentially with jitter, and marks the source failing after repeated errors.</summary>
    public void RecordPullFailed(DateTimeOffset now, string error, string? errorCode, double jitter)
    {
        LastPullAt = now;
        ConsecutiveFailures++;
        LastError = error.Length > 1000 ? error[..1000] : error;
        LastErrorCode = errorCode;
        var interval = TimeSpan.FromSeconds(Math.Max(1, PullIntervalSeconds));
        var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, interval.Ticks * (1L << Math.Min(ConsecutiveFailures, 16))));
        NextAttemptAt = now + backoff * (0.8 + (0.4 * Math.Clamp(jitter, 0, 1)));
        if (ConsecutiveFailures >= FailuresBeforeFailing && Status == LogSourceStatus.Active)
        {
            Status = LogSourceStatus.Failing;
        }
    }

    public void ReplacePushKey(string hash, string prefix)
    {
        PushKeyHash = hash;
        PushKeyPrefix = prefix;
    }
}
