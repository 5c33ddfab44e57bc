namespace Ctdr.Application.Access;

/// <summary>Policy names as constants, for <c>[Authorize(Policy = ...)]</c> attributes.</summary>
public static class Policies
{
    public const string ViewConsole = "perm:" + nameof(Permission.ViewConsole);
    public const string TriageAlerts = "perm:" + nameof(Permission.TriageAlerts);
    public const string HandleEvents = "perm:" + nameof(Permission.HandleEvents);
    public const string EditDetectionRules = "perm:" + nameof(Permission.EditDetectionRules);
    public const string ManageAllowLists = "perm:" + nameof(Permission.ManageAllowLists);
    public const string ManageUsers = "perm:" + nameof(Permission.ManageUsers);
    public const string ViewAuditLog = "perm:" + nameof(Permission.ViewAuditLog);
    public const string ManageCloudAccounts = "perm:" + nameof(Permission.ManageCloudAccounts);
    public const string ManageSettings = "perm:" + nameof(Permission.ManageSettings);
    public const string ManageJobs = "perm:" + nameof(Permission.ManageJobs);
}
