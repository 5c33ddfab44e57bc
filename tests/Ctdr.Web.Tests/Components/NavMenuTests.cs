using Bunit;
using Ctdr.Application.Access;
using Ctdr.Web.Components.Layout;
using MudBlazor.Services;

namespace Ctdr.Web.Tests.Components;

/// <summary>The navigation drawer shows a role exactly the entries it may use, in order.</summary>
public sealed class NavMenuTests : BunitContext
{
    public NavMenuTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public static TheoryData<string, string[]> EntriesByRole() => new()
    {
        { Roles.Viewer, ["nav-overview Overview /", "nav-activation Activation /activation", "nav-log-sources Log sources /log-sources", "nav-logs Log search /logs", "nav-events Security events /events", "nav-alerts Alerts /alerts", "nav-rules Detection rules /rules", "nav-disposal Disposal Center /disposal", "nav-response-rules Response rules /response/rules", "nav-response-playbooks Playbooks /response/playbooks", "nav-response-allow-list Response allow-list /response/allow-list"] },
        { Roles.Analyst, ["nav-overview Overview /", "nav-activation Activation /activation", "nav-log-sources Log sources /log-sources", "nav-logs Log search /logs", "nav-events Security events /events", "nav-alerts Alerts /alerts", "nav-rules Detection rules /rules", "nav-disposal Disposal Center /disposal", "nav-response-rules Response rules /response/rules", "nav-response-playbooks Playbooks /response/playbooks", "nav-response-allow-list Response allow-list /response/allow-list"] },
        {
            Roles.Admin,
            [
                "nav-overview Overview /", "nav-activation Activation /activation", "nav-accounts Cloud accounts /accounts", "nav-log-sources Log sources /log-sources",
                "nav-logs Log search /logs", "nav-events Security events /events", "nav-alerts Alerts /alerts", "nav-rules Detection rules /rules", "nav-disposal Disposal Center /disposal", "nav-response-rules Response rules /response/rules", "nav-response-playbooks Playbooks /response/playbooks", "nav-response-allow-list Response allow-list /response/allow-list", "nav-admin-users Users /admin/users", "nav-admin-audit Audit log /admin/audit", "nav-jobs Jobs /jobs",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(EntriesByRole))]
    public void NavMenu_ShowsExactlyTheRolesEntries_WhenSignedInWithRole(string role, string[] expected)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized($"{role.ToLowerInvariant()}@ctdr.test");
        authorization.SetRoles(role);

        var menu = Render<NavMenu>();

        var entries = menu.FindAll("[data-testid=nav-menu] a")
            .Select(link => $"{link.GetAttribute("data-testid")} {link.TextContent.Trim()} {link.GetAttribute("href")}")
            .ToArray();
        Assert.Equal(expected, entries);
    }

    [Fact]
    public void NavMenu_ShowsNoEntries_WhenAnonymous()
    {
        AddAuthorization();

        var menu = Render<NavMenu>();

        Assert.Empty(menu.FindAll("[data-testid=nav-menu]"));
        Assert.Empty(menu.FindAll("a"));
    }
}
