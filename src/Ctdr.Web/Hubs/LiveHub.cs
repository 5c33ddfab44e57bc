using Ctdr.Application.Access;
using Ctdr.Application.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Ctdr.Web.Hubs;

/// <summary>What the hub sends to its clients.</summary>
public interface ILiveClient
{
    Task Message(LiveMessage message);
}

/// <summary>
/// <c>/hubs/live</c>: the live feed for programs outside the console (wall screens, integrations). Each
/// connection joins one group per permission its user holds and receives only the messages meant for them.
/// </summary>
[Authorize(Policy = Policies.ViewConsole)]
public sealed class LiveHub(LiveHubConnections connections) : Hub<ILiveClient>
{
    public static string GroupOf(Permission permission) => "perm:" + permission;

    public override async Task OnConnectedAsync()
    {
        var roles = Context.User?.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).ToList() ?? [];
        foreach (var permission in Enum.GetValues<Permission>().Where(p => AccessRules.AnyGrants(roles, p)))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(permission));
        }

        connections.Add(Context);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
