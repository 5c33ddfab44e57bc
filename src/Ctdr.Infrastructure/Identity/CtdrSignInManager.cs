using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Identity;

/// <summary>Identity's sign-in manager, refusing disabled users (the result is <c>NotAllowed</c>).</summary>
public sealed class CtdrSignInManager(
    UserManager<CtdrUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<CtdrUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<CtdrUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<CtdrUser> confirmation)
    : SignInManager<CtdrUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(CtdrUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return !user.IsDisabled && await base.CanSignInAsync(user);
    }
}
