using Ctdr.Application.Common;

namespace Ctdr.Application.Audit;

/// <summary>Writes audit entries. Every security-relevant action goes through it.</summary>
public interface IAuditTrail
{
    Task RecordAsync(
        AuditAction action,
        Actor actor,
        string? targetId = null,
        string? targetName = null,
        string? details = null,
        CancellationToken cancellationToken = default);
}
