using System.Runtime.InteropServices;

namespace Ctdr.Application.Detection.Engine;

/// <summary>A record waiting for the watermark, for one windowed rule it matched.</summary>
internal readonly record struct PendingEntry(StoredLog Log, int RuleIndex, int StepMask, string Key, string? Distinct);

/// <summary>
/// Records waiting for the watermark, in slots of 100 ms of event time. Slots wholly at or before the watermark are
/// released sorted by (time, source, uid, log id, rule) — one sort per slot, no allocation per record (a priority queue
/// over every buffered record was several times slower). The slot holding the watermark moves into a small priority
/// queue (the frontier), from which records are released exactly up to the watermark.
/// </summary>
internal sealed class EventTimeBuffer
{
    private const long SlotTicks = 100 * TimeSpan.TicksPerMillisecond;

    private static readonly IComparer<PendingEntry> Order = Comparer<PendingEntry>.Create((x, y) => default(EventOrder).Compare(x, y));

    private readonly Dictionary<long, List<PendingEntry>> _slots = [];
    private readonly Stack<List<PendingEntry>> _spare = new();
    private readonly PriorityQueue<PendingEntry, PendingEntry> _frontier = new(Order);
    private readonly List<PendingEntry> _batch = [];
    private long _frontierSlot = long.MinValue;
    private long _minSlot = long.MaxValue;

    public int Count { get; private set; }

    public void Add(in PendingEntry entry)
    {
        Count++;
        var slot = entry.Log.Log.Time.UtcTicks / SlotTicks;
        if (slot <= _frontierSlot)
        {
            _frontier.Enqueue(entry, entry);
            return;
        }

        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, slot, out var exists);
        if (!exists)
        {
            list = _spare.Count > 0 ? _spare.Pop() : [];
        }

        list!.Add(entry);
        _minSlot = Math.Min(_minSlot, slot);
    }

    /// <summary>
    /// Releases, in event-time order, every record at or before <paramref name="watermarkTicks"/> (all of them for
    /// <see cref="long.MaxValue"/>).
    /// </summary>
    public void Release(long watermarkTicks, ReleaseAction release)
    {
        var watermarkSlot = watermarkTicks == long.MaxValue ? long.MaxValue : watermarkTicks / SlotTicks;
        if (_frontierSlot < watermarkSlot)
        {
            Drain(long.MaxValue, release);
        }

        while (_slots.Count > 0 && _minSlot < watermarkSlot)
        {
            if (_slots.Remove(_minSlot, out var list))
            {
                var entries = CollectionsMarshal.AsSpan(list);
                entries.Sort(default(EventOrder));
                Count -= entries.Length;
                release(entries);
                list.Clear();
                _spare.Push(list);
            }

            _minSlot = NextSlot(_minSlot + 1, watermarkSlot);
        }

        if (watermarkSlot == long.MaxValue)
        {
            _frontierSlot = long.MinValue;
            return;
        }

        if (_frontierSlot < watermarkSlot)
        {
            _frontierSlot = watermarkSlot;
            if (_slots.Remove(watermarkSlot, out var current))
            {
                foreach (var entry in current)
                {
                    _frontier.Enqueue(entry, entry);
                }

                current.Clear();
                _spare.Push(current);
                _minSlot = NextSlot(watermarkSlot + 1, watermarkSlot + 1);
            }
        }

        Drain(watermarkTicks, release);
    }

    private void Drain(long watermarkTicks, ReleaseAction release)
    {
        _batch.Clear();
        while (_frontier.TryPeek(out var entry, out _) && entry.Log.Log.Time.UtcTicks <= watermarkTicks)
        {
            _frontier.Dequeue();
            _batch.Add(entry);
        }

        if (_batch.Count > 0)
        {
            Count -= _batch.Count;
            release(CollectionsMarshal.AsSpan(_batch));
            _batch.Clear();
        }
    }

    private long NextSlot(long from, long limit)
    {
        if (_slots.Count == 0)
        {
            return long.MaxValue;
        }

        // Slots are usually contiguous; after a gap in event time, look the smallest one up.
        if (limit - from <= 64)
        {
            for (var slot = from; slot < limit; slot++)
            {
                if (_slots.ContainsKey(slot))
                {
                    return slot;
                }
            }
        }

        return _slots.Keys.Min();
    }

    public delegate void ReleaseAction(ReadOnlySpan<PendingEntry> entries);

    private readonly struct EventOrder : IComparer<PendingEntry>
    {
        public int Compare(PendingEntry x, PendingEntry y)
        {
            var left = x.Log;
            var right = y.Log;
            var byTime = left.Log.Time.UtcTicks.CompareTo(right.Log.Time.UtcTicks);
            if (byTime != 0)
            {
                return byTime;
            }

            var bySource = left.Log.SourceId.CompareTo(right.Log.SourceId);
            if (bySource != 0)
            {
                return bySource;
            }

            var byUid = string.CompareOrdinal(left.Log.Uid, right.Log.Uid);
            if (byUid != 0)
            {
                return byUid;
            }

            var byId = left.Id.CompareTo(right.Id);
            return byId != 0 ? byId : x.RuleIndex.CompareTo(y.RuleIndex);
        }
    }
}
