using System.Threading.Channels;
using Ctdr.Application.Live;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ctdr.Web.Tests.Hubs;

/// <summary>A program connected to <c>/hubs/live</c> through the test server, recording what it receives.</summary>
public sealed class LiveHubClient : IAsyncDisposable
{
    private readonly Channel<LiveMessage> _received = Channel.CreateUnbounded<LiveMessage>();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveHubClient(HubConnection connection)
    {
        Connection = connection;
        Connection.On<LiveMessage>(nameof(Web.Hubs.ILiveClient.Message), message => _received.Writer.TryWrite(message));
        Connection.Closed += exception =>
        {
            _closed.TrySetResult(exception);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    /// <summary>Completes when the server closes the connection.</summary>
    public Task<Exception?> Closed => _closed.Task.WaitAsync(HangGuard.Timeout);

    /// <summary>Builds a long-polling connection that sends <paramref name="cookieHeader"/> (none: anonymous).</summary>
    public static LiveHubClient Create<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory, string? cookieHeader)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, "/hubs/live"), HttpTransportType.LongPolling, options =>
            {
                options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                if (cookieHeader is not null)
                {
                    options.Headers["Cookie"] = cookieHeader;
                }
            })
            .Build();
        return new LiveHubClient(connection);
    }

    /// <summary>
    /// Connects, and returns once the hub has run <c>OnConnectedAsync</c> (the connection is in its permission
    /// groups). The handshake completes before that; invocations are dispatched only after it, so one round
    /// trip (to a method the hub does not have) is the barrier.
    /// </summary>
    public async Task ConnectAsync()
    {
        await Connection.StartAsync();
        await Assert.ThrowsAsync<HubException>(() => Connection.InvokeAsync("ConnectedBarrier"));
    }

    /// <summary>The next message received (in arrival order).</summary>
    public async Task<LiveMessage> NextAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard.Timeout);
        return await _received.Reader.ReadAsync(guard.Token);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
