using System.Security.Claims;
using Ctdr.Application.Common;
using Microsoft.AspNetCore.Components.Authorization;

namespace Ctdr.Web.Security;

/// <summary>The signed-in user of the current circuit or server-rendered request.</summary>
internal sealed class CurrentUser(AuthenticationStateProvider authentication, CircuitClient client, IHttpContextAccessor httpContext) : ICurrentUser
{
    public async ValueTask<CurrentUserInfo?> GetAsync(CancellationToken cancellationToken = default)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return FromPrincipal(state.User, client.IpAddress ?? httpContext.HttpContext?.Connection.RemoteIpAddress?.ToString());
    }

    public static CurrentUserInfo? FromPrincipal(ClaimsPrincipal user, string? ipAddress)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        return new CurrentUserInfo(id, user.Identity.Name ?? id, roles, ipAddress);
    }
}
