using System.Security.Claims;
using Ctdr.Application.Common;
using Microsoft.AspNetCore.Components.Authorization;

namespace Ctdr.Web.Security;

/// <summary>The signed-in user of the current circuit, server-rendered request or API request.</summary>
internal sealed class CurrentUser(AuthenticationStateProvider authentication, CircuitClient client, IHttpContextAccessor httpContext) : ICurrentUser
{
    public async ValueTask<CurrentUserInfo?> GetAsync(CancellationToken cancellationToken = default)
    {
        var ip = client.IpAddress ?? httpContext.HttpContext?.Connection.RemoteIpAddress?.ToString();
        ClaimsPrincipal principal;
        try
        {
            principal = (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException) when (httpContext.HttpContext is { } request)
        {
            // An API endpoint (not a Blazor render): the authentication state is the request's user.
            principal = request.User;
        }

        return FromPrincipal(principal, ip);
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
