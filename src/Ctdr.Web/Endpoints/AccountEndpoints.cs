using Ctdr.Infrastructure.Identity;
using Ctdr.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace Ctdr.Web.Endpoints;

internal static class AccountEndpoints
{
    /// <summary><c>POST /account/logout</c>: signs out (antiforgery-protected form post) and returns to the sign-in page.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (HttpContext context, AccountSignIn signIn, [FromForm] string? returnUrl) =>
            {
                var user = CurrentUser.FromPrincipal(context.User, context.Connection.RemoteIpAddress?.ToString());
                await signIn.SignOutAsync(user?.AsActor() ?? Application.Common.Actor.Anonymous("(anonymous)", null), context.RequestAborted);
                return TypedResults.LocalRedirect(LocalUrls.IsLocal(returnUrl) ? returnUrl! : "/account/login?signedOut=1");
            })
            .AllowAnonymous();
        return endpoints;
    }
}
