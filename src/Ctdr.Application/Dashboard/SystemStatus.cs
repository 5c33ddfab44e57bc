using Ctdr.Application.Live;

namespace Ctdr.Application.Dashboard;

/// <summary>What the landing page shows about the running system.</summary>
public sealed record SystemStatus(
    string DatabaseProvider,
    bool DatabaseReachable,
    JobServersStatus Jobs,
    LiveFeedStatus LiveFeed);

/// <summary>The background job servers that sent a heartbeat recently, and whether this process runs one.</summary>
public sealed record JobServersStatus(int ActiveServers, bool RunsInThisProcess, string Storage);

/// <summary>Reads the status of the database, the job servers and the live feed.</summary>
public interface ISystemStatusProbe
{
    Task<SystemStatus> ReadAsync(CancellationToken cancellationToken = default);
}
