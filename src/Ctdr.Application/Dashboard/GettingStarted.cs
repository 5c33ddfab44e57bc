using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Users;

namespace Ctdr.Application.Dashboard;

/// <summary>
/// One step of the getting-started checklist. <see cref="Link"/> is set only when the page that completes
/// the step exists and the user may open it.
/// </summary>
public sealed record ChecklistItem(string Key, string Title, string Description, bool Done, string? Link);

/// <summary>
/// The getting-started checklist, computed from the real state of the system. Steps whose capability has no
/// page yet are listed as not available, without a link.
/// </summary>
public sealed class GettingStarted(IUserDirectory users, ICurrentUser currentUser)
{
    public async Task<IReadOnlyList<ChecklistItem>> BuildAsync(CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        var canManageUsers = user.Has(Permission.ManageUsers);
        var userCount = await users.CountAsync(cancellationToken);
        var activeAdmins = await users.CountActiveAdministratorsAsync(cancellationToken);

        return
        [
            new("first-admin", "Create the first administrator", "An administrator can sign in and manage the console.", activeAdmins > 0, null),
            new("team", "Add your team", "Give analysts and viewers their own accounts and roles.", userCount > 1, canManageUsers ? "/admin/users" : null),
            new("activate", "Activate the service", "Choose whether the log access policy adds core logs automatically.", false, null),
            new("cloud-account", "Onboard a cloud account", "Connect an Alibaba Cloud, Huawei Cloud, Tencent Cloud, AWS or Azure account.", false, null),
            new("log-source", "Add a log source", "Bind WAF, firewall or audit-trail logs and check their validity.", false, null),
            new("rules", "Enable detection rules", "Turn on predefined rules or write your own.", false, null),
            new("response", "Automate the response", "Create an automatic response rule that runs a playbook on new events.", false, null),
        ];
    }
}
