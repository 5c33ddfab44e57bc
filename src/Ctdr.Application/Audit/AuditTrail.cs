using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Live;

namespace Ctdr.Application.Audit;

/// <summary>Stores the entry, then tells administrators watching the console.</summary>
public sealed class AuditTrail(ICtdrDbFactory dbs, TimeProvider clock, ILiveFeed feed) : IAuditTrail
{
    public async Task RecordAsync(
        AuditAction action,
        Actor actor,
        string? targetId = null,
        string? targetName = null,
        string? details = null,
        CancellationToken cancellationToken = default)
    {
        var entry = AuditEntry.Create(clock.GetUtcNow(), action, actor, targetId, targetName, details);
        await using (var db = await dbs.CreateAsync(cancellationToken))
        {
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
        }

        await feed.PublishAsync(
            new LiveMessage(LiveKinds.Audit, entry.Describe(), Permission.ViewAuditLog, entry.OccurredAt, entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            cancellationToken);
    }
}
