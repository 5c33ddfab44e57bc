using Ctdr.Application.Logs;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.LogStore;

/// <summary>Leases and retention, the same on every provider; the append path is provider-specific.</summary>
internal abstract class LogStoreBase(IDbContextFactory<CtdrDbContext> contexts) : ILogStore
{
    protected const int RetentionChunk = 10_000;

    protected IDbContextFactory<CtdrDbContext> Contexts { get; } = contexts;

    public abstract Task<AppendResult> AppendAsync(LogBatch batch, CancellationToken cancellationToken);

    public async Task<bool> TryLeaseAsync(long sourceId, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var db = await Contexts.CreateDbContextAsync(cancellationToken);
        var taken = await db.LogSources
            .Where(s => s.Id == sourceId && (s.LeaseUntil == null || s.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseUntil, until), cancellationToken);
        return taken == 1;
    }

    public async Task ReleaseLeaseAsync(long sourceId, CancellationToken cancellationToken)
    {
        await using var db = await Contexts.CreateDbContextAsync(cancellationToken);
        await db.LogSources.Where(s => s.Id == sourceId)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }

    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        await using var db = await Contexts.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            // Bounded chunks keep each transaction (and the write lock on SQLite) short.
            var ids = await db.SecurityLogs.Where(l => l.ReceivedAt < cutoff).OrderBy(l => l.Id).Select(l => l.Id).Take(RetentionChunk).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            total += await db.SecurityLogs.Where(l => ids.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        await db.QuarantinedRecords.Where(q => q.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return total;
    }

    /// <summary>The UTC day a batch is metered on.</summary>
    protected static DateOnly DayOf(DateTimeOffset receivedAt) => DateOnly.FromDateTime(receivedAt.UtcDateTime);

    protected static string RawText(ReadOnlyMemory<byte> raw, int cap)
    {
        var text = System.Text.Encoding.UTF8.GetString(raw.Span);
        return text.Length > cap ? text[..cap] : text;
    }
}
