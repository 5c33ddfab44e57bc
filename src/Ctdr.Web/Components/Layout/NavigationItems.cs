using Ctdr.Application.Access;

namespace Ctdr.Web.Components.Layout;

/// <summary>One entry of the navigation drawer and the permission it needs.</summary>
/// <param name="ExternalToBlazor">The target is not a Blazor page (the jobs dashboard): load it in full.</param>
public sealed record NavigationItem(string Title, string Href, string Icon, Permission Permission, bool ExternalToBlazor = false);

/// <summary>The navigation drawer's entries, in order. A role sees exactly the entries it may use.</summary>
public static class NavigationItems
{
    public static IReadOnlyList<NavigationItem> All { get; } =
    [
        new("Overview", "/", MudBlazor.Icons.Material.Filled.Dashboard, Permission.ViewConsole),
        new("Activation", "/activation", MudBlazor.Icons.Material.Filled.PowerSettingsNew, Permission.ViewConsole),
        new("Cloud accounts", "/accounts", MudBlazor.Icons.Material.Filled.Cloud, Permission.ManageCloudAccounts),
        new("Log sources", "/log-sources", MudBlazor.Icons.Material.Filled.Input, Permission.ViewConsole),
        new("Log search", "/logs", MudBlazor.Icons.Material.Filled.ManageSearch, Permission.ViewConsole),
        new("Security events", "/events", MudBlazor.Icons.Material.Filled.Security, Permission.ViewConsole),
        new("Alerts", "/alerts", MudBlazor.Icons.Material.Filled.NotificationImportant, Permission.ViewConsole),
        new("Detection rules", "/rules", MudBlazor.Icons.Material.Filled.Rule, Permission.ViewConsole),
        new("Disposal Center", "/disposal", MudBlazor.Icons.Material.Filled.Shield, Permission.ViewConsole),
        new("Response rules", "/response/rules", MudBlazor.Icons.Material.Filled.AutoMode, Permission.ViewConsole),
        new("Playbooks", "/response/playbooks", MudBlazor.Icons.Material.Filled.PlaylistPlay, Permission.ViewConsole),
        new("Response allow-list", "/response/allow-list", MudBlazor.Icons.Material.Filled.VerifiedUser, Permission.ViewConsole),
        new("Users", "/admin/users", MudBlazor.Icons.Material.Filled.People, Permission.ManageUsers),
        new("Audit log", "/admin/audit", MudBlazor.Icons.Material.Filled.Policy, Permission.ViewAuditLog),
        new("Jobs", "/jobs", MudBlazor.Icons.Material.Filled.Schedule, Permission.ManageJobs, ExternalToBlazor: true),
    ];

    public static IReadOnlyList<NavigationItem> For(IEnumerable<string> roles)
    {
        var list = roles.ToList();
        return [.. All.Where(item => AccessRules.AnyGrants(list, item.Permission))];
    }
}
