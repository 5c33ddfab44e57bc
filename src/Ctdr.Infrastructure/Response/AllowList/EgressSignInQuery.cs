using System.Text.Json;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response.AllowList;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Response.AllowList;

/// <summary>
/// Successful console sign-ins in the stored audit logs, grouped by source address. The audit products with
/// normalised sign-ins are listed in <see cref="AuditProducts"/> (today Alibaba ActionTrail: <c>ConsoleSignin</c>
/// becomes Authentication / Logon, status Success when the event has no error code). At most
/// <see cref="MaxSignIns"/> of the newest sign-ins are read.
/// </summary>
internal sealed class EgressSignInQuery(IDbContextFactory<CtdrDbContext> contexts) : IEgressSignIns
{
    public const int MaxSignIns = 100_000;
    private const int MaxUsersNamed = 5;

    private static readonly string[] AuditProducts = [nameof(LogProduct.AlibabaActionTrail)];

    public async Task<IReadOnlyList<EgressSignIn>> FindAsync(DateTimeOffset since, bool requireMfa, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var signIns = db.SecurityLogs.AsNoTracking()
            .Where(l => AuditProducts.Contains(l.Product)
                && l.ClassUid == (int)OcsfClass.Authentication
                && l.ActivityId == OcsfActivity.Logon
                && l.StatusId == 1
                && l.Time >= since
                && l.SrcIp != null)
            .OrderByDescending(l => l.Time)
            .Take(MaxSignIns)
            .Select(l => new { l.SrcIp, l.Time, l.ActorUserName, Raw = requireMfa ? l.Raw : null });

        var byAddress = new Dictionary<string, (int Count, DateTimeOffset Last, SortedSet<string> Users)>(StringComparer.Ordinal);
        await foreach (var signIn in signIns.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!IpBlock.TryParse(signIn.SrcIp, out var block) || !block.IsSingleAddress || (requireMfa && !PassedMfa(signIn.Raw)))
            {
                continue;
            }

            var address = block.ToString();
            var seen = byAddress.TryGetValue(address, out var found) ? found : (Count: 0, Last: signIn.Time, Users: new SortedSet<string>(StringComparer.Ordinal));
            if (!string.IsNullOrWhiteSpace(signIn.ActorUserName))
            {
                seen.Users.Add(signIn.ActorUserName);
            }

            byAddress[address] = (seen.Count + 1, signIn.Time > seen.Last ? signIn.Time : seen.Last, seen.Users);
        }

        return [.. byAddress
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new EgressSignIn(p.Key, p.Value.Count, p.Value.Last, [.. p.Value.Users.Take(MaxUsersNamed)]))];
    }

    /// <summary>
    /// True when the raw ActionTrail event says multi-factor authentication was used: <c>additionalEventData.MFAUsed</c>
    /// or <c>userIdentity.sessionContext.attributes.mfaAuthenticated</c> is "true". The event may be the record itself,
    /// the object or JSON string in its <c>event</c> field, or flattened <c>event.*</c> fields (as the normaliser reads it).
    /// </summary>
    internal static bool PassedMfa(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return false;
        }

        try
        {
            using var record = JsonDocument.Parse(raw);
            if (record.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (record.RootElement.TryGetProperty("event", out var embedded) && embedded.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(embedded.GetString()!);
                return inner.RootElement.ValueKind == JsonValueKind.Object && SaysMfa(inner.RootElement);
            }

            return SaysMfa(record.RootElement)
                || (record.RootElement.TryGetProperty("event", out var nested) && nested.ValueKind == JsonValueKind.Object && SaysMfa(nested))
                || IsTrue(Find(record.RootElement, "event.additionalEventData.MFAUsed"))
                || IsTrue(Find(record.RootElement, "event.userIdentity.sessionContext.attributes.mfaAuthenticated"));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool SaysMfa(JsonElement evt) =>
        IsTrue(Find(evt, "additionalEventData.MFAUsed")) || IsTrue(Find(evt, "userIdentity.sessionContext.attributes.mfaAuthenticated"));

    private static bool IsTrue(JsonElement? value) => value is { } v && (v.ValueKind == JsonValueKind.True
        || (v.ValueKind == JsonValueKind.String && string.Equals(v.GetString(), "true", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The value at a dotted path, whether nested objects or flattened keys ("a.b") hold it.</summary>
    private static JsonElement? Find(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(path, out var whole))
        {
            return whole;
        }

        for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = path.IndexOf('.', dot + 1))
        {
            if (element.TryGetProperty(path[..dot], out var child) && Find(child, path[(dot + 1)..]) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
