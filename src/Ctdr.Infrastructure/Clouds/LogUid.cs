using System.Security.Cryptography;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds;

/// <summary>
/// The one rule for a normalised record's <c>metadata.uid</c> (with the source id it de-duplicates re-reads):
/// <list type="number">
/// <item>the format's natural id when the record has one (WAF <c>request_traceid</c>, ActionTrail <c>eventId</c>,
/// Huawei <c>requestid</c>, OCSF <c>metadata.uid</c>, ...);</item>
/// <item>else the connector's <see cref="RawRecord.PositionUid"/> (shard + cursor + index, line number, package + index),
/// stable across re-reads of the same position;</item>
/// <item>else <c>sha256:</c> and the first 16 bytes of the SHA-256 of the raw bytes in hex (pushed records without
/// an id: identical bytes are the same record).</item>
/// </list>
/// </summary>
internal static class LogUid
{
    public static string For(string? naturalId, in RawRecord record)
    {
        if (!string.IsNullOrEmpty(naturalId))
        {
            return naturalId;
        }

        if (!string.IsNullOrEmpty(record.PositionUid))
        {
            return record.PositionUid;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(record.Json.Span, hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..16]);
    }
}
