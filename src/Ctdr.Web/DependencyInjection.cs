using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Web.Endpoints;
using Ctdr.Web.Hubs;
using Ctdr.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace Ctdr.Web;

public static class DependencyInjection
{
    /// <summary>Blazor, MudBlazor, authentication cookies, authorisation policies, SignalR and the web's own services.</summary>
    public static IServiceCollection AddWebServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Notifications appear bottom right, clear of the page's own action buttons at the top.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddHttpContextAccessor();

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingUserStateProvider>();
        services.AddScoped<CircuitClient>();
        services.AddScoped<ICurrentUser, CurrentUser>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(ConfigureCookie);
        services.AddAuthorization(AddPermissionPolicies);

        services.AddPushIngestion(configuration);
        services.AddHostedService<Sandbox.SandboxHost>();
        services.AddSignalR();
        services.AddSingleton<LiveHubConnections>();
        services.AddHostedService<LiveHubForwarder>();
        services.AddHostedService<HubSessionSweeper>();
        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "ctdr.auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/account/login";
        options.LogoutPath = "/account/logout";
        options.AccessDeniedPath = "/error/403";
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;

        // Browsers asking for a page are sent to sign in; programs calling APIs, hubs or health get plain 401/403.
        options.Events.OnRedirectToLogin = context =>
        {
            if (RequestKinds.IsMachineRequest(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }

            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };

        // A signed-in user without the permission gets 403 (and, for pages, the "access denied" page with it).
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    private static void AddPermissionPolicies(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            options.AddPolicy(AccessRules.PolicyName(permission), policy => policy
                .RequireAuthenticatedUser()
                .RequireRole(AccessRules.RolesGranting(permission)));
        }
    }
}
