using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.Live;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Events;

/// <summary>What one correlation run did.</summary>
public sealed record CorrelationRun(int AlertsRead, int EventsOpened, int AlertsJoined, int Skipped, long Checkpoint);

/// <summary>
/// Places new alerts into security events with <see cref="EventCorrelator"/>: reads the alerts after its checkpoint in
/// id order, the open events they could join, and commits the events, the memberships (with the reasons) and the
/// checkpoint in one transaction, guarded by a compare-and-swap on the checkpoint so that two runs never place the
/// same alerts twice. Runs after each detection run.
/// </summary>
public sealed class EventCorrelation(IDbContextFactory<CtdrDbContext> contexts, ILiveFeed feed, IOptions<EventSettings> settings, TimeProvider clock) : IDisposable
{
    /// <summary>Alerts placed per run at most; the next run continues.</summary>
    public const int BatchSize = 1000;

    private readonly SemaphoreSlim gate = new(1, 1);

    public CorrelationOptions Options { get; } = settings.Value.ToCorrelationOptions();

    public void Dispose() => gate.Dispose();

    public async Task<CorrelationRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            return new CorrelationRun(0, 0, 0, 0, -1);
        }

        try
        {
            return await RunLockedAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CorrelationRun> RunLockedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var checkpoint = await db.CorrelationStates.Where(s => s.Id == CorrelationState.SingletonId).Select(s => s.Checkpoint).SingleAsync(cancellationToken);
        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => a.Id > checkpoint && !db.EventMemberships.Any(m => m.AlertId == a.Id))
            .OrderBy(a => a.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var lastId = await db.Alerts.Where(a => a.Id > checkpoint).OrderBy(a => a.Id).Select(a => a.Id).Take(BatchSize).MaxAsync(id => (long?)id, cancellationToken);
        if (lastId is null)
        {
            return new CorrelationRun(0, 0, 0, 0, checkpoint);
        }

        var inputs = alerts.Select(EventAssessment.ToInput).ToList();
        var earliest = inputs.Count == 0 ? now : inputs.Min(a => a.FirstSeen) - Options.Window;
        var open = await db.SecurityEvents.Include(e => e.Keys)
            .Where(e => e.MergedIntoId == null && (e.Status == SecurityEventStatus.Unhandled || e.Status == SecurityEventStatus.Handling)
                && e.LastSeen >= earliest && e.AlertCount < Options.MaxAlertsPerEvent)
            .ToListAsync(cancellationToken);
        var correlator = new EventCorrelator(Options, open.Select(e => new OpenEvent(e.Id, e.LastSeen, e.AlertCount, [.. e.Keys.Select(k => new JoinKey(k.Kind, k.Value))])));

        var byId = open.ToDictionary(e => e.Id);
        var pending = new List<SecurityEvent>();
        var placed = new List<(CorrelationAlert Alert, SecurityEvent Event, JoinReason Reason)>();
        int opened = 0, joined = 0, skipped = 0;
        foreach (var input in inputs)
        {
            switch (correlator.Correlate(input))
            {
                case SkipDecision:
                    skipped++;
                    break;
                case OpenDecision open1:
                    var created = SecurityEvent.Open(input.RuleKey, input.FirstSeen, now);
                    pending.Add(created);
                    db.SecurityEvents.Add(created);
                    Place(input, created, open1.Reason);
                    opened++;
                    break;
                case JoinDecision join:
                    var target = join.Event.IsPending ? pending[join.Event.PendingIndex] : byId[join.Event.Value];
                    Place(input, target, join.Reason);
                    joined++;
                    break;
            }
        }

        void Place(CorrelationAlert input, SecurityEvent target, JoinReason reason)
        {
            target.Add(input.FirstSeen, input.LastSeen, input.Provider.ToString(), input.AccountUid, EventCorrelator.JoinKeysOf(input, Options.JoinOn), now);
            placed.Add((input, target, reason));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.CorrelationStates
            .Where(s => s.Id == CorrelationState.SingletonId && s.Checkpoint == checkpoint)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.Checkpoint, lastId.Value).SetProperty(s => s.LastRunAt, now), cancellationToken);
        if (moved != 1)
        {
            // Another run placed these alerts first.
            await transaction.RollbackAsync(cancellationToken);
            return new CorrelationRun(alerts.Count, 0, 0, 0, checkpoint);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (input, target, reason) in placed)
        {
            db.EventMemberships.Add(EventMembership.Correlated(input.AlertId, target.Id, reason, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        var touched = placed.Select(p => p.Event).Distinct().ToList();
        await AssessAsync(db, touched, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        foreach (var ev in touched.Take(50))
        {
            var text = pending.Contains(ev) ? $"New security event: {ev.Title}" : $"Security event updated: {ev.Title} ({Invariant.Text(ev.AlertCount)} alerts)";
            await feed.PublishAsync(new LiveMessage(LiveKinds.Event, text, Permission.ViewConsole, now, Invariant.Text(ev.Id)), cancellationToken);
        }

        return new CorrelationRun(alerts.Count, opened, joined, skipped, lastId.Value);
    }

    /// <summary>Title, threat level and score of each changed event, from all of its alerts (docs/events.md).</summary>
    private async Task AssessAsync(CtdrDbContext db, List<SecurityEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => e.Id).ToList();
        var members = await db.EventMemberships.Where(m => ids.Contains(m.EventId))
            .Join(db.Alerts, m => m.AlertId, a => a.Id, (m, a) => new { m.EventId, Alert = a })
            .ToListAsync(cancellationToken);
        foreach (var ev in events)
        {
            EventAssessment.Recompute(ev, [.. members.Where(m => m.EventId == ev.Id).Select(m => m.Alert)], Options, now);
        }
    }
}
