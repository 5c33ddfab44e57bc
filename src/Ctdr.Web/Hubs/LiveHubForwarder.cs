using Ctdr.Application.Live;
using Microsoft.AspNetCore.SignalR;

namespace Ctdr.Web.Hubs;

/// <summary>Forwards every live feed message to the hub clients allowed to see it.</summary>
internal sealed class LiveHubForwarder(ILiveFeed feed, IHubContext<LiveHub, ILiveClient> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = feed.Subscribe((message, _) =>
            new ValueTask(hub.Clients.Group(LiveHub.GroupOf(message.Audience)).Message(message)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
