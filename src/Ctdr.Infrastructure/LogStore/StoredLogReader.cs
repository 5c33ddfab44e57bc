using Ctdr.Application.Detection;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.LogStore;

internal sealed class StoredLogReader(IDbContextFactory<CtdrDbContext> contexts) : IStoredLogReader
{
    public async Task<IReadOnlyList<StoredLog>> ReadAfterAsync(long afterId, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.SecurityLogs.AsNoTracking().Where(l => l.Id > afterId).OrderBy(l => l.Id).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new StoredLog(r.Id, LogSearch.ToSecurityLog(r)))];
    }

    public async Task<IReadOnlyList<StoredLog>> ReadRangeAsync(long afterId, long upToId, DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<LogProduct> products, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(products);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.SecurityLogs.AsNoTracking().Where(l => l.Id > afterId && l.Id <= upToId && l.Time >= from && l.Time < to);
        if (products.Count > 0)
        {
            var names = products.Select(p => p.ToString()).ToList();
            query = query.Where(l => names.Contains(l.Product));
        }

        var rows = await query.OrderBy(l => l.Id).Take(max).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new StoredLog(r.Id, LogSearch.ToSecurityLog(r)))];
    }

    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SecurityLogs.MaxAsync(l => (long?)l.Id, cancellationToken) ?? 0;
    }

    public async Task<IReadOnlyList<StoredLog>> GetAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.SecurityLogs.AsNoTracking().Where(l => ids.Contains(l.Id)).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new StoredLog(r.Id, LogSearch.ToSecurityLog(r)))];
    }
}
