using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Alerts;

/// <summary>Reads evidence references back as logs: the stored record (when retention kept it), its raw text, its source's name.</summary>
internal static class EvidenceLogs
{
    /// <summary>One <see cref="EvidenceLog"/> per reference, in the same order.</summary>
    public static async Task<IReadOnlyList<EvidenceLog>> LoadAsync(ICtdrDb db, IStoredLogReader logs, IReadOnlyList<AlertEvidence> evidence, CancellationToken cancellationToken)
    {
        var stored = await logs.GetAsync([.. evidence.Select(e => e.LogId)], cancellationToken);
        var byId = stored.ToDictionary(s => s.Id, s => s.Log);
        var sourceIds = evidence.Select(e => e.SourceId).Distinct().ToList();
        var sourceNames = await db.LogSources.AsNoTracking().Where(s => sourceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return
        [
            .. evidence.Select(e =>
            {
                var log = byId.GetValueOrDefault(e.LogId);
                return new EvidenceLog(e.LogId, e.Time, sourceNames.GetValueOrDefault(e.SourceId), log, log is null ? null : System.Text.Encoding.UTF8.GetString(log.Raw.Span));
            }),
        ];
    }
}
