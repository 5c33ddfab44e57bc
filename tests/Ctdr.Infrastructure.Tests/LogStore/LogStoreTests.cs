using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Tests.LogStore;

public class LogStoreTests
{
    private static async Task<long> AddSourceAsync(TestHost host)
    {
        await using var db = await host.DbAsync();
        var account = CloudAccount.Create(CloudProvider.AlibabaCloud, "5000000000000001", "Shop", ["cn-hangzhou"], "ak", "protected", null, false, host.Clock.GetUtcNow());
        db.CloudAccounts.Add(account);
        await db.SaveChangesAsync();
        var source = LogSource.CreatePulled(account.Id, LogProduct.AlibabaWaf, "Shop WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), 5, false, host.Clock.GetUtcNow());
        db.LogSources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }

    private static LogBatch Batch(long sourceId, long? version, string checkpoint, IReadOnlyList<SecurityLog> logs, DateTimeOffset receivedAt, params QuarantineItem[] quarantined) =>
        new(sourceId, version, checkpoint, logs, quarantined, logs.Sum(l => (long)l.Raw.Length) + quarantined.Sum(q => (long)q.Raw.Length), receivedAt);

    [Fact]
    public async Task Append_StoresRecordsCheckpointAndMeter_InOneCommit()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var now = host.Clock.GetUtcNow();
        var logs = TestLogs.Many(sourceId, 1000, now.AddMinutes(-5));
        var bad = new QuarantineItem("not JSON: '<' is an invalid start of a value", Encoding.UTF8.GetBytes("<html>"), "0:MTA=:0:7");

        var result = await host.Get<ILogStore>().AppendAsync(Batch(sourceId, 0, "{\"0\":\"MTAwMA==\"}", logs, now, bad), CancellationToken.None);

        Assert.Equal(new AppendResult(true, 1000, 0, 1), result);
        await using var db = await host.DbAsync();
        Assert.Equal(1000, await db.SecurityLogs.CountAsync(l => l.SourceId == sourceId));
        var source = await db.LogSources.SingleAsync(s => s.Id == sourceId);
        Assert.Equal(("{\"0\":\"MTAwMA==\"}", 1L), (source.Checkpoint, source.CheckpointVersion));
        var meter = await db.IngestionMeters.SingleAsync();
        Assert.Equal((1001L, 1000L, 0L, 1L), (meter.Received, meter.Stored, meter.Duplicates, meter.Quarantined));
        Assert.Equal(DateOnly.FromDateTime(now.UtcDateTime), meter.Day);
        Assert.Equal(logs.Sum(l => (long)l.Raw.Length) + 6, meter.Bytes);
        var quarantined = await db.QuarantinedRecords.SingleAsync();
        Assert.Equal(("not JSON: '<' is an invalid start of a value", "<html>", "0:MTA=:0:7"), (quarantined.Reason, quarantined.Raw, quarantined.PositionUid));

        var stored = await db.SecurityLogs.OrderBy(l => l.Id).FirstAsync();
        Assert.Equal(("t000000", now.AddMinutes(-5), now, "198.51.100.10", 200, (int)OcsfClass.HttpActivity, "AlibabaWaf", "AlibabaCloud"),
            (stored.Uid, stored.Time, stored.ReceivedAt, stored.SrcIp, stored.HttpStatus, stored.ClassUid, stored.Product, stored.Provider));
        Assert.Equal("""{"request_traceid":"t000000","real_client_ip":"198.51.100.10","request_path":"/index.php","status":"200"}""", stored.Raw);
    }

    [Fact]
    public async Task Append_IgnoresRecordsAlreadyStored_AndCountsThemAsDuplicates()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var now = host.Clock.GetUtcNow();
        var store = host.Get<ILogStore>();
        await store.AppendAsync(Batch(sourceId, 0, "c1", TestLogs.Many(sourceId, 100, now), now), CancellationToken.None);

        // A re-read of the same records (at-least-once delivery) plus 50 new ones, one of them twice in the batch.
        var overlap = TestLogs.Many(sourceId, 150, now).Append(TestLogs.Waf(sourceId, "t000149", now)).ToList();
        var result = await store.AppendAsync(Batch(sourceId, 1, "c2", overlap, now), CancellationToken.None);

        Assert.Equal(new AppendResult(true, 50, 101, 0), result);
        await using var db = await host.DbAsync();
        Assert.Equal(150, await db.SecurityLogs.CountAsync());
        var meter = await db.IngestionMeters.SingleAsync();
        Assert.Equal((251L, 150L, 101L), (meter.Received, meter.Stored, meter.Duplicates));
    }

    [Fact]
    public async Task Append_WritesNothing_WhenTheCheckpointMovedMeanwhile()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var now = host.Clock.GetUtcNow();
        var store = host.Get<ILogStore>();
        Assert.True((await store.AppendAsync(Batch(sourceId, 0, "first", TestLogs.Many(sourceId, 10, now, "a"), now), CancellationToken.None)).Committed);

        var stale = await store.AppendAsync(Batch(sourceId, 0, "second", TestLogs.Many(sourceId, 10, now, "b"), now, new QuarantineItem("bad", new byte[] { 1 }, null)), CancellationToken.None);

        Assert.Equal(AppendResult.Conflict, stale);
        await using var db = await host.DbAsync();
        Assert.Equal(10, await db.SecurityLogs.CountAsync());
        Assert.Equal(0, await db.QuarantinedRecords.CountAsync());
        Assert.Equal(10L, (await db.IngestionMeters.SingleAsync()).Received);
        Assert.Equal(("first", 1L), await db.LogSources.Where(s => s.Id == sourceId).Select(s => ValueTuple.Create(s.Checkpoint, s.CheckpointVersion)).SingleAsync());
    }

    [Fact]
    public async Task Append_CommitsExactlyOne_WhenTwoPullsRaceFromTheSameCheckpoint()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var now = host.Clock.GetUtcNow();
        var store = host.Get<ILogStore>();

        var results = await Task.WhenAll(
            Task.Run(() => store.AppendAsync(Batch(sourceId, 0, "x", TestLogs.Many(sourceId, 2000, now), now), CancellationToken.None)),
            Task.Run(() => store.AppendAsync(Batch(sourceId, 0, "x", TestLogs.Many(sourceId, 2000, now), now), CancellationToken.None)));

        Assert.Equal(1, results.Count(r => r.Committed));
        await using var db = await host.DbAsync();
        Assert.Equal(2000, await db.SecurityLogs.CountAsync());
        Assert.Equal((2000L, 0L), await db.IngestionMeters.Select(m => ValueTuple.Create(m.Stored, m.Duplicates)).SingleAsync());
    }

    [Fact]
    public async Task Append_WithoutCheckpoint_IsAPush()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var now = host.Clock.GetUtcNow();

        var result = await host.Get<ILogStore>().AppendAsync(Batch(sourceId, null, "ignored", TestLogs.Many(sourceId, 3, now), now), CancellationToken.None);

        Assert.Equal(new AppendResult(true, 3, 0, 0), result);
        await using var db = await host.DbAsync();
        Assert.Equal(((string?)null, 0L), await db.LogSources.Where(s => s.Id == sourceId).Select(s => ValueTuple.Create(s.Checkpoint, s.CheckpointVersion)).SingleAsync());
    }

    [Fact]
    public async Task Append_CutsOverlongFieldsToTheirColumns_AndKeepsTheRawRecordWhole()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var now = host.Clock.GetUtcNow();
        var longPath = "/" + new string('a', 10_000);
        var log = TestLogs.Waf(sourceId, "long", now, path: longPath);

        await host.Get<ILogStore>().AppendAsync(Batch(sourceId, 0, "c", [log], now), CancellationToken.None);

        await using var db = await host.DbAsync();
        var row = await db.SecurityLogs.SingleAsync();
        Assert.Equal(2048, row.UrlPath!.Length);
        Assert.Contains(longPath, row.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lease_IsExclusive_UntilReleasedOrExpired()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var store = host.Get<ILogStore>();
        var now = host.Clock.GetUtcNow();

        Assert.True(await store.TryLeaseAsync(sourceId, now, now.AddMinutes(2), CancellationToken.None));
        Assert.False(await store.TryLeaseAsync(sourceId, now.AddMinutes(1), now.AddMinutes(3), CancellationToken.None));
        Assert.True(await store.TryLeaseAsync(sourceId, now.AddMinutes(2).AddSeconds(1), now.AddMinutes(4), CancellationToken.None));
        await store.ReleaseLeaseAsync(sourceId, CancellationToken.None);
        Assert.True(await store.TryLeaseAsync(sourceId, now.AddMinutes(2).AddSeconds(2), now.AddMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteOlderThan_RemovesOnlyLogsReceivedBeforeTheCutoff()
    {
        await using var host = await TestHost.StartAsync();
        var sourceId = await AddSourceAsync(host);
        var store = host.Get<ILogStore>();
        var now = host.Clock.GetUtcNow();
        await store.AppendAsync(Batch(sourceId, 0, "1", TestLogs.Many(sourceId, 25_000, now.AddDays(-40), "old"), now.AddDays(-40), new QuarantineItem("old", new byte[] { 1 }, null)), CancellationToken.None);
        await store.AppendAsync(Batch(sourceId, 1, "2", TestLogs.Many(sourceId, 10, now, "new"), now, new QuarantineItem("new", new byte[] { 2 }, null)), CancellationToken.None);

        var deleted = await store.DeleteOlderThanAsync(now.AddDays(-30), CancellationToken.None);

        Assert.Equal(25_000, deleted);
        await using var db = await host.DbAsync();
        Assert.Equal(10, await db.SecurityLogs.CountAsync());
        Assert.Equal(["new"], await db.QuarantinedRecords.Select(q => q.Reason).ToListAsync());
    }
}
