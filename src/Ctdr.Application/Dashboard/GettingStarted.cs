using Ctdr.Application.Access;
using Ctdr.Application.Activation;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.LogSources;
using Ctdr.Application.Users;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Dashboard;

/// <summary>
/// One step of the getting-started checklist. <see cref="Link"/> is set only when the page that completes
/// the step exists and the user may do it there; <see cref="Available"/> says whether that page exists at all.
/// </summary>
public sealed record ChecklistItem(string Key, string Title, string Description, bool Done, string? Link, bool Available);

/// <summary>
/// The getting-started checklist, computed from the real state of the system. Steps whose capability has no
/// page yet are listed as not available, without a link.
/// </summary>
public sealed class GettingStarted(IUserDirectory users, ICurrentUser currentUser, ICtdrDbFactory dbs)
{
    public async Task<IReadOnlyList<ChecklistItem>> BuildAsync(CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        var canManageUsers = user.Has(Permission.ManageUsers);
        var canManageAccounts = user.Has(Permission.ManageCloudAccounts);
        var userCount = await users.CountAsync(cancellationToken);
        var activeAdmins = await users.CountActiveAdministratorsAsync(cancellationToken);

        bool activated, hasAccount, hasActiveSource, hasRunningRule;
        await using (var db = await dbs.CreateAsync(cancellationToken))
        {
            activated = await db.ServiceActivations.AnyAsync(a => a.Id == ServiceActivation.SingletonId && a.IsActivated, cancellationToken);
            hasAccount = await db.CloudAccounts.AnyAsync(cancellationToken);
            hasActiveSource = await db.LogSources.AnyAsync(s => s.Status == LogSourceStatus.Active, cancellationToken);
            hasRunningRule = await db.DetectionRules.AnyAsync(r => r.State == RuleState.Live, cancellationToken);
        }

        return
        [
            new("first-admin", "Create the first administrator", "An administrator can sign in and manage the console.", activeAdmins > 0, null, true),
            new("team", "Add your team", "Give analysts and viewers their own accounts and roles.", userCount > 1, canManageUsers ? "/admin/users" : null, true),
            new("activate", "Activate the service", "Choose whether the log access policy adds core logs automatically.", activated, canManageAccounts ? "/activation" : null, true),
            new("cloud-account", "Onboard a cloud account", "Connect an Alibaba Cloud, Huawei Cloud, Tencent Cloud, AWS or Azure account.", hasAccount, canManageAccounts ? "/accounts" : null, true),
            new("log-source", "Add a log source", "Bind WAF, firewall or audit-trail logs and check their validity.", hasActiveSource, canManageAccounts ? "/log-sources/new" : null, true),
            new("rules", "Enable detection rules", "Turn on predefined rules or write your own.", hasRunningRule, user.Has(Permission.EditDetectionRules) ? "/rules" : null, true),
            new("response", "Automate the response", "Create an automatic response rule that runs a playbook on new events.", false, null, false),
        ];
    }
}
