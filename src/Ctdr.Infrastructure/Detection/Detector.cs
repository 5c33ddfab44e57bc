using Ctdr.Application.Access;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Live;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Infrastructure.Detection;

/// <summary>What one detection run did.</summary>
public sealed record DetectionRun(bool Active, int LogsRead, int AlertsRaised, int AlertsUpdated, long Checkpoint);

/// <summary>
/// The process's detector: holds the compiled rules and the engine's windowed state in memory, reads stored logs
/// after its checkpoint, and commits alerts, allow-list counters, the checkpoint and the watermark in one
/// transaction. One detector is active across all nodes (a lease on the <c>DetectionState</c> row); a detector
/// that takes over, restarts, or sees the rules change rebuilds its state from the stored logs.
/// </summary>
public sealed partial class Detector(
    IDbContextFactory<CtdrDbContext> contexts,
    IStoredLogReader logs,
    ILiveFeed feed,
    TimeProvider clock,
    IOptions<DetectionSettings> settings,
    ILogger<Detector> logger) : IDisposable
{
    /// <summary>Live messages per run at most, one per new alert; beyond it one summary.</summary>
    private const int MaxLiveMessagesPerRun = 50;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly string owner = Guid.NewGuid().ToString("N");
    private DetectionEngine? engine;
    private Dictionary<long, DetectionRule> rules = [];
    private long rulesVersion = -1;
    private long checkpoint;

    public string Owner => owner;

    public void Dispose() => gate.Dispose();

    /// <summary>Forget the in-memory state (tests: a restart of the process).</summary>
    public void Reset()
    {
        engine = null;
        rulesVersion = -1;
    }

    public async Task<DetectionRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            return new DetectionRun(false, 0, 0, 0, checkpoint);
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

    private async Task<DetectionRun> RunLockedAsync(CancellationToken cancellationToken)
    {
        var options = settings.Value;
        var started = clock.GetUtcNow();
        var state = await TryLeaseAsync(started, options, cancellationToken);
        if (state is null)
        {
            Reset();
            return new DetectionRun(false, 0, 0, 0, checkpoint);
        }

        if (engine is null || state.RulesVersion != rulesVersion)
        {
            await LoadAsync(state, options, cancellationToken);
        }

        int read = 0, raised = 0, updated = 0;
        var persistedWatermark = state.Watermark;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await logs.ReadAfterAsync(checkpoint, options.BatchSize, cancellationToken);
            var sink = new CollectingSink();
            foreach (var log in batch)
            {
                engine!.Process(log, sink, clock.GetUtcNow());
            }

            var watermarkBefore = engine!.Watermark;
            engine.Tick(clock.GetUtcNow(), sink);
            var next = batch.Count > 0 ? batch[^1].Id : checkpoint;
            if (batch.Count == 0 && sink.IsEmpty && engine.Watermark == watermarkBefore && engine.Watermark == persistedWatermark)
            {
                break;
            }

            var lastLogTime = batch.Count > 0 ? batch.Max(l => l.Log.Time) : (DateTimeOffset?)null;
            var (newAlerts, changed) = await CommitAsync(sink, next, engine.Watermark, lastLogTime, cancellationToken);
            if (newAlerts is null)
            {
                // Another detector took the lease: our state is no longer the truth.
                Reset();
                return new DetectionRun(false, read, raised, updated, checkpoint);
            }

            checkpoint = next;
            persistedWatermark = engine.Watermark;
            read += batch.Count;
            raised += newAlerts.Count;
            updated += changed.Count;
            await PublishAsync(newAlerts, changed, cancellationToken);
            if (batch.Count < options.BatchSize || clock.GetUtcNow() - started > TimeSpan.FromSeconds(options.RunBudgetSeconds))
            {
                break;
            }
        }

        return new DetectionRun(true, read, raised, updated, checkpoint);
    }

    /// <summary>Takes or renews the lease; the state row as it was, or null when another detector holds it.</summary>
    private async Task<StateSnapshot?> TryLeaseAsync(DateTimeOffset now, DetectionSettings options, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var until = now.AddSeconds(options.LeaseSeconds);
        var me = owner;
        var taken = await db.DetectionStates
            .Where(s => s.Id == DetectionState.SingletonId && (s.LeaseOwner == null || s.LeaseOwner == me || s.LeaseUntil == null || s.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LeaseOwner, me).SetProperty(s => s.LeaseUntil, until).SetProperty(s => s.LastRunAt, now), cancellationToken);
        if (taken != 1)
        {
            return null;
        }

        var row = await db.DetectionStates.AsNoTracking().SingleAsync(s => s.Id == DetectionState.SingletonId, cancellationToken);
        return new StateSnapshot(row.Checkpoint, row.Watermark, row.RulesVersion);
    }

    /// <summary>Compiles the running rules and rebuilds the windowed state from the stored logs up to the checkpoint.</summary>
    private async Task LoadAsync(StateSnapshot state, DetectionSettings options, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var running = await db.DetectionRules.AsNoTracking()
            .Where(r => r.State == RuleState.Live || r.State == RuleState.TestingOnLiveData)
            .ToListAsync(cancellationToken);
        var active = new List<ActiveRule>();
        var byId = new Dictionary<long, DetectionRule>();
        foreach (var rule in running)
        {
            if (RuleTexts.TryParse(rule.Text) is { } definition && rule.ActiveMode is { } mode)
            {
                active.Add(new ActiveRule(rule.Id, definition, mode));
                byId[rule.Id] = rule;
            }
            else
            {
                LogUnparsableRule(logger, rule.Key);
            }
        }

        var entries = await db.AlertAllowList.AsNoTracking().Where(e => e.Enabled).ToListAsync(cancellationToken);
        var allowList = new List<AllowListRule>();
        foreach (var entry in entries)
        {
            if (RuleTexts.TryParseCondition(entry.Condition) is { } condition)
            {
                allowList.Add(new AllowListRule(entry.Id, entry.RuleKey, condition));
            }
        }

        var engineOptions = options.ToEngineOptions();
        var compiled = CompileSafely(active, allowList, engineOptions, byId);
        var fresh = new DetectionEngine(compiled, engineOptions, state.Watermark);
        await RebuildAsync(fresh, state, cancellationToken);
        engine = fresh;
        rules = byId;
        rulesVersion = state.RulesVersion;
        checkpoint = state.Checkpoint;
        LogLoaded(logger, active.Count, allowList.Count, state.Checkpoint);
    }

    /// <summary>A rule that does not compile is left out (and logged) rather than stopping detection for every rule.</summary>
    private CompiledRuleSet CompileSafely(List<ActiveRule> active, List<AllowListRule> allowList, DetectionOptions options, Dictionary<long, DetectionRule> byId)
    {
        try
        {
            return RuleCompiler.Compile(active, allowList, options);
        }
        catch (RuleCompileException)
        {
            var good = new List<ActiveRule>();
            foreach (var rule in active)
            {
                try
                {
                    RuleCompiler.Compile([rule], [], options);
                    good.Add(rule);
                }
                catch (RuleCompileException exception)
                {
                    byId.Remove(rule.RuleId);
                    LogUncompilableRule(logger, rule.Definition.Id, exception.Message);
                }
            }

            var goodAllow = allowList.Where(a =>
            {
                try
                {
                    RuleCompiler.Compile([], [a], options);
                    return true;
                }
                catch (RuleCompileException)
                {
                    return false;
                }
            }).ToList();
            return RuleCompiler.Compile(good, goodAllow, options);
        }
    }

    private async Task RebuildAsync(DetectionEngine fresh, StateSnapshot state, CancellationToken cancellationToken)
    {
        if (state.Watermark is not { } watermark || state.Checkpoint == 0)
        {
            return;
        }

        var discard = new DiscardingSink();
        var from = fresh.RebuildFrom(watermark);
        var after = 0L;
        while (true)
        {
            var batch = await logs.ReadRangeAsync(after, state.Checkpoint, from, DateTimeOffset.MaxValue, [], settings.Value.BatchSize, cancellationToken);
            foreach (var log in batch)
            {
                fresh.Process(log, discard, clock.GetUtcNow());
            }

            if (batch.Count < settings.Value.BatchSize)
            {
                break;
            }

            after = batch[^1].Id;
        }

        fresh.AdvanceWatermarkTo(watermark, discard);
    }

    /// <summary>
    /// One transaction: alerts upserted by fingerprint (folded with what is stored), allow-list counters, and the
    /// checkpoint and watermark — only while this detector still holds the lease. Null when it does not.
    /// </summary>
    private async Task<(List<Alert>? New, List<Alert> Changed)> CommitAsync(CollectingSink sink, long next, DateTimeOffset? watermark, DateTimeOffset? lastLogTime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var me = owner;
        var kept = await db.DetectionStates
            .Where(s => s.Id == DetectionState.SingletonId && s.LeaseOwner == me)
            .ExecuteUpdateAsync(
                set => set.SetProperty(s => s.Checkpoint, next)
                    .SetProperty(s => s.Watermark, watermark)
                    .SetProperty(s => s.LastLogTime, s => lastLogTime ?? s.LastLogTime)
                    .SetProperty(s => s.LeaseUntil, now.AddSeconds(settings.Value.LeaseSeconds)),
                cancellationToken);
        if (kept != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (null, []);
        }

        var created = new List<Alert>();
        var changed = new List<Alert>();
        var drafts = AlertFold.Fold(sink.Candidates, settings.Value.ToEngineOptions().MaxEvidence);
        foreach (var chunk in drafts.Chunk(500))
        {
            var fingerprints = chunk.Select(d => d.Fingerprint).ToList();
            var existing = await db.Alerts.Include(a => a.Evidence).Where(a => fingerprints.Contains(a.Fingerprint)).ToDictionaryAsync(a => a.Fingerprint, StringComparer.Ordinal, cancellationToken);
            foreach (var draft in chunk)
            {
                if (existing.TryGetValue(draft.Fingerprint, out var alert))
                {
                    alert.Apply(AlertFold.Merge(alert.ToDraft(), draft, settings.Value.ToEngineOptions().MaxEvidence), now);
                    changed.Add(alert);
                }
                else if (rules.TryGetValue(draft.RuleId, out var rule))
                {
                    var raisedAlert = Alert.Raise(draft, rule, now);
                    db.Alerts.Add(raisedAlert);
                    created.Add(raisedAlert);
                }
            }
        }

        foreach (var (entryId, count, last) in sink.AllowListedCounts())
        {
            var entry = await db.AlertAllowList.SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken);
            entry?.CountSuppressed(count, last);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (created, changed);
    }

    /// <summary>One message per new or changed alert (so open pages refresh it), at most <see cref="MaxLiveMessagesPerRun"/>; beyond that one summary.</summary>
    private async Task PublishAsync(List<Alert> created, List<Alert> changed, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var messages = created.Select(a => (Alert: a, Text: a.IsShadow ? $"Shadow alert: {a.RuleTitle}" : $"Alert: {a.RuleTitle}"))
            .Concat(changed.Select(a => (Alert: a, Text: $"Alert updated: {a.RuleTitle} ({Invariant.Text(a.Count)})")))
            .ToList();
        foreach (var (alert, text) in messages.Take(MaxLiveMessagesPerRun))
        {
            await feed.PublishAsync(new LiveMessage(LiveKinds.Alert, text, Permission.ViewConsole, now, Invariant.Text(alert.Id)), cancellationToken);
        }

        if (messages.Count > MaxLiveMessagesPerRun)
        {
            await feed.PublishAsync(new LiveMessage(LiveKinds.Alert, $"{Invariant.Text(created.Count)} new alerts, {Invariant.Text(changed.Count)} updated", Permission.ViewConsole, now), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detection rule {RuleKey} does not parse and is not run")]
    private static partial void LogUnparsableRule(ILogger logger, string ruleKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detection rule {RuleKey} does not compile and is not run: {Reason}")]
    private static partial void LogUncompilableRule(ILogger logger, string ruleKey, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Detector loaded {Rules} rules and {AllowListEntries} allow-list entries; resuming after log {Checkpoint}")]
    private static partial void LogLoaded(ILogger logger, int rules, int allowListEntries, long checkpoint);

    private sealed record StateSnapshot(long Checkpoint, DateTimeOffset? Watermark, long RulesVersion);

    /// <summary>Collects what the engine found in one batch.</summary>
    private sealed class CollectingSink : IDetectionSink
    {
        private readonly Dictionary<long, (long Count, DateTimeOffset Last)> allowListed = [];

        public List<AlertCandidate> Candidates { get; } = [];

        public bool IsEmpty => Candidates.Count == 0 && allowListed.Count == 0;

        public void Raise(AlertCandidate candidate) => Candidates.Add(candidate);

        public void AllowListed(long entryId, long ruleId, DateTimeOffset time)
        {
            var (count, last) = allowListed.GetValueOrDefault(entryId);
            allowListed[entryId] = (count + 1, count == 0 || time > last ? time : last);
        }

        public IEnumerable<(long EntryId, long Count, DateTimeOffset Last)> AllowListedCounts() =>
            allowListed.Select(p => (p.Key, p.Value.Count, p.Value.Last));
    }

    /// <summary>Replays of logs already evaluated: what they raise was committed before.</summary>
    private sealed class DiscardingSink : IDetectionSink
    {
        public void Raise(AlertCandidate candidate)
        {
        }

        public void AllowListed(long entryId, long ruleId, DateTimeOffset time)
        {
        }
    }
}
