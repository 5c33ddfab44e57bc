using Ctdr.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Ctdr.Web.Security;

/// <summary>
/// Re-checks the user of an interactive circuit every 30 seconds. A disabled user, a reset password or a
/// changed role turns the circuit anonymous, and the page sends the browser to sign in again.
/// </summary>
internal sealed class RevalidatingUserStateProvider(ILoggerFactory loggerFactory, UserSessionValidator validator)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var user = authenticationState.User;
        return user.Identity?.IsAuthenticated == true && await validator.IsValidAsync(user, cancellationToken);
    }
}
