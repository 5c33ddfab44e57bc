using Ctdr.Application.Access;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.Jobs;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components;
using Ctdr.Web.Endpoints;
using Ctdr.Web.Hubs;
using Ctdr.Web.Security;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Ctdr.Web;

public static class WebApplicationExtensions
{
    /// <summary>Before serving: migrate the database, create roles and the bootstrap administrator, declare recurring jobs.</summary>
    public static async Task InitializeCtdrAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<BootstrapAdministrator>().RunAsync(app.Lifetime.ApplicationStopping);
        RecurringJobs.Declare(
            app.Services.GetRequiredService<IRecurringJobManager>(),
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Ctdr.Application.Detection.DetectionSettings>>().Value.Schedule,
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Ctdr.Application.Response.ResponseSettings>>().Value.Schedule);
    }

    public static WebApplication UseCtdrPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500", createScopeForErrors: true);
            app.UseHsts();
        }

        // Pages answer 403/404 with a page; programs (APIs, hubs, health) get the bare status code.
        app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            if (RequestKinds.IsMachineRequest(context.Request)
                && context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            await next(context);
        });
        app.Use(RenderErrorPagesAsGetAsync);

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapIngestEndpoints();
        app.MapRuleEndpoints();
        app.MapHub<LiveHub>("/hubs/live");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapHangfireDashboard("/jobs", new DashboardOptions
            {
                DashboardTitle = "Ctdr jobs",
                AppPath = "/",
                DisplayStorageConnectionString = false,
                Authorization = [new AdminDashboardAuthorization()],
            })
            .RequireAuthorization(Policies.ManageJobs);
        return app;
    }

    /// <summary>
    /// Error pages are re-executed with the failed request's method. A re-executed POST would reach the error page
    /// as a form post, which it refuses for want of an antiforgery token (400), hiding the real 403, 404 or 500;
    /// so the error page is always rendered as a GET.
    /// </summary>
    private static async Task RenderErrorPagesAsGetAsync(HttpContext context, RequestDelegate next)
    {
        var reExecuted = context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<IExceptionHandlerFeature>() is not null;
        if (!reExecuted || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var method = context.Request.Method;
        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Method = method;
        }
    }

    /// <summary>Defence in depth behind the endpoint policy: Hangfire checks the permission itself too.</summary>
    private sealed class AdminDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            AccessRules.AnyGrants(
                context.GetHttpContext().User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value),
                Permission.ManageJobs);
    }
}
