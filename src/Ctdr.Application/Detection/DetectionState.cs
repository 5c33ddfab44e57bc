namespace Ctdr.Application.Detection;

/// <summary>
/// The detector's durable state (one row): how far it has read the stored logs (<see cref="Checkpoint"/>, a log
/// row id), its watermark, and the lease that makes one detector active at a time. Committed together with the
/// alerts of each batch.
/// </summary>
public sealed class DetectionState
{
    public const int SingletonId = 1;

    public int Id { get; private set; } = SingletonId;

    /// <summary>The last stored log row evaluated.</summary>
    public long Checkpoint { get; private set; }

    public DateTimeOffset? Watermark { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    /// <summary>Bumped whenever the running rules or the allow-list change; the detector recompiles when it moves.</summary>
    public long RulesVersion { get; private set; }

    public DateTimeOffset? LastRunAt { get; private set; }

    /// <summary>Event time of the newest log evaluated.</summary>
    public DateTimeOffset? LastLogTime { get; private set; }

    public static DetectionState Initial(long checkpoint) => new() { Checkpoint = checkpoint };
}
