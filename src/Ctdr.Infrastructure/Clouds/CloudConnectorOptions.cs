namespace Ctdr.Infrastructure.Clouds;

/// <summary>How the log connectors talk to the clouds (configuration section "Clouds").</summary>
internal sealed class CloudConnectorOptions
{
    public const string SectionName = "Clouds";

    /// <summary>SLS signature: "V1" (what the SDKs send, the default) or "V4".</summary>
    public string SlsSignatureVersion { get; set; } = "V1";

    /// <summary>What PullLogs asks the service to compress with: "lz4" (the Go SDK's choice), "deflate" or "" (none).</summary>
    public string SlsPullCompression { get; set; } = "lz4";

    /// <summary>Log groups per PullLogs request (the service allows up to 1000).</summary>
    public int SlsPullLogGroupCount { get; set; } = 100;

    /// <summary>Query APIs (LTS, CLS): how far behind now a window ends, so records still being indexed are not missed.</summary>
    public TimeSpan QueryLag { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Query APIs: how much of the previous window the next one reads again (duplicates are dropped by uid).</summary>
    public TimeSpan QueryOverlap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Query APIs: the longest window one request covers.</summary>
    public TimeSpan QueryMaxWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Query APIs: records per page (LTS allows up to 5000, CLS 1000).</summary>
    public int QueryPageSize { get; set; } = 500;

    /// <summary>Check Validity reads sample records from this far back.</summary>
    public TimeSpan ProbeWindow { get; set; } = TimeSpan.FromMinutes(15);

    public const int ProbeSampleSize = 5;

    /// <summary>Retries of a failed call (5xx, 408, 429, timeouts, connection failures) before the pull records a failure.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; doubled for each further retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a call may take with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);
}
