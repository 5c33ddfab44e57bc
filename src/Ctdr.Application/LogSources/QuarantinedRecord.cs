namespace Ctdr.Application.LogSources;

/// <summary>A record that could not be normalised, kept with its raw text and the reason, so nothing is lost silently.</summary>
public sealed class QuarantinedRecord
{
    public const int MaxRawLength = 64 * 1024;
    public const int MaxReasonLength = 500;

    private QuarantinedRecord()
    {
    }

    public long Id { get; private set; }

    public long SourceId { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    /// <summary>The record as received (truncated to <see cref="MaxRawLength"/> characters).</summary>
    public string Raw { get; private set; } = string.Empty;

    public string? PositionUid { get; private set; }
}
