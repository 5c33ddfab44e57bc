namespace Ctdr.Application.Response;

/// <summary>Where automatic response has got to: the last alert and the last event change it evaluated rules on (one row).</summary>
public sealed class ResponseState
{
    public const int SingletonId = 1;

    private ResponseState()
    {
    }

    public int Id { get; private set; }

    public long AlertCheckpoint { get; private set; }

    /// <summary>Events changed after this time (then with a greater id) are evaluated next.</summary>
    public DateTimeOffset EventCheckpoint { get; private set; }

    public long EventIdCheckpoint { get; private set; }

    public DateTimeOffset? LastRunAt { get; private set; }

    public void AdvanceEvents(DateTimeOffset updatedAt, long id, DateTimeOffset now)
    {
        EventCheckpoint = updatedAt;
        EventIdCheckpoint = id;
        LastRunAt = now;
    }

    public void AdvanceAlerts(long alertId, DateTimeOffset now)
    {
        AlertCheckpoint = alertId;
        LastRunAt = now;
    }

    public static ResponseState Initial() => new() { Id = SingletonId, EventCheckpoint = DateTimeOffset.UnixEpoch };
}
