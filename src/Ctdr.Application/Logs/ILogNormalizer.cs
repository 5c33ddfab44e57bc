using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Logs;

/// <summary>What a normaliser knows about where a record came from.</summary>
public sealed record LogContext(long SourceId, CloudProvider Provider, string? AccountUid, string? Region, string? LogName);

/// <summary>
/// Turns one provider record (UTF-8 JSON, as the connector delivers it) into a <see cref="SecurityLog"/>. A
/// record it cannot normalise is rejected with a reason (the pipeline quarantines it); it never throws for bad
/// input. Implementations are stateless and thread-safe.
/// </summary>
public interface ILogNormalizer
{
    LogProduct Product { get; }

    bool TryNormalize(RawRecord record, LogContext context, out SecurityLog? log, out string? rejection);
}
