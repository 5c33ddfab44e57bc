namespace Ctdr.Application.LogSources;

/// <summary>Records and bytes received per source per UTC day: what ingestion is metered (and paid) by.</summary>
public sealed class IngestionMeter
{
    private IngestionMeter()
    {
    }

    public long SourceId { get; private set; }

    public DateOnly Day { get; private set; }

    /// <summary>Records received (stored + duplicates + quarantined).</summary>
    public long Received { get; private set; }

    public long Stored { get; private set; }

    public long Duplicates { get; private set; }

    public long Quarantined { get; private set; }

    public long Bytes { get; private set; }
}
