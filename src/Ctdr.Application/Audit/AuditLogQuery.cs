using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Audit;

public sealed record AuditFilter(string? Actor = null, AuditAction? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record AuditRow(
    long Id,
    DateTimeOffset OccurredAt,
    AuditAction Action,
    string ActorName,
    string? TargetName,
    string? Details,
    string? IpAddress);

/// <summary>Reads the audit log a page at a time, newest first, for administrators.</summary>
public sealed class AuditLogQuery(ICtdrDbFactory dbs, ICurrentUser currentUser)
{
    public async Task<Page<AuditRow>> ListAsync(AuditFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await currentUser.RequireAsync(Permission.ViewAuditLog, cancellationToken);

        await using var db = await dbs.CreateAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();

        var actor = filter.Actor?.Trim();
        if (!string.IsNullOrEmpty(actor))
        {
            var pattern = LikePatterns.Contains(actor);
            query = query.Where(e => EF.Functions.Like(e.ActorName, pattern, LikePatterns.Escape));
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (filter.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(e => e.OccurredAt >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            query = query.Where(e => e.OccurredAt <= toUtc);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(e => e.OccurredAt)
            .ThenByDescending(e => e.Id)
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(e => new AuditRow(e.Id, e.OccurredAt, e.Action, e.ActorName, e.TargetName, e.Details, e.IpAddress))
            .ToListAsync(cancellationToken);
        return new Page<AuditRow>(rows, total);
    }
}
