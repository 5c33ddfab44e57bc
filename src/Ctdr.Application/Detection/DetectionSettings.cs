namespace Ctdr.Application.Detection;

/// <summary>Configuration section <c>Detection</c>.</summary>
public sealed class DetectionSettings
{
    public const string SectionName = "Detection";

    /// <summary>How far out of time order records may arrive and still be evaluated deterministically by windowed rules.</summary>
    public int LatenessSeconds { get; set; } = 10;

    /// <summary>Stored logs read per detection transaction.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>How long one detection run may keep reading before it yields (the next run continues).</summary>
    public int RunBudgetSeconds { get; set; } = 20;

    /// <summary>How long the detector's lease lasts without renewal; another node takes over after it.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often the detection job runs (six-field cron, with seconds).</summary>
    public string Schedule { get; set; } = "*/2 * * * * *";

    /// <summary>Windowed state keys kept per rule.</summary>
    public int MaxKeysPerRule { get; set; } = 1_000_000;

    public DetectionOptions ToEngineOptions() => new()
    {
        Lateness = TimeSpan.FromSeconds(LatenessSeconds),
        MaxKeysPerRule = MaxKeysPerRule,
    };
}
