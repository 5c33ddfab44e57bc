using System.Collections.Concurrent;
using System.Globalization;
using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ctdr.Application.Response.AllowList;

/// <summary>
/// The current compiled allow-list, shared by the process: rebuilt when an entry changes here, when a manual
/// entry expires, and otherwise every <see cref="ResponseAllowListOptions.RefreshInterval"/> (which picks up new
/// egress sign-ins and changes made on another node). Also counts blocks prevented by automatic items, which
/// have no stored row: those counts live as long as the process.
/// </summary>
public sealed class ResponseAllowListCache(ICtdrDbFactory dbs, IEgressSignIns egress, IOptions<ResponseAllowListOptions> options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<(AllowListSource, string), (long Count, DateTimeOffset Last)> _automaticPrevented = new();
    private volatile Snapshot? _current;
    private int _version;

    /// <summary>The allow-list as it stands, rebuilt first when stale.</summary>
    public async Task<AllowListMatcher> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var snapshot = _current;
        if (IsFresh(snapshot, now))
        {
            return snapshot!.Matcher;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            snapshot = _current;
            if (IsFresh(snapshot, now))
            {
                return snapshot!.Matcher;
            }

            // Read the version first: a change saved while building leaves this snapshot stale, not current.
            var version = Volatile.Read(ref _version);
            snapshot = await BuildAsync(version, cancellationToken);
            _current = snapshot;
            return snapshot.Matcher;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Makes the next <see cref="CurrentAsync"/> rebuild (an entry was added or removed).</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    public void CountAutomaticPrevented(AllowListItem item, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(item);
        _automaticPrevented.AddOrUpdate((item.Source, item.Value), (1, at), (_, old) => (old.Count + 1, at > old.Last ? at : old.Last));
    }

    /// <summary>Blocks prevented since the process started by an automatic item, and when last.</summary>
    public (long Count, DateTimeOffset? Last) AutomaticPrevented(AllowListItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _automaticPrevented.TryGetValue((item.Source, item.Value), out var counted) ? (counted.Count, counted.Last) : (0, null);
    }

    public void Dispose() => _gate.Dispose();

    private bool IsFresh(Snapshot? snapshot, DateTimeOffset now) =>
        snapshot is not null && snapshot.Version == Volatile.Read(ref _version) && now < snapshot.ValidUntil && now >= snapshot.BuiltAt;

    private async Task<Snapshot> BuildAsync(int version, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        List<ResponseAllowListEntry> entries;
        await using (var db = await dbs.CreateAsync(cancellationToken))
        {
            entries = await db.ResponseAllowList.AsNoTracking().OrderBy(e => e.Id).ToListAsync(cancellationToken);
        }

        var active = entries.Where(e => e.IsActiveAt(now)).ToList();
        var signIns = await egress.FindAsync(now.AddDays(-settings.EgressSignInDays), settings.EgressRequiresMfa, cancellationToken);
        var items = new List<AllowListItem>();
        items.AddRange(active.Select(e => new AllowListItem(AllowListSource.Manual, e.Kind, e.Value, e.Reason, e.Id)));
        items.AddRange(ReservedRanges.All);
        items.AddRange(settings.BackToOriginItems());
        foreach (var signIn in signIns)
        {
            // Audit trails carry service names where a cloud service acted; only addresses can be egress.
            if (IpBlock.TryParse(signIn.Address, out var block) && block.IsSingleAddress)
            {
                items.Add(new AllowListItem(AllowListSource.EgressSignIn, ResponseAllowListKind.Ip, block.ToString(), EgressReason(signIn, settings)));
            }
        }

        var nextExpiry = active.Where(e => e.ExpiresAt is not null).Select(e => e.ExpiresAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var refresh = now + settings.RefreshInterval;
        return new Snapshot(AllowListMatcher.Build(items), version, now, nextExpiry < refresh ? nextExpiry : refresh);
    }

    private static string EgressReason(EgressSignIn signIn, ResponseAllowListOptions settings)
    {
        var users = signIn.Users.Count == 0 ? string.Empty : " by " + string.Join(", ", signIn.Users);
        var times = signIn.SignIns == 1 ? "once" : signIn.SignIns.ToString(CultureInfo.InvariantCulture) + " times";
        var mfa = settings.EgressRequiresMfa ? " with MFA" : string.Empty;
        return $"Signed in successfully{mfa} {times}{users} in the last {settings.EgressSignInDays.ToString(CultureInfo.InvariantCulture)} days; last {signIn.LastSeen.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
    }

    private sealed record Snapshot(AllowListMatcher Matcher, int Version, DateTimeOffset BuiltAt, DateTimeOffset ValidUntil);
}
