using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ctdr.Infrastructure.Tests.Ingestion;

/// <summary>
/// The pipeline end to end on real components: the sandbox cloud's SLS (PullLogs over its real wire protocol),
/// the Alibaba connector and WAF normaliser, the SQLite log store. Exactly the generated records end up stored
/// (or quarantined with a reason), none twice, whatever happens in between.
/// </summary>
public sealed class IngestionPipelineTests
{
    private const string WafStream = "alibaba-waf";

    private sealed record Pipeline(TestHost Host, TestSandbox Sandbox, long SourceId, CrashingStore Store) : IAsyncDisposable
    {
        public LogIngestion Ingestion => Host.Get<LogIngestion>();

        public async ValueTask DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private static async Task<Pipeline> StartAsync(int maxBatchesPerRun = 50)
    {
        var store = new CrashingStore();
        var settings = new Dictionary<string, string?> { ["Ingestion:MaxBatchesPerRun"] = maxBatchesPerRun.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var host = await TestHost.StartAsync(settings, configure: services =>
        {
            services.AddSingleton(store);
            services.Decorate<ILogStore>((inner, _) => store.Wrap(inner));
        });
        host.CurrentUser.User = TestCurrentUser.Admin();
        var sandbox = await TestSandbox.StartAsync(host.Clock);
        var scope = host.Services.CreateScope();
        var (_, accountId) = await scope.ServiceProvider.GetRequiredService<Application.Accounts.CloudAccountAdministration>().OnboardAsync(sandbox.AlibabaForm());
        var (added, sourceId, outcome) = await scope.ServiceProvider.GetRequiredService<LogSourceAdministration>().AddAsync(
            new LogSourceForm(accountId!.Value, LogProduct.AlibabaWaf, "Sandbox WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), 5));
        Assert.True(added.Succeeded);
        Assert.True(outcome!.Passed, string.Join("; ", outcome.Steps.Select(s => $"{s.Name}: {s.Status} {s.Detail}")));
        return new Pipeline(host, sandbox, sourceId!.Value, store);
    }

    /// <summary>Pulls until a run finds nothing new; failed runs are retried once the source's back-off has passed.</summary>
    private static async Task<List<PullReport>> DrainAsync(Pipeline pipeline, int parallel = 1)
    {
        var reports = new List<PullReport>();
        for (var round = 0; round < 200; round++)
        {
            var runs = await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(() => pipeline.Ingestion.PullAsync(pipeline.SourceId, CancellationToken.None))));
            reports.AddRange(runs);
            if (runs.Any(r => r.Outcome == PullOutcome.Failed) || runs.All(r => r.Outcome == PullOutcome.Skipped))
            {
                // A failed pull backs off; a crashed one left its lease behind. Both pass with time.
                pipeline.Host.Clock.Advance(TimeSpan.FromMinutes(6));
                continue;
            }

            if (runs.All(r => r.Received == 0))
            {
                return reports;
            }
        }

        throw new InvalidOperationException("The source was not drained in 200 rounds.");
    }

    private static async Task<(long Stored, long DistinctUids, long Quarantined, long MeterReceived, long MeterStored, long MeterDuplicates, long MeterQuarantined)> CountsAsync(Pipeline pipeline)
    {
        await using var db = await pipeline.Host.DbAsync();
        var meters = await db.IngestionMeters.Where(m => m.SourceId == pipeline.SourceId).ToListAsync();
        return (
            await db.SecurityLogs.CountAsync(l => l.SourceId == pipeline.SourceId),
            await db.SecurityLogs.Where(l => l.SourceId == pipeline.SourceId).Select(l => l.Uid).Distinct().CountAsync(),
            await db.QuarantinedRecords.CountAsync(q => q.SourceId == pipeline.SourceId),
            meters.Sum(m => m.Received),
            meters.Sum(m => m.Stored),
            meters.Sum(m => m.Duplicates),
            meters.Sum(m => m.Quarantined));
    }

    [Fact]
    public async Task Pull_StoresExactlyTheGeneratedRecords_WhenHundredThousandArrive()
    {
        await using var pipeline = await StartAsync();
        await pipeline.Sandbox.GenerateAsync(WafStream, 100_000);

        var reports = await DrainAsync(pipeline);

        var counts = await CountsAsync(pipeline);
        Assert.Equal((100_000L, 100_000L, 0L, 100_000L, 100_000L, 0L, 0L), counts);
        Assert.Equal(100_000, reports.Sum(r => r.Stored));
        Assert.All(reports, r => Assert.Equal(PullOutcome.Pulled, r.Outcome));
        await using var db = await pipeline.Host.DbAsync();
        var source = await db.LogSources.SingleAsync(s => s.Id == pipeline.SourceId);
        Assert.Equal((LogSourceStatus.Active, 0), (source.Status, source.ConsecutiveFailures));
        Assert.NotNull(source.LastRecordTime);
    }

    [Fact]
    public async Task Pull_StoresEachRecordOnce_WhenTwoRunsOfTheJobOverlap()
    {
        await using var pipeline = await StartAsync();
        await pipeline.Sandbox.GenerateAsync(WafStream, 100_000);

        var reports = await DrainAsync(pipeline, parallel: 2);

        Assert.Equal((100_000L, 100_000L, 0L, 100_000L, 100_000L, 0L, 0L), await CountsAsync(pipeline));
        Assert.Equal(100_000, reports.Sum(r => r.Stored));
        Assert.Contains(reports, r => r.Outcome == PullOutcome.Skipped);
    }

    [Fact]
    public async Task Pull_LosesAndRepeatsNothing_WhenTheProcessDiesBetweenFetchingAndCommitting()
    {
        await using var pipeline = await StartAsync();
        await pipeline.Sandbox.GenerateAsync(WafStream, 100_000);
        // The 3rd and the 9th batch are fetched and normalised, then the process "dies" before the commit:
        // nothing of the batch is written and the pull's lease is left behind, as after a kill -9.
        pipeline.Store.CrashOnAppend(3, 9);

        var crashes = 0;
        while (true)
        {
            try
            {
                await DrainAsync(pipeline);
                break;
            }
            catch (SimulatedCrashException)
            {
                crashes++;
            }
        }

        Assert.Equal(2, crashes);
        Assert.Equal((100_000L, 100_000L, 0L, 100_000L, 100_000L, 0L, 0L), await CountsAsync(pipeline));
    }

    [Fact]
    public async Task Pull_QuarantinesTheMalformedAndReconciles_WhenTheCloudFailsAndThrottles()
    {
        // Two batches per run, so the faults meet a pull that is half way through.
        await using var pipeline = await StartAsync(maxBatchesPerRun: 2);
        await pipeline.Sandbox.GenerateAsync(WafStream, 100_000);
        await pipeline.Sandbox.InjectFaultAsync("malformedPage", "PullLogs", times: 1);
        var first = await pipeline.Ingestion.PullAsync(pipeline.SourceId, CancellationToken.None);
        await pipeline.Sandbox.InjectFaultAsync("http500", "PullLogs", times: 6);
        await pipeline.Sandbox.InjectFaultAsync("throttle429", "PullLogs", times: 6);

        var reports = await DrainAsync(pipeline);

        var counts = await CountsAsync(pipeline);
        await using var db = await pipeline.Host.DbAsync();
        var quarantined = await db.QuarantinedRecords.Where(q => q.SourceId == pipeline.SourceId).OrderBy(q => q.Id).ToListAsync();
        Assert.Equal((PullOutcome.Pulled, 10_000), (first.Outcome, first.Received));
        Assert.Equal(100_000L, counts.Stored + counts.Quarantined);
        Assert.Equal(counts.Stored, counts.DistinctUids);
        Assert.Equal((100_000L, counts.Stored, 0L, counts.Quarantined), (counts.MeterReceived, counts.MeterStored, counts.MeterDuplicates, counts.MeterQuarantined));
        Assert.Equal(QuarantineExpected.Reasons, quarantined.Select(q => q.Reason));
        Assert.All(quarantined, q => Assert.StartsWith("{", q.Raw, StringComparison.Ordinal));
        Assert.Contains(reports, r => r.Outcome == PullOutcome.Failed);
        var source = await db.LogSources.SingleAsync(s => s.Id == pipeline.SourceId);
        Assert.Equal((LogSourceStatus.Active, 0, (string?)null), (source.Status, source.ConsecutiveFailures, source.LastError));
    }

    /// <summary>
    /// The sandbox's malformed page damages three records (see its README): the first loses its trace id (it is
    /// kept, identified by its position), the second has every value cut in half (its time no longer parses: it is
    /// quarantined), the third has receive time 0 (its own event time still holds).
    /// </summary>
    private static class QuarantineExpected
    {
        public static readonly IReadOnlyList<string> Reasons = ["field 'time' is not a time (ISO 8601, or Unix seconds or milliseconds)"];
    }
}

public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("The process stopped between fetching and committing.")
    {
    }

    public SimulatedCrashException(string message)
        : base(message)
    {
    }

    public SimulatedCrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The log store, able to "die" on chosen appends: no write, and the lease of the pull stays held.</summary>
public sealed class CrashingStore
{
    private readonly HashSet<int> _crashOn = [];
    private int _appends;
    private long? _leaseToKeep;

    public void CrashOnAppend(params int[] appendNumbers) => _crashOn.UnionWith(appendNumbers);

    public ILogStore Wrap(ILogStore inner) => new Store(this, inner);

    private sealed class Store(CrashingStore owner, ILogStore inner) : ILogStore
    {
        public Task<AppendResult> AppendAsync(LogBatch batch, CancellationToken cancellationToken)
        {
            if (owner._crashOn.Contains(Interlocked.Increment(ref owner._appends)))
            {
                owner._leaseToKeep = batch.SourceId;
                throw new SimulatedCrashException();
            }

            return inner.AppendAsync(batch, cancellationToken);
        }

        public Task<bool> TryLeaseAsync(long sourceId, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
            inner.TryLeaseAsync(sourceId, now, until, cancellationToken);

        // A dead process releases nothing: the lease runs out on its own.
        public Task ReleaseLeaseAsync(long sourceId, CancellationToken cancellationToken)
        {
            if (owner._leaseToKeep == sourceId)
            {
                owner._leaseToKeep = null;
                return Task.CompletedTask;
            }

            return inner.ReleaseLeaseAsync(sourceId, cancellationToken);
        }

        public Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => inner.DeleteOlderThanAsync(cutoff, cancellationToken);
    }
}
