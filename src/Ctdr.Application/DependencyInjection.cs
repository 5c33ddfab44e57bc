using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Activation;
using Ctdr.Application.Audit;
using Ctdr.Application.Dashboard;
using Ctdr.Application.Detection;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Application.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Application;

public static class DependencyInjection
{
    /// <summary>Registers the use cases. Ports (database, directory, live feed, clock) come from the infrastructure.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddSingleton<IAuditTrail, AuditTrail>();
        services.AddScoped<AuditLogQuery>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<GettingStarted>();
        services.AddScoped<CloudAccountAdministration>();
        services.AddScoped<ActivationService>();
        services.AddScoped<LogSourceAdministration>();
        services.AddScoped<LogSearchQuery>();
        services.AddScoped<MeteringQuery>();
        services.AddSingleton<ValidityChecker>();
        services.AddSingleton<LogSourceProvisioning>();
        services.AddSingleton<LogIngestion>();
        services.AddSingleton<RuleTester>();
        services.AddScoped<RuleAdministration>();
        services.AddScoped<AlertQueries>();
        services.AddScoped<AlertAllowList>();
        services.AddScoped<RuleImport>();
        services.AddScoped<Events.EventQueries>();
        services.AddScoped<Response.HandlingAdministration>();
        services.AddScoped<Response.PlaybookAdministration>();
        services.AddScoped<Response.ResponseRuleAdministration>();
        services.AddSingleton<Response.IWafBlockers, Response.WafBlockers>();
        services.AddSingleton<Response.HandlingPlanner>();
        services.AddScoped<Investigation.EntityInvestigation>();
        services.AddSingleton<Response.AllowList.ResponseAllowListCache>();
        services.AddScoped<Response.AllowList.ResponseAllowList>();
        services.AddSingleton<Response.IResponseAllowListLookup, Response.AllowList.AllowListLookup>();
        return services;
    }
}
