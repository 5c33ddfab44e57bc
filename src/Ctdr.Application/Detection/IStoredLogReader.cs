using Ctdr.Application.LogSources;

namespace Ctdr.Application.Detection;

/// <summary>Reads stored logs for detection, backtests and evidence, in row-id order.</summary>
public interface IStoredLogReader
{
    /// <summary>Logs with a row id above <paramref name="afterId"/>, in id order, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<StoredLog>> ReadAfterAsync(long afterId, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Logs with <paramref name="afterId"/> &lt; id ≤ <paramref name="upToId"/> and event time in [<paramref name="from"/>, <paramref name="to"/>),
    /// of the given products (all when empty), in id order, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<StoredLog>> ReadRangeAsync(long afterId, long upToId, DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<LogProduct> products, int max, CancellationToken cancellationToken);

    /// <summary>The newest row id (0 when there is none).</summary>
    Task<long> LastIdAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredLog>> GetAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}
