using System.Runtime.InteropServices;

namespace Ctdr.Application.Detection.Engine;

/// <summary>
/// A record waiting for the watermark, for one windowed rule it matched. Ordered by (time, source, uid, log id, rule):
/// comparable itself so that sorting a span calls the comparison directly. <see cref="KeyHash"/> is the ordinal hash of
/// <see cref="Key"/>, taken while the record is being read: on release the key's characters are no longer in cache.
/// </summary>
internal readonly record struct PendingEntry(long Ticks, StoredLog Log, int RuleIndex, int StepMask, string Key, int KeyHash, string? Distinct)
    : IComparable<PendingEntry>
{
    public int CompareTo(PendingEntry other)
    {
        var byTime = Ticks.CompareTo(other.Ticks);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySource = Log.Log.SourceId.CompareTo(other.Log.Log.SourceId);
        if (bySource != 0)
        {
            return bySource;
        }

        var byUid = string.CompareOrdinal(Log.Log.Uid, other.Log.Log.Uid);
        if (byUid != 0)
        {
            return byUid;
        }

        var byId = Log.Id.CompareTo(other.Log.Id);
        return byId != 0 ? byId : RuleIndex.CompareTo(other.RuleIndex);
    }
}

/// <summary>
/// Records waiting for the watermark, in slots of 100 ms of event time. A slot is sorted once by (time, source, uid,
/// log id, rule) when the watermark reaches it and released from the front as the watermark passes its records: no
/// allocation per record and one sort per slot (a priority queue over every buffered record was several times slower).
/// </summary>
internal sealed class EventTimeBuffer
{
    private const long SlotTicks = 100 * TimeSpan.TicksPerMillisecond;
    private const int RadixBits = 10;
    private const int RadixMask = (1 << RadixBits) - 1;
    private const int RadixThreshold = 256;

    private readonly Dictionary<long, List<PendingEntry>> _slots = [];
    private readonly Stack<List<PendingEntry>> _spare = new();
    private List<PendingEntry> _frontier = [];
    private List<PendingEntry> _scratch = [];
    private OrderKey[] _order = [];
    private readonly TieComparer _ties = new();
    private readonly int[] _radixCounts = new int[1 << RadixBits];
    private OrderKey[] _radix = [];
    private int _frontierIndex;
    private long _frontierSlot = long.MinValue;
    private long _minSlot = long.MaxValue;

    public int Count { get; private set; }

    public void Add(in PendingEntry entry)
    {
        Count++;
        var slot = entry.Ticks / SlotTicks;
        if (slot <= _frontierSlot)
        {
            // After the watermark (else it would be late) but in the slot being released: keep the slot sorted.
            var pending = CollectionsMarshal.AsSpan(_frontier)[_frontierIndex..];
            var position = pending.BinarySearch(entry);
            _frontier.Insert(_frontierIndex + (position < 0 ? ~position : position), entry);
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
        if (_frontierSlot == watermarkSlot)
        {
            Drain(watermarkTicks, release);
            return;
        }

        // The watermark left the frontier slot: all of it is due, then every whole slot before the watermark's.
        Drain(long.MaxValue, release);
        _frontierSlot = long.MinValue;
        while (_slots.Count > 0 && _minSlot < watermarkSlot)
        {
            if (_slots.Remove(_minSlot, out var list))
            {
                list = Sorted(list);
                var entries = CollectionsMarshal.AsSpan(list);
                Count -= entries.Length;
                release(entries);
                list.Clear();
                _spare.Push(list);
            }

            _minSlot = NextSlot(_minSlot + 1, watermarkSlot);
        }

        if (watermarkSlot == long.MaxValue)
        {
            _minSlot = long.MaxValue;
            return;
        }

        _frontierSlot = watermarkSlot;
        if (_slots.Remove(watermarkSlot, out var current))
        {
            _spare.Push(_frontier);
            _frontier = Sorted(current);
            _minSlot = NextSlot(watermarkSlot + 1, watermarkSlot + 1);
        }

        Drain(watermarkTicks, release);
    }

    /// <summary>
    /// The slot's entries in order, in <paramref name="list"/> or in the scratch list (which then takes
    /// <paramref name="list"/>'s place). Sorting moves (time, index) pairs rather than the entries, whose references
    /// would cost a write barrier at every swap; the entries are then copied once, in order. Equal times, rare, are
    /// ordered by the full comparison.
    /// </summary>
    private List<PendingEntry> Sorted(List<PendingEntry> list)
    {
        var entries = CollectionsMarshal.AsSpan(list);
        var inOrder = true;
        for (var i = 1; i < entries.Length && inOrder; i++)
        {
            inOrder = entries[i - 1].CompareTo(entries[i]) <= 0;
        }

        if (inOrder)
        {
            return list;
        }

        if (_order.Length < entries.Length)
        {
            _order = new OrderKey[Math.Max(entries.Length, _order.Length * 2)];
        }

        var order = _order.AsSpan(0, entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            order[i] = new OrderKey(entries[i].Ticks, i);
        }

        SortByTime(order);
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && order[end].Ticks == order[start].Ticks)
            {
                end++;
            }

            if (end - start > 1)
            {
                _ties.Entries = list;
                order[start..end].Sort(_ties);
            }

            start = end;
        }

        var sorted = _scratch;
        sorted.Clear();
        sorted.EnsureCapacity(entries.Length);
        foreach (var key in order)
        {
            sorted.Add(entries[key.Index]);
        }

        list.Clear();
        _scratch = list;
        return sorted;
    }

    /// <summary>
    /// Sorts one slot's keys by (time, index). Large slots: a stable two-pass radix sort of the time within the slot
    /// (below 2^20 ticks), linear where a comparison sort of a thousand records costs ten comparisons each.
    /// </summary>
    private void SortByTime(Span<OrderKey> order)
    {
        if (order.Length < RadixThreshold)
        {
            order.Sort();
            return;
        }

        if (_radix.Length < order.Length)
        {
            _radix = new OrderKey[_order.Length];
        }

        var slotStart = order[0].Ticks / SlotTicks * SlotTicks;
        var temp = _radix.AsSpan(0, order.Length);
        RadixPass(order, temp, slotStart, 0);
        RadixPass(temp, order, slotStart, RadixBits);
    }

    private void RadixPass(ReadOnlySpan<OrderKey> from, Span<OrderKey> to, long slotStart, int shift)
    {
        var counts = _radixCounts.AsSpan();
        counts.Clear();
        foreach (var key in from)
        {
            counts[(int)((key.Ticks - slotStart) >> shift) & RadixMask]++;
        }

        var total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var count = counts[i];
            counts[i] = total;
            total += count;
        }

        foreach (var key in from)
        {
            to[counts[(int)((key.Ticks - slotStart) >> shift) & RadixMask]++] = key;
        }
    }

    private void Drain(long watermarkTicks, ReleaseAction release)
    {
        var entries = CollectionsMarshal.AsSpan(_frontier);
        var end = _frontierIndex;
        while (end < entries.Length && entries[end].Ticks <= watermarkTicks)
        {
            end++;
        }

        if (end > _frontierIndex)
        {
            var due = entries[_frontierIndex..end];
            _frontierIndex = end;
            Count -= due.Length;
            release(due);
        }

        if (_frontierIndex == _frontier.Count && _frontierIndex > 0)
        {
            _frontier.Clear();
            _frontierIndex = 0;
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

    /// <summary>An entry's time and position in its slot: sorted without moving the entries themselves.</summary>
    private readonly record struct OrderKey(long Ticks, int Index) : IComparable<OrderKey>
    {
        public int CompareTo(OrderKey other)
        {
            var byTime = Ticks.CompareTo(other.Ticks);
            return byTime != 0 ? byTime : Index.CompareTo(other.Index);
        }
    }

    /// <summary>Orders entries of equal time by the full comparison.</summary>
    private sealed class TieComparer : IComparer<OrderKey>
    {
        public List<PendingEntry> Entries { get; set; } = [];

        public int Compare(OrderKey x, OrderKey y) => Entries[x.Index].CompareTo(Entries[y.Index]);
    }
}
