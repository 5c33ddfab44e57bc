namespace Ctdr.Application.Detection.Engine;

/// <summary>Counters of one <see cref="DetectionEngine"/> since it was created.</summary>
public sealed class DetectionStatistics
{
    /// <summary>Records passed to <see cref="DetectionEngine.Process"/>.</summary>
    public long Records { get; internal set; }

    /// <summary>Alert candidates raised.</summary>
    public long Matches { get; internal set; }

    /// <summary>Records that matched a windowed rule but arrived at or behind the watermark, so windowed rules dropped them.</summary>
    public long LateRecordsDropped { get; internal set; }

    /// <summary>Records a windowed rule dropped because its key state was full (<see cref="DetectionOptions.MaxKeysPerRule"/>).</summary>
    public long KeysDropped { get; internal set; }

    /// <summary>Distinct values a distinct-count aggregation could not keep because one key held too many.</summary>
    public long DistinctValuesDropped { get; internal set; }

    /// <summary>Regular expression evaluations that hit the match timeout (counted as no match).</summary>
    public long RegexTimeouts { get; internal set; }

    /// <summary>(record, rule, entry) triples an allow-list entry suppressed.</summary>
    public long AllowListed { get; internal set; }
}
