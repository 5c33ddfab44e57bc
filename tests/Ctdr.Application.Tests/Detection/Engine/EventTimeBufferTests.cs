using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;

namespace Ctdr.Application.Tests.Detection.Engine;

public class EventTimeBufferTests
{
    [Theory]
    [InlineData(40, 3)]
    [InlineData(5_000, 3)]
    [InlineData(5_000, 50)]
    [InlineData(20_000, 1)]
    public void Release_YieldsEveryEntryInFullOrder_WhenAddedShuffledWithEqualTimes(int count, int distinctTimesPerMillisecond)
    {
        // Spread over three 100 ms slots, with many equal times broken by source, uid, log id and rule.
        var random = new Random(count + distinctTimesPerMillisecond);
        var start = T0.UtcTicks;
        var entries = new List<PendingEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var ticks = start + (random.Next(0, 300) * TimeSpan.TicksPerMillisecond) + random.Next(0, distinctTimesPerMillisecond);
            var log = Waf($"u{random.Next(0, 4)}", new DateTimeOffset(ticks, TimeSpan.Zero), sourceId: random.Next(1, 3));
            entries.Add(new PendingEntry(ticks, new StoredLog(random.Next(0, 3), log), random.Next(0, 2), 1, "k", 0, null));
        }

        var buffer = new EventTimeBuffer();
        foreach (var entry in entries)
        {
            buffer.Add(entry);
        }

        var released = new List<PendingEntry>();
        buffer.Release(start + (150 * TimeSpan.TicksPerMillisecond), span => released.AddRange(span.ToArray()));
        var afterFirst = released.Count;
        buffer.Release(long.MaxValue, span => released.AddRange(span.ToArray()));

        var expected = entries.Order().ToList();
        Assert.Equal(count, released.Count);
        Assert.Equal(entries.Count(e => e.Ticks <= start + (150 * TimeSpan.TicksPerMillisecond)), afterFirst);
        Assert.Equal(expected.Select(Describe), released.Select(Describe));
        Assert.Equal(0, buffer.Count);
    }

    private static string Describe(PendingEntry entry) =>
        $"{entry.Ticks}/{entry.Log.Log.SourceId}/{entry.Log.Log.Uid}/{entry.Log.Id}/{entry.RuleIndex}";
}
