using System.Globalization;
using Ctdr.Application.Logs;

namespace Ctdr.Application.Detection.Engine;

/// <summary>
/// Evaluates compiled rules over stored logs. Pure and single-threaded: the caller serialises calls.
/// <para>
/// Stateless rules are evaluated as each record is processed. Windowed rules (aggregations, sequences) see records in
/// event-time order (time, source id, uid): matching records are buffered and released once the watermark reaches
/// them. A source's watermark is its newest time minus <see cref="DetectionOptions.Lateness"/>; the engine's is the
/// minimum over sources that are not idle (nothing delivered for <c>Lateness</c> of processing time), never moving
/// back. A record at or behind the watermark is late: stateless rules still see it, windowed rules drop it.
/// </para>
/// <para>
/// Restart: persist <see cref="Watermark"/> with the checkpoint of the processed logs. To resume, create an engine
/// with that watermark (<see cref="DetectionEngine(CompiledRuleSet, DetectionOptions, DateTimeOffset?)"/>), replay
/// the already-processed logs whose time is ≥ <see cref="RebuildFrom"/>(persisted watermark), in their stored order,
/// through a sink that discards everything, then call <see cref="AdvanceWatermarkTo"/>(persisted watermark) with that
/// sink, then continue with new logs. While rebuilding, the watermark stays put (nothing replayed is late, whatever
/// order the sources' records come back in); advancing to the persisted watermark releases the replayed records in
/// event-time order. Windowed state is then what it was, records buffered at the checkpoint are released later as
/// before, and the folded alerts are the same as without the restart. (Records that were late and dropped in the
/// first run but replayed within the horizon are counted after a restart: the engine cannot know they were late.)
/// </para>
/// </summary>
public sealed class DetectionEngine
{
    private const int MaxDistinctValuesPerKey = 10_000;

    private readonly CompiledRuleSet _rules;
    private readonly DetectionOptions _options;
    private readonly RecordContext _context;
    private readonly RecordContext _releaseContext;
    private readonly AggregationState?[] _aggregations;
    private readonly SequenceState?[] _sequences;
    private readonly EventTimeBuffer _buffer = new();
    private readonly Dictionary<long, SourceClock> _sources = [];
    private readonly long[] _unitStamps;
    private readonly List<int> _candidates = [];
    private readonly int[] _ruleMasks;
    private readonly long[] _ruleStamps;
    private readonly List<int> _touched = [];
    private readonly long _evictEveryTicks;
    private readonly EventTimeBuffer.ReleaseAction _applyReleased;
    private IDetectionSink? _releaseSink;
    private long _stamp;
    private DateTimeOffset? _watermark;
    private DateTimeOffset? _newest;
    private DateTimeOffset _lastRecompute = DateTimeOffset.MinValue;
    private long _lastEvictTicks = long.MinValue;
    private bool _rebuilding;
    private SourceClock? _lastClock;
    private long _lastSourceId;

    public DetectionEngine(CompiledRuleSet rules, DetectionOptions options)
        : this(rules, options, null)
    {
    }

    /// <param name="rules">The compiled rules.</param>
    /// <param name="options">Lateness, caps and timeouts.</param>
    /// <param name="rebuildTo">
    /// The persisted watermark of a restart: the engine holds its watermark until <see cref="AdvanceWatermarkTo"/> (or
    /// <see cref="Flush"/>) is called, so that the replayed records are buffered and then released in event-time order.
    /// </param>
    public DetectionEngine(CompiledRuleSet rules, DetectionOptions options, DateTimeOffset? rebuildTo)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(options);
        _rules = rules;
        _options = options;
        _context = new RecordContext(rules.RawPaths, Statistics);
        _releaseContext = new RecordContext(rules.RawPaths, Statistics);
        _aggregations = new AggregationState?[rules.Rules.Length];
        _sequences = new SequenceState?[rules.Rules.Length];
        var evictEvery = long.MaxValue;
        foreach (var rule in rules.Rules)
        {
            if (rule.Kind == RuleKind.Aggregation)
            {
                _aggregations[rule.Index] = new AggregationState(rule, options.MaxKeysPerRule, MaxDistinctValuesPerKey, Statistics);
                evictEvery = Math.Min(evictEvery, rule.BucketTicks);
            }
            else if (rule.Kind == RuleKind.Sequence)
            {
                _sequences[rule.Index] = new SequenceState(rule, options.MaxKeysPerRule, Statistics);
                evictEvery = Math.Min(evictEvery, rule.BucketTicks);
            }
        }

        _evictEveryTicks = evictEvery;
        _unitStamps = new long[rules.Units.Length];
        _ruleMasks = new int[rules.Rules.Length];
        _ruleStamps = new long[rules.Rules.Length];
        RebuildHorizon = rules.LargestWindowWithBucket + options.Lateness;
        _rebuilding = rebuildTo is not null;
        _applyReleased = entries => ApplyAll(entries, _releaseSink!);
    }

    public DetectionStatistics Statistics { get; } = new();

    /// <summary>Windowed rules have seen every record up to this time (inclusive); null before the first record.</summary>
    public DateTimeOffset? Watermark => _watermark;

    /// <summary>How far before a persisted watermark stored logs must be replayed to rebuild windowed state.</summary>
    public TimeSpan RebuildHorizon { get; }

    /// <summary>Records buffered for windowed rules, waiting for the watermark.</summary>
    public int Buffered => _buffer.Count;

    /// <summary>Keys held by windowed rules.</summary>
    public long ActiveKeys => _aggregations.Sum(a => (long)(a?.KeyCount ?? 0)) + _sequences.Sum(s => (long)(s?.KeyCount ?? 0));

    /// <summary>Times the original JSON of a record (or a JSON string inside it) was parsed.</summary>
    public long JsonParses => _context.JsonParses + _releaseContext.JsonParses;

    public DateTimeOffset RebuildFrom(DateTimeOffset watermark) => watermark - RebuildHorizon;

    public void Process(in StoredLog log, IDetectionSink sink, DateTimeOffset processingTime)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var record = log.Log;
        ArgumentNullException.ThrowIfNull(record);
        Statistics.Records++;
        var late = _watermark is { } watermark && record.Time <= watermark;
        _context.Reset(record);
        try
        {
            CollectCandidates(record);
            _stamp++;
            _touched.Clear();
            foreach (var unitIndex in _candidates)
            {
                var unit = _rules.Units[unitIndex];
                if (!unit.Matcher.Matches(_context))
                {
                    continue;
                }

                var rule = unit.Rule;
                if (rule.Kind == RuleKind.Stateless)
                {
                    if (!IsAllowListed(rule, _context, sink, record.Time))
                    {
                        Raise(rule, log, _context, null, null, sink);
                    }

                    continue;
                }

                if (_ruleStamps[rule.Index] != _stamp)
                {
                    _ruleStamps[rule.Index] = _stamp;
                    _ruleMasks[rule.Index] = 0;
                    _touched.Add(rule.Index);
                }

                _ruleMasks[rule.Index] |= 1 << Math.Max(unit.Step, 0);
            }

            if (_touched.Count > 0)
            {
                BufferWindowed(log, late, sink);
            }
        }
        finally
        {
            _context.Clear();
        }

        Observe(record, processingTime, sink);
    }

    /// <summary>Idle advance: sources silent for <see cref="DetectionOptions.Lateness"/> stop holding the watermark back.</summary>
    public void Tick(DateTimeOffset processingTime, IDetectionSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Recompute(processingTime, sink);
    }

    /// <summary>Releases everything buffered (end of a sample test or a backtest); the watermark moves to the newest time seen.</summary>
    public void Flush(IDetectionSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _rebuilding = false;
        _releaseSink = sink;
        _buffer.Release(long.MaxValue, _applyReleased);

        if (_newest is { } newest && (_watermark is null || newest > _watermark))
        {
            _watermark = newest;
        }

        if (_watermark is { } watermark)
        {
            Evict(watermark.UtcTicks + 1, force: true);
        }
    }

    public void AdvanceWatermarkTo(DateTimeOffset watermark, IDetectionSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _rebuilding = false;
        AdvanceTo(watermark, sink);
    }

    private void CollectCandidates(SecurityLog record)
    {
        _candidates.Clear();
        _stamp++;
        var index = _rules.IndexFor(record.Product);
        foreach (var equality in index.Equalities)
        {
            var value = equality.Field.Text(_context);
            if (value is not null && equality.Units.TryGetValue(value, out var units))
            {
                Mark(units);
            }
        }

        foreach (var prefilter in index.Prefilters)
        {
            var value = prefilter.Field.Text(_context);
            if (value is not null && value.AsSpan().IndexOfAny(prefilter.Literals) >= 0)
            {
                Mark(prefilter.Units);
            }
        }

        Mark(index.Always);
        if (_candidates.Count > 1)
        {
            // Rule order, so that a record's candidates and allow-list reports come out in a stable order.
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_candidates).Sort();
        }
    }

    private void Mark(int[] units)
    {
        foreach (var unit in units)
        {
            if (_unitStamps[unit] != _stamp)
            {
                _unitStamps[unit] = _stamp;
                _candidates.Add(unit);
            }
        }
    }

    private void BufferWindowed(in StoredLog log, bool late, IDetectionSink sink)
    {
        var record = log.Log;
        var dropped = false;
        foreach (var ruleIndex in _touched)
        {
            var rule = _rules.Rules[ruleIndex];
            if (IsAllowListed(rule, _context, sink, record.Time))
            {
                continue;
            }

            if (late)
            {
                dropped = true;
                continue;
            }

            var key = KeyOf(rule, _context);
            if (key is null)
            {
                continue;
            }

            string? distinct = null;
            if (rule.DistinctField is { } distinctField)
            {
                distinct = distinctField.Text(_context);
                if (string.IsNullOrEmpty(distinct))
                {
                    continue;
                }
            }

            _buffer.Add(new PendingEntry(record.Time.UtcTicks, log, ruleIndex, _ruleMasks[ruleIndex], key, WindowKey.HashOf(key), distinct));
        }

        if (dropped)
        {
            Statistics.LateRecordsDropped++;
        }
    }

    /// <summary>The values of the rule's group-by fields, or null when one is absent.</summary>
    private static string? KeyOf(CompiledRule rule, RecordContext context)
    {
        if (rule.GroupBy.Length == 1)
        {
            var single = rule.GroupBy[0].Text(context);
            return string.IsNullOrEmpty(single) ? null : single;
        }

        var parts = new string[rule.GroupBy.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var value = rule.GroupBy[i].Text(context);
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            parts[i] = value;
        }

        return string.Join('\u001f', parts);
    }

    private bool IsAllowListed(CompiledRule rule, RecordContext context, IDetectionSink sink, DateTimeOffset time)
    {
        var listed = false;
        foreach (var entry in rule.AllowList)
        {
            if (entry.Matcher.Matches(context))
            {
                sink.AllowListed(entry.EntryId, rule.Active.RuleId, time);
                Statistics.AllowListed++;
                listed = true;
            }
        }

        return listed;
    }

    private void Observe(SecurityLog record, DateTimeOffset processingTime, IDetectionSink sink)
    {
        var changed = false;
        var clock = _lastClock;
        if (clock is not null && _lastSourceId == record.SourceId)
        {
            if (record.Time > clock.Newest)
            {
                clock.Newest = record.Time;
                changed = true;
            }
        }
        else if (!_sources.TryGetValue(record.SourceId, out clock))
        {
            clock = new SourceClock { Newest = record.Time };
            _sources.Add(record.SourceId, clock);
            changed = true;
        }
        else if (record.Time > clock.Newest)
        {
            clock.Newest = record.Time;
            changed = true;
        }

        _lastClock = clock;
        _lastSourceId = record.SourceId;
        clock.LastArrival = processingTime;
        if (_newest is null || record.Time > _newest)
        {
            _newest = record.Time;
        }

        if (changed || processingTime != _lastRecompute)
        {
            Recompute(processingTime, sink);
        }
    }

    private void Recompute(DateTimeOffset processingTime, IDetectionSink sink)
    {
        _lastRecompute = processingTime;
        if (_rebuilding)
        {
            return;
        }

        DateTimeOffset? candidate = null;
        foreach (var clock in _sources.Values)
        {
            if (processingTime - clock.LastArrival >= _options.Lateness)
            {
                continue;
            }

            var sourceWatermark = clock.Newest - _options.Lateness;
            if (candidate is null || sourceWatermark < candidate)
            {
                candidate = sourceWatermark;
            }
        }

        candidate ??= _newest;
        if (candidate is { } watermark)
        {
            AdvanceTo(watermark, sink);
        }
    }

    private void AdvanceTo(DateTimeOffset watermark, IDetectionSink sink)
    {
        if (_watermark is { } current && watermark <= current)
        {
            return;
        }

        _watermark = watermark;

        _releaseSink = sink;
        _buffer.Release(watermark.UtcTicks, _applyReleased);

        // Every record released from now on (still buffered, or yet to arrive) is after the watermark.
        Evict(watermark.UtcTicks + 1, force: false);
    }

    /// <param name="watermarkTicks">No record released from now on is older than this.</param>
    /// <param name="force">Evict now rather than once per sub-bucket of event time.</param>
    private void Evict(long watermarkTicks, bool force)
    {
        if (_evictEveryTicks == long.MaxValue || (!force && _lastEvictTicks != long.MinValue && watermarkTicks - _lastEvictTicks < _evictEveryTicks))
        {
            return;
        }

        _lastEvictTicks = watermarkTicks;
        foreach (var aggregation in _aggregations)
        {
            aggregation?.Evict(watermarkTicks);
        }

        foreach (var sequence in _sequences)
        {
            sequence?.Evict(watermarkTicks);
        }
    }

    /// <summary>Applies released entries (sorted in event-time order, then rule order) to the windowed rules.</summary>
    private void ApplyAll(ReadOnlySpan<PendingEntry> entries, IDetectionSink sink)
    {
        SecurityLog? contextFor = null;
        try
        {
            foreach (ref readonly var entry in entries)
            {
                var rule = _rules.Rules[entry.RuleIndex];
                var ticks = entry.Ticks;
                long? value = null;
                bool raises;
                if (rule.Kind == RuleKind.Aggregation)
                {
                    raises = _aggregations[rule.Index]!.Add(new WindowKey(entry.Key, entry.KeyHash), entry.Distinct, ticks, out var windowValue) && windowValue >= rule.Threshold;
                    value = windowValue;
                }
                else
                {
                    raises = _sequences[rule.Index]!.Add(entry.Key, entry.StepMask, ticks);
                }

                if (!raises)
                {
                    continue;
                }

                if (!ReferenceEquals(contextFor, entry.Log.Log))
                {
                    _releaseContext.Reset(entry.Log.Log);
                    contextFor = entry.Log.Log;
                }

                Raise(rule, entry.Log, _releaseContext, entry.Key, value, sink);
            }
        }
        finally
        {
            if (contextFor is not null)
            {
                _releaseContext.Clear();
            }
        }
    }

    private void Raise(CompiledRule rule, in StoredLog log, RecordContext context, string? key, long? value, IDetectionSink sink)
    {
        var record = log.Log;
        var entities = EntitiesOf(rule, context);
        string fingerprint;
        if (rule.IsWindowed)
        {
            fingerprint = Fingerprints.Of(rule.Key, key!, Fingerprints.PeriodOf(record.Time, rule.PeriodTicks));
        }
        else if (rule.SuppressionKinds is { } kinds)
        {
            var parts = new List<string> { rule.Key };
            var values = new List<string>();
            foreach (var entity in entities)
            {
                if (Array.IndexOf(kinds, entity.Kind) >= 0)
                {
                    values.Add(entity.Kind.ToString() + "=" + entity.Value);
                }
            }

            values.Sort(StringComparer.Ordinal);
            parts.AddRange(values);
            parts.Add(Fingerprints.PeriodOf(record.Time, rule.PeriodTicks));
            fingerprint = Fingerprints.Of([.. parts]);
        }
        else
        {
            fingerprint = Fingerprints.Of(rule.Key, record.SourceId.ToString(CultureInfo.InvariantCulture), record.Uid);
        }

        Statistics.Matches++;
        sink.Raise(new AlertCandidate(
            rule.Active.RuleId,
            rule.Key,
            rule.Active.Mode,
            fingerprint,
            record.Time,
            entities,
            new EvidenceRef(log.Id, record.SourceId, record.Uid, record.Time),
            value,
            record.Provider,
            record.AccountUid,
            record.Product));
    }

    private static ValueList<AlertEntity> EntitiesOf(CompiledRule rule, RecordContext context)
    {
        if (rule.Entities.Length == 0)
        {
            return ValueList<AlertEntity>.Empty;
        }

        var entities = new List<AlertEntity>(rule.Entities.Length);
        foreach (var (kind, field) in rule.Entities)
        {
            var value = field.Text(context);
            if (!string.IsNullOrEmpty(value))
            {
                entities.Add(new AlertEntity(kind, value));
            }
        }

        return new ValueList<AlertEntity>(entities);
    }

    private sealed class SourceClock
    {
        public DateTimeOffset Newest { get; set; }

        public DateTimeOffset LastArrival { get; set; }
    }
}
