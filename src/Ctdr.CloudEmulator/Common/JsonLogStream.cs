namespace Ctdr.CloudEmulator.Common;

/// <summary>One stored record of a JSON log stream (an LTS log stream, a CLS topic).</summary>
/// <param name="TimeMs">log time, Unix milliseconds</param>
/// <param name="Sequence">arrival number within the stream, unique and increasing</param>
/// <param name="Json">the record as the provider returns it (LTS <c>content</c>, CLS <c>LogJson</c>)</param>
/// <param name="Batch">the upload the record arrived in (CLS <c>PkgId</c>)</param>
/// <param name="IndexInBatch">its position in that upload (CLS <c>PkgLogId</c>)</param>
internal sealed record JsonLogEntry(long TimeMs, long Sequence, string Json, long Batch, int IndexInBatch);

/// <summary>A bounded, append-only stream of JSON records in arrival order.</summary>
internal sealed class JsonLogStream(string id, string name, int maxRecords, long createTime)
{
    private readonly Lock gate = new();
    private readonly List<JsonLogEntry> entries = [];
    private int head;
    private long nextSequence;
    private long nextBatch;

    public string Id { get; } = id;
    public string Name { get; } = name;
    public long CreateTime { get; } = createTime;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count - head;
            }
        }
    }

    /// <summary>Appends records that arrived together (one upload) and drops the oldest beyond the bound.</summary>
    public void Append(IReadOnlyList<(long TimeMs, string Json)> records)
    {
        lock (gate)
        {
            var batch = nextBatch++;
            for (var i = 0; i < records.Count; i++)
            {
                entries.Add(new JsonLogEntry(records[i].TimeMs, nextSequence++, records[i].Json, batch, i));
            }

            var excess = entries.Count - head - maxRecords;
            if (excess > 0)
            {
                head += excess;
            }

            if (head > 1024 && head > entries.Count / 2)
            {
                entries.RemoveRange(0, head);
                head = 0;
            }
        }
    }

    public List<JsonLogEntry> Snapshot()
    {
        lock (gate)
        {
            return entries.GetRange(head, entries.Count - head);
        }
    }
}
