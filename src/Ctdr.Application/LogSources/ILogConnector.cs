using Ctdr.Application.Accounts;

namespace Ctdr.Application.LogSources;

/// <summary>An account's access key pair, decrypted for the duration of one connector call. Never logged.</summary>
public sealed record CloudCredentials(string AccessKeyId, string AccessKeySecret)
{
    /// <summary>Keeps the secret out of logs, exception messages and debugger displays.</summary>
    public override string ToString() => $"{AccessKeyId}:***";
}

/// <summary>
/// What a connector needs of a cloud account. <see cref="Endpoint"/> overrides where requests are sent (the
/// sandbox cloud, a proxy, a private endpoint); the provider's real Host header is sent regardless, so the
/// request and its signature are the same as against the real service.
/// </summary>
public sealed record ConnectorAccount(
    CloudProvider Provider,
    string AccountUid,
    IReadOnlyList<string> Regions,
    CloudCredentials Credentials,
    Uri? Endpoint);

/// <summary>A log source as a connector sees it.</summary>
public sealed record ConnectorSource(long SourceId, LogProduct Product, LogBinding Binding, ConnectorAccount Account);

/// <summary>
/// One record as delivered by a provider, as UTF-8 JSON (SLS key/value contents become a flat JSON object; LTS
/// <c>content</c> and CLS <c>LogJson</c> are used as they are). <see cref="PositionUid"/> identifies the record's
/// position at the source (shard + cursor + index, line number, package + index) and is stable across re-reads.
/// </summary>
public readonly record struct RawRecord(ReadOnlyMemory<byte> Json, string? PositionUid);

/// <summary>What a pull read: records, where the next pull resumes, whether the source is drained for now.</summary>
/// <param name="NextCheckpoint">Opaque to everyone but the connector; committed together with the records.</param>
/// <param name="Bytes">Bytes of record content read (for metering).</param>
public sealed record PullResult(IReadOnlyList<RawRecord> Records, string NextCheckpoint, bool CaughtUp, long Bytes);

/// <summary>A pull: resume after <see cref="Checkpoint"/>, or at <see cref="StartAt"/> (receive time) for a new source.</summary>
public sealed record PullRequest(string? Checkpoint, int MaxRecords, DateTimeOffset StartAt);

public enum ValidityStepStatus
{
    Passed,
    Failed,
    Warning,
    Skipped,
}

/// <summary>One step of Check Validity, with the provider's error code when it failed.</summary>
public sealed record ValidityStep(string Name, ValidityStepStatus Status, string Detail, string? ErrorCode = null);

/// <summary>The connector's part of Check Validity: its steps, and sample records for the parse step.</summary>
public sealed record ValidityProbe(IReadOnlyList<ValidityStep> Steps, IReadOnlyList<RawRecord> Sample)
{
    public bool Passed => Steps.All(s => s.Status is not ValidityStepStatus.Failed);
}

/// <summary>Whether an account's credentials are accepted by the provider.</summary>
public sealed record CredentialCheck(bool Succeeded, string Detail, string? ErrorCode = null);

/// <summary>
/// Talks to one provider's log service over its real wire protocol: signs requests, pages through records,
/// maps the provider's errors to <see cref="CloudApiException"/>. One implementation per provider.
/// </summary>
public interface ILogConnector
{
    CloudProvider Provider { get; }

    Task<CredentialCheck> TestCredentialsAsync(ConnectorAccount account, CancellationToken cancellationToken);

    /// <summary>Checks the binding step by step (credentials, project/group, logstore/stream/topic, read permission) and reads a few recent records.</summary>
    Task<ValidityProbe> ProbeAsync(ConnectorSource source, CancellationToken cancellationToken);

    /// <summary>Reads up to <see cref="PullRequest.MaxRecords"/> records after the checkpoint.</summary>
    Task<PullResult> PullAsync(ConnectorSource source, PullRequest request, CancellationToken cancellationToken);
}

/// <summary>The connector of each provider, as registered.</summary>
public sealed class LogConnectors : ILogConnectors
{
    private readonly Dictionary<CloudProvider, ILogConnector> _byProvider;

    public LogConnectors(IEnumerable<ILogConnector> connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        // The last registration for a provider wins, as with any service: a later one replaces the default.
        _byProvider = connectors.GroupBy(c => c.Provider).ToDictionary(g => g.Key, g => g.Last());
    }

    public IReadOnlyCollection<ILogConnector> All => _byProvider.Values;

    public bool TryGet(CloudProvider provider, out ILogConnector connector) => _byProvider.TryGetValue(provider, out connector!);

    public ILogConnector For(CloudProvider provider) =>
        _byProvider.TryGetValue(provider, out var connector)
            ? connector
            : throw new InvalidOperationException($"No log connector is registered for {CloudProviders.DisplayName(provider)}.");

    /// <summary>The provider's connector, or null when Ctdr cannot pull its logs.</summary>
    ILogConnector? ILogConnectors.For(CloudProvider provider) => _byProvider.GetValueOrDefault(provider);
}

/// <summary>An error answered by a provider's API (or the way to it), with its code as the provider names it.</summary>
public sealed class CloudApiException : Exception
{
    public CloudApiException()
    {
    }

    public CloudApiException(string message)
        : base(message)
    {
    }

    public CloudApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CloudApiException(CloudProvider provider, int httpStatus, string errorCode, string message, Exception? innerException = null)
        : base($"{CloudProviders.DisplayName(provider)} answered {httpStatus} {errorCode}: {message}", innerException)
    {
        Provider = provider;
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
        ProviderMessage = message;
    }

    public CloudProvider Provider { get; }

    /// <summary>HTTP status, or 0 when the service could not be reached.</summary>
    public int HttpStatus { get; }

    public string ErrorCode { get; } = string.Empty;

    public string ProviderMessage { get; } = string.Empty;

    /// <summary>
    /// Worth retrying later: throttling, server errors, timeouts and unreachable endpoints. Tencent Cloud answers
    /// its errors with HTTP 200, so its transient ones (<c>InternalError</c>, <c>RequestLimitExceeded</c>) are known by code.
    /// </summary>
    public bool IsTransient => HttpStatus is 0 or 408 or 429 or >= 500
        || ErrorCode is "ReadQuotaExceed" or "RequestLimitExceeded" or "InternalServerError" or "RequestTimeout" or "InternalError";
}
