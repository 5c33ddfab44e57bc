using System.Diagnostics.CodeAnalysis;

namespace Ctdr.Application.Access;

/// <summary>What a signed-in user may do. Roles grant permissions; pages, endpoints and use cases require them.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A permission of the console, not a code-access-security permission type.")]
public enum Permission
{
    /// <summary>Read the console: dashboards, wall screens, logs, alerts and events.</summary>
    ViewConsole,

    /// <summary>Triage alerts and events (acknowledge, close, change status).</summary>
    TriageAlerts,

    /// <summary>Run handling policies and playbooks, manage automatic response.</summary>
    HandleEvents,

    /// <summary>Create and edit custom detection rules.</summary>
    EditDetectionRules,

    /// <summary>Maintain allow-lists and alert exclusions.</summary>
    ManageAllowLists,

    /// <summary>Create users, assign roles, disable users, reset passwords.</summary>
    ManageUsers,

    /// <summary>Read the audit log.</summary>
    ViewAuditLog,

    /// <summary>Onboard cloud accounts and manage their credentials; activate the service.</summary>
    ManageCloudAccounts,

    /// <summary>Change system settings.</summary>
    ManageSettings,

    /// <summary>Open the background jobs dashboard.</summary>
    ManageJobs,
}
