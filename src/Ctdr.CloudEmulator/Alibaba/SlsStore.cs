using Ctdr.CloudEmulator.Alibaba.Protocol;
using Ctdr.CloudEmulator.Common;
using Google.Protobuf;

namespace Ctdr.CloudEmulator.Alibaba;

/// <summary>One log record on its way into a logstore: its log time (<c>__time__</c>) and its string fields in order.</summary>
public sealed record SlsRecord(long Time, IReadOnlyList<KeyValuePair<string, string>> Contents)
{
    /// <summary>What decides the shard (the client IP for traffic logs); by default the first IP-like field.</summary>
    public string? ShardKey { get; init; }

    public string? this[string key] => Contents.FirstOrDefault(c => c.Key == key).Value;

    internal string EffectiveShardKey => ShardKey ?? this["real_client_ip"] ?? this["src_ip"] ?? this["client_ip"] ?? string.Empty;
}

/// <summary>An SLS project: a region, an owner and its logstores. The project name is the first label of the data-plane host.</summary>
internal sealed class SlsProject(string name, string region, string ownerUid, string description, long createTime)
{
    public string Name { get; } = name;
    public string Region { get; } = region;
    public string OwnerUid { get; } = ownerUid;
    public string Description { get; } = description;
    public long CreateTime { get; } = createTime;
    public Dictionary<string, SlsLogStore> LogStores { get; } = new(StringComparer.Ordinal);
}

/// <summary>A logstore: shards holding log groups in arrival order, an index (needed by GetLogs) or none, a bound on records kept.</summary>
internal sealed class SlsLogStore
{
    /// <summary>Log groups are cut at this many logs, as an SDK or Logtail batches a PutLogs call.</summary>
    public const int MaxLogsPerGroup = 200;

    public SlsLogStore(SlsProject project, string name, int shardCount, bool indexEnabled, int ttlDays, long createTime, int maxRecords)
    {
        Project = project;
        Name = name;
        IndexEnabled = indexEnabled;
        TtlDays = ttlDays;
        CreateTime = createTime;
        MaxRecords = maxRecords;
        Shards = Enumerable.Range(0, shardCount).Select(id => new SlsShard(id, createTime)).ToArray();
    }

    public SlsProject Project { get; }
    public string Name { get; }
    public bool IndexEnabled { get; }
    public int TtlDays { get; }
    public long CreateTime { get; }
    public int MaxRecords { get; }
    public SlsShard[] Shards { get; }

    public long RecordCount => Shards.Sum(s => s.RecordCount);

    /// <summary>
    /// Appends records that arrived together: they are spread over the shards by a stable hash of the shard key
    /// (the client IP for traffic logs) and cut into log groups of at most <see cref="MaxLogsPerGroup"/> logs.
    /// Returns the number of log groups written.
    /// </summary>
    public int Append(IReadOnlyList<SlsRecord> records, string topic, string source, long receiveTime)
    {
        var perShard = new List<SlsRecord>[Shards.Length];
        foreach (var record in records)
        {
            var shard = (int)(Crypto.StableHash(record.EffectiveShardKey) % (uint)Shards.Length);
            (perShard[shard] ??= []).Add(record);
        }

        var groups = 0;
        var perShardLimit = Math.Max(1, MaxRecords / Shards.Length);
        for (var i = 0; i < Shards.Length; i++)
        {
            if (perShard[i] is not { } list)
            {
                continue;
            }

            for (var start = 0; start < list.Count; start += MaxLogsPerGroup)
            {
                var chunk = list.GetRange(start, Math.Min(MaxLogsPerGroup, list.Count - start));
                Shards[i].Append(SlsStoredGroup.Encode(chunk, topic, source, receiveTime), perShardLimit);
                groups++;
            }
        }

        return groups;
    }
}

/// <summary>
/// One shard: log groups in arrival order. A cursor is a log-group offset; offsets start at <see cref="CursorOrigin"/>
/// and never repeat. Old groups are dropped once the shard holds more records than its share of the logstore's bound.
/// </summary>
internal sealed class SlsShard(int id, long createTime)
{
    /// <summary>Offsets start far from zero so that a client cannot get away with treating cursors as small counters.</summary>
    public const long CursorOrigin = 1_000_000_000_000L;

    private readonly Lock gate = new();
    private readonly List<SlsStoredGroup> groups = [];
    private int head;
    private long headOffset = CursorOrigin;
    private long records;

    public int Id { get; } = id;
    public long CreateTime { get; } = createTime;

    public long RecordCount
    {
        get
        {
            lock (gate)
            {
                return records;
            }
        }
    }

    /// <summary>[begin, end): the offset of the oldest kept group and the offset the next group will get.</summary>
    public (long Begin, long End) Range
    {
        get
        {
            lock (gate)
            {
                return (headOffset, headOffset + (groups.Count - head));
            }
        }
    }

    public void Append(SlsStoredGroup group, int maxRecords)
    {
        lock (gate)
        {
            groups.Add(group);
            records += group.LogCount;
            while (records > maxRecords && groups.Count - head > 1)
            {
                records -= groups[head].LogCount;
                groups[head] = null!;
                head++;
                headOffset++;
            }

            if (head > 1024 && head > groups.Count / 2)
            {
                groups.RemoveRange(0, head);
                head = 0;
            }
        }
    }

    /// <summary>The offset of the first group received at or after <paramref name="unixSeconds"/>, or the end.</summary>
    public long OffsetAtReceiveTime(long unixSeconds)
    {
        lock (gate)
        {
            for (var i = head; i < groups.Count; i++)
            {
                if (groups[i].ReceiveTime >= unixSeconds)
                {
                    return headOffset + (i - head);
                }
            }

            return headOffset + (groups.Count - head);
        }
    }

    public SlsStoredGroup? GroupAt(long offset)
    {
        lock (gate)
        {
            var index = offset - headOffset + head;
            return index >= head && index < groups.Count ? groups[(int)index] : null;
        }
    }

    /// <summary>Up to <paramref name="count"/> groups from <paramref name="offset"/>, stopping before <paramref name="endOffset"/>.</summary>
    public List<SlsStoredGroup> Read(long offset, int count, long endOffset)
    {
        lock (gate)
        {
            var result = new List<SlsStoredGroup>(Math.Min(count, 1024));
            var end = Math.Min(endOffset, headOffset + (groups.Count - head));
            for (var o = offset; o < end && result.Count < count; o++)
            {
                result.Add(groups[(int)(o - headOffset + head)]);
            }

            return result;
        }
    }

    /// <summary>A snapshot of the kept groups, oldest first (GetLogs scans these).</summary>
    public List<SlsStoredGroup> Snapshot()
    {
        lock (gate)
        {
            return groups.GetRange(head, groups.Count - head);
        }
    }
}

/// <summary>
/// A log group as stored: the protobuf <c>LogGroup</c> bytes (what PullLogs sends, so a pull costs a copy, not an
/// encode) plus what the server needs without decoding: receive time, log-time range and log count.
/// </summary>
internal sealed class SlsStoredGroup
{
    private SlsStoredGroup(byte[] payload, long receiveTime, long minTime, long maxTime, int logCount)
    {
        Payload = payload;
        ReceiveTime = receiveTime;
        MinTime = minTime;
        MaxTime = maxTime;
        LogCount = logCount;
    }

    public byte[] Payload { get; }
    public long ReceiveTime { get; }
    public long MinTime { get; }
    public long MaxTime { get; }
    public int LogCount { get; }

    public static SlsStoredGroup Encode(IReadOnlyList<SlsRecord> records, string topic, string source, long receiveTime)
    {
        var group = new LogGroup { Topic = topic, Source = source };
        long min = long.MaxValue, max = long.MinValue;
        foreach (var record in records)
        {
            var log = new Log { Time = (uint)record.Time };
            foreach (var (key, value) in record.Contents)
            {
                log.Contents.Add(new Log.Types.Content { Key = key, Value = value });
            }

            group.Logs.Add(log);
            min = Math.Min(min, record.Time);
            max = Math.Max(max, record.Time);
        }

        group.LogTags.Add(new LogTag { Key = "__receive_time__", Value = receiveTime.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new SlsStoredGroup(group.ToByteArray(), receiveTime, min, max, records.Count);
    }

    public LogGroup Decode() => LogGroup.Parser.ParseFrom(Payload);
}
