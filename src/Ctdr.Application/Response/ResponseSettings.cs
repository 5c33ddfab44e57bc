namespace Ctdr.Application.Response;

/// <summary>Configuration section <c>Response</c>: the safety envelope around every blocking action (docs/response.md).</summary>
public sealed class ResponseSettings
{
    public const string SectionName = "Response";

    /// <summary>Global dry run: every policy is recorded with what it would do, and nothing is sent to a cloud.</summary>
    public bool DryRun { get; set; }

    /// <summary>Automatic blocks (tasks) allowed per rolling hour; beyond it automatic blocks are refused and an alert is raised.</summary>
    public int MaxAutomaticBlocksPerHour { get; set; } = 100;

    /// <summary>The longest a block may last, in hours.</summary>
    public int MaxBlockHours { get; set; } = 24 * 30;

    /// <summary>The webhook the Notify action posts to; empty: Notify fails with a clear message.</summary>
    public string? NotifyUrl { get; set; }

    /// <summary>How often the response worker looks for due tasks (six-field cron with seconds).</summary>
    public string Schedule { get; set; } = "*/2 * * * * *";
}
