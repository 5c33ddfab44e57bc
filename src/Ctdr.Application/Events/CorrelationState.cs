namespace Ctdr.Application.Events;

/// <summary>The correlator's durable state (one row): the last alert it placed, committed with the events it changed.</summary>
public sealed class CorrelationState
{
    public const int SingletonId = 1;

    public int Id { get; private set; } = SingletonId;

    /// <summary>The id of the last alert the correlator decided on.</summary>
    public long Checkpoint { get; private set; }

    public DateTimeOffset? LastRunAt { get; private set; }

    public static CorrelationState Initial() => new();
}
