using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ctdr.Application.Detection.Engine;

/// <summary>Ten counters inline (the sub-buckets of a sliding window), so a key's state is one small struct.</summary>
[InlineArray(10)]
internal struct TenCounters
{
    private int _element0;
}

/// <summary>The window of one key of a count aggregation: 48 bytes, stored inline in the dictionary entry.</summary>
internal struct CountWindow
{
    public long LastBucket;
    public TenCounters Slots;
}

/// <summary>A group key with its ordinal hash, computed once when the record is read.</summary>
internal readonly record struct WindowKey(string Value, int Hash)
{
    public static int HashOf(string value) => string.GetHashCode(value, StringComparison.Ordinal);
}

/// <summary>
/// Ordinal string keys, looked up by <see cref="WindowKey"/> with the hash already taken: the dictionary stores only the
/// string (its entry keeps the hash anyway), so a key's entry stays at 64 bytes.
/// </summary>
internal sealed class WindowKeyComparer : IEqualityComparer<string>, IAlternateEqualityComparer<WindowKey, string>
{
    public static WindowKeyComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => WindowKey.HashOf(obj);

    public bool Equals(WindowKey alternate, string other) => string.Equals(alternate.Value, other, StringComparison.Ordinal);

    public int GetHashCode(WindowKey alternate) => alternate.Hash;

    public string Create(WindowKey alternate) => alternate.Value;
}

/// <summary>The window of one key of a distinct-count aggregation: each distinct value with the last bucket it was seen in.</summary>
internal sealed class DistinctWindow
{
    public long LastBucket;
    public TenCounters Slots;
    public Dictionary<string, long> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Per-key state of an aggregation rule. Records arrive in event-time order, so a key's bucket never goes back and the
/// window is a ring of sub-buckets cleared as it advances.
/// </summary>
internal sealed class AggregationState(CompiledRule rule, int maxKeys, int maxDistinct, DetectionStatistics statistics)
{
    private readonly Dictionary<string, CountWindow>.AlternateLookup<WindowKey> _countsByHashedKey =
        new Dictionary<string, CountWindow>(WindowKeyComparer.Instance).GetAlternateLookup<WindowKey>();
    private readonly Dictionary<string, DistinctWindow> _distincts = new(StringComparer.Ordinal);

    public int KeyCount => Counts.Count + _distincts.Count;

    private Dictionary<string, CountWindow> Counts => _countsByHashedKey.Dictionary;

    /// <summary>Adds a matching record; false when the key was dropped at the cap. <paramref name="value"/> is the window's value.</summary>
    public bool Add(WindowKey key, string? distinct, long ticks, out long value)
    {
        var bucket = ticks / rule.BucketTicks;
        var n = rule.BucketCount;
        value = 0;
        if (rule.Function == AggregateFunction.Count)
        {
            if (Counts.Count >= maxKeys && !_countsByHashedKey.ContainsKey(key))
            {
                statistics.KeysDropped++;
                return false;
            }

            ref var window = ref CollectionsMarshal.GetValueRefOrAddDefault(_countsByHashedKey, key, out var exists);
            if (!exists)
            {
                window.LastBucket = bucket;
            }

            if (!Advance(ref window.LastBucket, ref window.Slots, bucket, n))
            {
                value = Sum(ref window.Slots, n);
                return true;
            }

            window.Slots[(int)(bucket % n)]++;
            value = Sum(ref window.Slots, n);
            return true;
        }

        if (!_distincts.TryGetValue(key.Value, out var state))
        {
            if (_distincts.Count >= maxKeys)
            {
                statistics.KeysDropped++;
                return false;
            }

            state = new DistinctWindow { LastBucket = bucket };
            _distincts.Add(key.Value, state);
        }

        if (Advance(ref state.LastBucket, ref state.Slots, bucket, n) && distinct is not null)
        {
            var oldest = bucket - n + 1;
            if (state.Values.TryGetValue(distinct, out var last) && last >= oldest)
            {
                state.Slots[(int)(last % n)]--;
                state.Values[distinct] = bucket;
                state.Slots[(int)(bucket % n)]++;
            }
            else if (state.Values.ContainsKey(distinct) || state.Values.Count < maxDistinct || Prune(state, oldest) < maxDistinct)
            {
                state.Values[distinct] = bucket;
                state.Slots[(int)(bucket % n)]++;
            }
            else
            {
                statistics.DistinctValuesDropped++;
            }
        }

        value = Sum(ref state.Slots, n);
        return true;
    }

    /// <summary>Drops the keys whose window lies wholly before the bucket of <paramref name="watermarkTicks"/>.</summary>
    public void Evict(long watermarkTicks)
    {
        var oldest = (watermarkTicks / rule.BucketTicks) - rule.BucketCount + 1;
        foreach (var (key, window) in Counts)
        {
            if (window.LastBucket < oldest)
            {
                Counts.Remove(key);
            }
        }

        foreach (var (key, window) in _distincts)
        {
            if (window.LastBucket < oldest)
            {
                _distincts.Remove(key);
            }
            else if (window.Values.Count > 64)
            {
                Prune(window, oldest);
            }
        }
    }

    /// <summary>Moves the ring to <paramref name="bucket"/>; false when the bucket is already outside the window.</summary>
    private static bool Advance(ref long lastBucket, ref TenCounters slots, long bucket, int n)
    {
        if (bucket > lastBucket)
        {
            var steps = Math.Min(bucket - lastBucket, n);
            for (var k = 1; k <= steps; k++)
            {
                slots[(int)((lastBucket + k) % n)] = 0;
            }

            lastBucket = bucket;
            return true;
        }

        return bucket > lastBucket - n;
    }

    private static long Sum(ref TenCounters slots, int n)
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += slots[i];
        }

        return sum;
    }

    private static int Prune(DistinctWindow state, long oldest)
    {
        foreach (var (value, last) in state.Values)
        {
            if (last < oldest)
            {
                state.Values.Remove(value);
            }
        }

        return state.Values.Count;
    }
}

/// <summary>
/// Per-key state of a sequence rule. Ordered: for each step, the latest start of a chain that reached it. Unordered:
/// when each step last matched. Both as UTC ticks, <see cref="long.MinValue"/> for never.
/// </summary>
internal sealed class SequenceState(CompiledRule rule, int maxKeys, DetectionStatistics statistics)
{
    private readonly Dictionary<string, long[]> _keys = new(StringComparer.Ordinal);

    public int KeyCount => _keys.Count;

    /// <summary>Applies a record matching the steps in <paramref name="stepMask"/>; true when it completes the sequence.</summary>
    public bool Add(string key, int stepMask, long ticks)
    {
        var n = rule.StepCount;
        if (!_keys.TryGetValue(key, out var times))
        {
            if (_keys.Count >= maxKeys)
            {
                statistics.KeysDropped++;
                return false;
            }

            // The last slot holds the key's latest record time (for eviction).
            times = new long[n + 1];
            Array.Fill(times, long.MinValue);
            _keys.Add(key, times);
        }

        times[n] = Math.Max(times[n], ticks);
        var earliest = ticks - rule.WindowTicks;
        if (rule.Ordered)
        {
            var completes = false;

            // Later steps first, so that one record never serves two consecutive steps of one chain.
            for (var step = n - 1; step >= 0; step--)
            {
                if ((stepMask & (1 << step)) == 0)
                {
                    continue;
                }

                if (step == 0)
                {
                    times[0] = Math.Max(times[0], ticks);
                    completes |= n == 1;
                    continue;
                }

                var start = times[step - 1];
                if (start != long.MinValue && start >= earliest)
                {
                    times[step] = Math.Max(times[step], start);
                    completes |= step == n - 1;
                }
            }

            return completes;
        }

        for (var step = 0; step < n; step++)
        {
            if ((stepMask & (1 << step)) != 0)
            {
                times[step] = ticks;
            }
        }

        for (var step = 0; step < n; step++)
        {
            if (times[step] == long.MinValue || times[step] < earliest)
            {
                return false;
            }
        }

        return true;
    }

    public void Evict(long watermarkTicks)
    {
        var n = rule.StepCount;
        foreach (var (key, times) in _keys)
        {
            if (times[n] < watermarkTicks - rule.WindowTicks)
            {
                _keys.Remove(key);
            }
        }
    }
}
