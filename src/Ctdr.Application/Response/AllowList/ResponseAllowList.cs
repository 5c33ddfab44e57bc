using System.Globalization;
using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Response.AllowList;

/// <summary>One line of the Response allow-list page: a stored entry (with <see cref="Id"/>) or an automatic item (without).</summary>
public sealed record ResponseAllowListRow(
    long? Id,
    AllowListSource Source,
    ResponseAllowListKind Kind,
    string Value,
    string Reason,
    string? CreatedBy,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? ExpiresAt,
    bool Expired,
    long PreventedCount,
    DateTimeOffset? LastPreventedAt)
{
    public bool IsAutomatic => Source != AllowListSource.Manual;

    public string SourceName => AllowListSources.DisplayName(Source);
}

/// <summary>What a user asks to add: an IP, a CIDR network or a domain (<c>*.example.com</c> allowed), why, and optionally until when.</summary>
public sealed record ResponseAllowListForm(string? Value, string? Reason, DateTimeOffset? ExpiresAt = null);

/// <summary>
/// The response allow-list: what no block, automatic or manual, may ever hit. Users list it (ViewConsole) and
/// add or remove manual entries (ManageAllowLists), every change audited; the response guard reads the compiled
/// <see cref="AllowListMatcher"/> through <see cref="CurrentAsync"/> and reports refusals through
/// <see cref="RecordPreventedAsync"/> (neither needs a signed-in user: automatic rules call them).
/// </summary>
public sealed class ResponseAllowList(ICtdrDbFactory dbs, ICurrentUser currentUser, IAuditTrail audit, ResponseAllowListCache cache, TimeProvider clock)
{
    /// <summary>IPv4 networks broader than this are refused: they would make most of the internet unblockable.</summary>
    public const int BroadestIPv4Prefix = 8;

    /// <summary>IPv6 networks broader than this are refused (a /32 is a whole provider's allocation).</summary>
    public const int BroadestIPv6Prefix = 32;

    /// <summary>Manual entries first (newest first), then the automatic items as the matcher holds them.</summary>
    public async Task<IReadOnlyList<ResponseAllowListRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        var now = clock.GetUtcNow();
        List<ResponseAllowListEntry> entries;
        await using (var db = await dbs.CreateAsync(cancellationToken))
        {
            entries = await db.ResponseAllowList.AsNoTracking().OrderByDescending(e => e.Id).ToListAsync(cancellationToken);
        }

        var rows = entries
            .Select(e => new ResponseAllowListRow(e.Id, AllowListSource.Manual, e.Kind, e.Value, e.Reason, e.CreatedBy, e.CreatedAt, e.ExpiresAt, !e.IsActiveAt(now), e.PreventedCount, e.LastPreventedAt))
            .ToList();
        var matcher = await cache.CurrentAsync(cancellationToken);
        foreach (var item in matcher.Items.Where(i => i.Source != AllowListSource.Manual))
        {
            var (count, last) = cache.AutomaticPrevented(item);
            rows.Add(new ResponseAllowListRow(null, item.Source, item.Kind, item.Value, item.Reason, null, null, null, false, count, last));
        }

        return rows;
    }

    /// <summary>Adds a manual entry after validation; the messages name the field (<c>Value</c>, <c>Reason</c>, <c>ExpiresAt</c>).</summary>
    public async Task<(Result Outcome, long? Id)> AddAsync(ResponseAllowListForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await currentUser.RequireAsync(Permission.ManageAllowLists, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateAsync(cancellationToken);
        var errors = new ValidationErrors();
        AllowListValue? value = null;
        if (!AllowListValue.TryParse(form.Value, out value, out var valueError))
        {
            errors.Add("Value", valueError!);
        }
        else if (TooBroad(value!) is { } broad)
        {
            errors.Add("Value", broad);
        }
        else if (value!.Block is { } block && ReservedRanges.All.FirstOrDefault(r => IpBlock.Parse(r.Value).Contains(block)) is { } reserved)
        {
            errors.Add("Value", $"{value.Text} is already never blocked: it lies in {reserved.Value} ({reserved.Reason}).");
        }
        else
        {
            var kind = value.Kind;
            var text = value.Text;
            var same = await db.ResponseAllowList.AsNoTracking().Where(e => e.Kind == kind && e.Value == text).ToListAsync(cancellationToken);
            if (same.FirstOrDefault(e => e.IsActiveAt(now)) is { } existing)
            {
                errors.Add("Value", $"{text} is already on the allow-list (added by {existing.CreatedBy}).");
            }
        }

        if (string.IsNullOrWhiteSpace(form.Reason))
        {
            errors.Add("Reason", "Say why this must never be blocked.");
        }
        else if (form.Reason.Trim().Length > ResponseAllowListEntry.MaxReasonLength)
        {
            errors.Add("Reason", $"The reason has at most {ResponseAllowListEntry.MaxReasonLength} characters.");
        }

        if (form.ExpiresAt is { } end && end <= now)
        {
            errors.Add("ExpiresAt", "The end must be in the future; leave it empty for an entry that does not expire.");
        }

        if (errors.Any)
        {
            return (errors.ToResult(), null);
        }

        var entry = ResponseAllowListEntry.Create(value!, form.Reason!, user.Name, now, form.ExpiresAt);
        db.ResponseAllowList.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        var until = entry.ExpiresAt is { } expires ? " until " + expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : string.Empty;
        await audit.RecordAsync(AuditAction.ResponseAllowListEntryAdded, user.AsActor(), Invariant.Text(entry.Id), entry.Value, $"{entry.Kind} {entry.Value}{until}: {entry.Reason}", cancellationToken);
        return (Result.Ok(), entry.Id);
    }

    /// <summary>Removes a manual entry. Automatic items have no id and cannot be removed.</summary>
    public async Task<Result> RemoveAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.ManageAllowLists, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var entry = await db.ResponseAllowList.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return Result.NotFound("The allow-list entry does not exist (it may have been removed already).");
        }

        db.ResponseAllowList.Remove(entry);
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        await audit.RecordAsync(AuditAction.ResponseAllowListEntryRemoved, user.AsActor(), Invariant.Text(id), entry.Value, $"{entry.Kind} {entry.Value} (was: {entry.Reason}; prevented {Invariant.Text(entry.PreventedCount)} blocks)", cancellationToken);
        return Result.Ok();
    }

    /// <summary>The compiled allow-list the guard checks every block against (cached; see <see cref="ResponseAllowListCache"/>).</summary>
    public Task<AllowListMatcher> CurrentAsync(CancellationToken cancellationToken = default) => cache.CurrentAsync(cancellationToken);

    /// <summary>
    /// Counts a block the allow-list refused against the item that refused it: stored for manual entries, held in
    /// memory for automatic ones. A manual entry removed meanwhile is ignored.
    /// </summary>
    public async Task RecordPreventedAsync(AllowListHit hit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var now = clock.GetUtcNow();
        if (hit.Item.Source != AllowListSource.Manual || hit.Item.EntryId is not { } id)
        {
            cache.CountAutomaticPrevented(hit.Item, now);
            return;
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        await db.ResponseAllowList.Where(e => e.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.PreventedCount, e => e.PreventedCount + 1).SetProperty(e => e.LastPreventedAt, now), cancellationToken);
    }

    private static string? TooBroad(AllowListValue value)
    {
        if (value.Block is not { } block || block.IsSingleAddress)
        {
            return null;
        }

        var (broadest, family) = block.IsIPv4 ? (BroadestIPv4Prefix, "IPv4") : (BroadestIPv6Prefix, "IPv6");
        return block.DisplayPrefixLength < broadest
            ? $"{value.Text} is too broad: an {family} entry may cover at most a /{Invariant.Text(broadest)}, or most of the internet would become unblockable. Add narrower networks."
            : null;
    }
}
