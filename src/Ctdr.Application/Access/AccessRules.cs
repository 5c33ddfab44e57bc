namespace Ctdr.Application.Access;

/// <summary>
/// The single table of which role grants which permission. Admin may do everything, Analyst may triage and
/// respond, Viewer may only read.
/// </summary>
public static class AccessRules
{
    private static readonly Permission[] ViewerPermissions = [Permission.ViewConsole];

    private static readonly Permission[] AnalystPermissions =
    [
        .. ViewerPermissions,
        Permission.TriageAlerts,
        Permission.HandleEvents,
        Permission.EditDetectionRules,
        Permission.ManageAllowLists,
    ];

    private static readonly Permission[] AdminPermissions = Enum.GetValues<Permission>();

    public static IReadOnlyList<Permission> PermissionsOf(string? role) => role switch
    {
        Roles.Admin => AdminPermissions,
        Roles.Analyst => AnalystPermissions,
        Roles.Viewer => ViewerPermissions,
        _ => [],
    };

    public static bool Grants(string? role, Permission permission) => PermissionsOf(role).Contains(permission);

    public static bool AnyGrants(IEnumerable<string> roles, Permission permission) =>
        roles.Any(role => Grants(role, permission));

    /// <summary>The roles that grant <paramref name="permission"/>, for authorisation policies.</summary>
    public static IReadOnlyList<string> RolesGranting(Permission permission) =>
        [.. Roles.All.Where(role => Grants(role, permission))];

    /// <summary>The authorisation policy name of a permission.</summary>
    public static string PolicyName(Permission permission) => "perm:" + permission;
}
