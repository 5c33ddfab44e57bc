using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Ctdr.Web.Hubs;

/// <summary>The hub connections open on this node, so their users can be re-checked and cut off.</summary>
public sealed class LiveHubConnections
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(HubCallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _connections[context.ConnectionId] = context;
    }

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public IReadOnlyList<HubCallerContext> Snapshot() => [.. _connections.Values];
}
