using Ctdr.Infrastructure.Identity;

namespace Ctdr.Web.Hubs;

/// <summary>
/// Every 30 seconds, re-checks the user of each open hub connection and aborts those whose user was disabled,
/// had the password reset or the role changed; a long-lived connection must not outlive its permission.
/// </summary>
internal sealed partial class HubSessionSweeper(
    LiveHubConnections connections,
    UserSessionValidator validator,
    TimeProvider clock,
    ILogger<HubSessionSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await SweepAsync(stoppingToken);
        }
    }

    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var aborted = 0;
        foreach (var connection in connections.Snapshot())
        {
            if (connection.User is { } user && await validator.IsValidAsync(user, cancellationToken))
            {
                continue;
            }

            LogAborting(connection.ConnectionId);
            connection.Abort();
            connections.Remove(connection.ConnectionId);
            aborted++;
        }

        return aborted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing live hub connection {ConnectionId}: its user may no longer use the console")]
    private partial void LogAborting(string connectionId);
}
