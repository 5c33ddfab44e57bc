using System.Collections.Concurrent;
using Ctdr.Infrastructure.Jobs;
using Ctdr.Infrastructure.Tests.Support;
using Hangfire;
using Hangfire.Storage;

namespace Ctdr.Infrastructure.Tests.Jobs;

public class JobsTests
{
    [Fact]
    public async Task Declare_RegistersEveryRecurringJob_Once()
    {
        await using var host = await TestHost.StartAsync();
        var manager = host.Get<IRecurringJobManager>();

        RecurringJobs.Declare(manager);
        RecurringJobs.Declare(manager);

        using var connection = host.Get<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs();
        Assert.Equal(RecurringJobs.Ids.Order(), jobs.Select(j => j.Id).Order());
        Assert.Equal(
            [("audit-retention", "0 3 * * *", typeof(AuditRetentionJob)), ("detection", "*/2 * * * * *", typeof(DetectionJob)), ("log-retention", "30 3 * * *", typeof(LogRetentionJob)), ("log-source-sweep", "* * * * *", typeof(LogSourceSweepJob)), ("response", "*/2 * * * * *", typeof(ResponseJob))],
            jobs.OrderBy(j => j.Id).Select(j => (j.Id, j.Cron, j.Job.Type)));
    }

    [Fact]
    public async Task Storage_BelongsToItsHost_WhenTwoHostsShareTheProcess()
    {
        await using var survivor = await TestHost.StartAsync();
        var first = await TestHost.StartAsync();
        var firstStorage = first.Get<JobStorage>();
        RecurringJobs.Declare(first.Get<IRecurringJobManager>());

        await first.DisposeAsync();

        var storage = survivor.Get<JobStorage>();
        Assert.NotSame(firstStorage, storage);
        Assert.Empty(storage.GetMonitoringApi().Servers());
        using var connection = storage.GetConnection();
        Assert.Empty(connection.GetRecurringJobs());
    }

    [Fact]
    public async Task SqliteStorage_KeepsQueuedJobs_AcrossRestarts()
    {
        string dataDirectory;
        await using (var first = await TestHost.StartAsync(new Dictionary<string, string?> { ["Jobs:Storage"] = "Sqlite" }))
        {
            var client = first.Get<IBackgroundJobClient>();
            client.Enqueue<AuditRetentionJob>(job => job.RunAsync(CancellationToken.None));
            dataDirectory = first.DataDirectory;
            first.KeepDataOnDispose = true;
            Assert.True(File.Exists(Path.Combine(dataDirectory, "ctdr-jobs.db")));
        }

        await using var restarted = await TestHost.StartAsync(new Dictionary<string, string?> { ["Jobs:Storage"] = "Sqlite" }, dataDirectory: dataDirectory);

        var monitoring = restarted.Get<JobStorage>().GetMonitoringApi();
        Assert.Equal(1, monitoring.EnqueuedCount("default"));
        var queued = Assert.Single(monitoring.EnqueuedJobs("default", 0, 10));
        Assert.Equal(nameof(AuditRetentionJob.RunAsync), queued.Value.Job.Method.Name);
    }

    [Fact]
    public async Task SqliteStorage_RunsEnqueuedJob_WithAServer()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Jobs:Storage"] = "Sqlite" });
        var storage = host.Get<JobStorage>();
        var token = Guid.NewGuid().ToString("N");
        var ran = SignalJob.Expect(token);
        var jobId = host.Get<IBackgroundJobClient>().Enqueue(() => SignalJob.Run(token));

        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 1, SchedulePollingInterval = TimeSpan.FromMilliseconds(200) }, storage))
        {
            Assert.Equal(token, await ran.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        // Disposing the server waits for the worker to record the outcome.
        using var connection = storage.GetConnection();
        Assert.Equal("Succeeded", connection.GetStateData(jobId)?.Name);
    }
}

/// <summary>A job that tells the test it ran.</summary>
public static class SignalJob
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource<string>> Waiting = new(StringComparer.Ordinal);

    public static Task<string> Expect(string token) =>
        Waiting.GetOrAdd(token, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static void Run(string token)
    {
        if (Waiting.TryRemove(token, out var waiter))
        {
            waiter.SetResult(token);
        }
    }
}
