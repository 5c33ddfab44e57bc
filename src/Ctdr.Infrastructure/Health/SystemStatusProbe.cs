using Ctdr.Application.Dashboard;
using Ctdr.Application.Live;
using Ctdr.Infrastructure.Jobs;
using Ctdr.Infrastructure.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Health;

internal sealed class SystemStatusProbe(
    IDbContextFactory<CtdrDbContext> contexts,
    JobStorage jobStorage,
    JobStorageInfo storageInfo,
    IOptions<JobsOptions> jobsOptions,
    ILiveFeed liveFeed,
    TimeProvider clock) : ISystemStatusProbe
{
    /// <summary>A server whose last heartbeat is older than this is considered gone.</summary>
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMinutes(1);

    public async Task<SystemStatus> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var reachable = await db.Database.CanConnectAsync(cancellationToken);

        // Hangfire's monitoring API is synchronous I/O; keep it off the caller's thread.
        var since = clock.GetUtcNow().UtcDateTime - HeartbeatTimeout;
        var servers = await Task.Run(
            () => jobStorage.GetMonitoringApi().Servers().Count(s => s.Heartbeat is { } beat && beat >= since),
            cancellationToken);

        return new SystemStatus(
            db.Provider == DatabaseProvider.Sqlite ? "SQLite" : "SQL Server",
            reachable,
            new JobServersStatus(servers, jobsOptions.Value.RunServer, storageInfo.Kind.ToString()),
            liveFeed.Status);
    }
}
