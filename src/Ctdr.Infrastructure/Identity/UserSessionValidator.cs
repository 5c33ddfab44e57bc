using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Identity;

/// <summary>
/// Decides whether a signed-in principal may go on: the user still exists, is not disabled, and its security
/// stamp is unchanged (a password reset, role change or disable changes it). Used for Blazor circuits and
/// hub connections, which outlive the cookie checks of individual requests.
/// </summary>
public sealed class UserSessionValidator(IServiceScopeFactory scopes, IOptions<IdentityOptions> identityOptions)
{
    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var claims = identityOptions.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claims.UserIdClaimType);
        if (string.IsNullOrEmpty(userId))
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
        cancellationToken.ThrowIfCancellationRequested();
        var user = await users.FindByIdAsync(userId);
        if (user is null || user.IsDisabled)
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var stamp = principal.FindFirstValue(claims.SecurityStampClaimType);
        return string.Equals(stamp, await users.GetSecurityStampAsync(user), StringComparison.Ordinal);
    }
}
