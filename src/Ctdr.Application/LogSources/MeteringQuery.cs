using Ctdr.Application.Access;
using Ctdr.Application.Activation;
using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.LogSources;

/// <summary>One source's ingestion on one day, with its share of the day's estimated cost.</summary>
public sealed record MeterRow(long SourceId, string SourceName, DateOnly Day, long Received, long Stored, long Quarantined, long Bytes);

/// <summary>A day's total volume and its estimated cost under the tiered price.</summary>
public sealed record MeterDay(DateOnly Day, long Records, long Bytes, decimal Gigabytes, decimal EstimatedCost);

public sealed record MeteringReport(string Currency, IReadOnlyList<PriceTier> Tiers, IReadOnlyList<MeterDay> Days, IReadOnlyList<MeterRow> Rows);

/// <summary>Ingestion volume per source per day and its estimated cost (tiers apply to each day's total).</summary>
public sealed class MeteringQuery(ICtdrDbFactory dbs, ICurrentUser currentUser, TimeProvider clock)
{
    public const decimal BytesPerGigabyte = 1024m * 1024m * 1024m;

    public async Task<MeteringReport> ReadAsync(int days, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        var since = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-Math.Clamp(days, 1, 366) + 1);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var activation = await db.ServiceActivations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == ServiceActivation.SingletonId, cancellationToken)
            ?? ServiceActivation.NotActivated();
        var meters = await db.IngestionMeters.AsNoTracking().Where(m => m.Day >= since).ToListAsync(cancellationToken);
        var sourceIds = meters.Select(m => m.SourceId).Distinct().ToList();
        var names = await db.LogSources.AsNoTracking().Where(s => sourceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var tiers = activation.PriceTiers;
        var rows = meters
            .OrderByDescending(m => m.Day).ThenBy(m => m.SourceId)
            .Select(m => new MeterRow(m.SourceId, names.GetValueOrDefault(m.SourceId) ?? $"Deleted source #{m.SourceId}", m.Day, m.Received, m.Stored, m.Quarantined, m.Bytes))
            .ToList();
        var perDay = meters.GroupBy(m => m.Day).OrderByDescending(g => g.Key).Select(g =>
        {
            var bytes = g.Sum(m => m.Bytes);
            var gigabytes = bytes / BytesPerGigabyte;
            return new MeterDay(g.Key, g.Sum(m => m.Received), bytes, Math.Round(gigabytes, 6), ServiceActivation.EstimateDailyCost(gigabytes, tiers));
        }).ToList();
        return new MeteringReport(activation.Currency, tiers, perDay, rows);
    }
}
