namespace Ctdr.Infrastructure.Jobs;

public enum JobStorageKind
{
    /// <summary>SQL Server when the database is SQL Server, otherwise the embedded SQLite file.</summary>
    Auto,
    Sqlite,
    SqlServer,

    /// <summary>Nothing persisted; for tests and throw-away demos.</summary>
    InMemory,
}

/// <summary>The <c>Jobs</c> configuration section.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Run a Hangfire server in this process (false on web-only nodes).</summary>
    public bool RunServer { get; set; } = true;

    public JobStorageKind Storage { get; set; } = JobStorageKind.Auto;

    /// <summary>Worker threads of the in-process server; defaults to Hangfire's choice.</summary>
    public int? WorkerCount { get; set; }

    /// <summary>How often queues and schedules are polled. Short, so that pulls and playbooks start within seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long audit entries are kept before the retention job deletes them.</summary>
    public int AuditRetentionDays { get; set; } = 400;
}
