using System.Reflection;
using Ctdr.Application.Access;

namespace Ctdr.Application.Tests.Access;

public class AccessRulesTests
{
    [Fact]
    public void PermissionsOf_GrantsEverything_WhenAdmin()
    {
        Assert.Equal(Enum.GetValues<Permission>(), AccessRules.PermissionsOf(Roles.Admin));
    }

    [Fact]
    public void PermissionsOf_GrantsTriageAndResponse_WhenAnalyst()
    {
        Assert.Equal(
            [Permission.ViewConsole, Permission.TriageAlerts, Permission.HandleEvents, Permission.EditDetectionRules, Permission.ManageAllowLists],
            AccessRules.PermissionsOf(Roles.Analyst));
    }

    [Fact]
    public void PermissionsOf_GrantsReadingOnly_WhenViewer()
    {
        Assert.Equal([Permission.ViewConsole], AccessRules.PermissionsOf(Roles.Viewer));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("admin")]
    [InlineData("Root")]
    public void PermissionsOf_GrantsNothing_WhenRoleUnknownOrMiscased(string? role)
    {
        Assert.Empty(AccessRules.PermissionsOf(role));
    }

    [Theory]
    [InlineData(Permission.ManageUsers, new[] { Roles.Admin })]
    [InlineData(Permission.ViewAuditLog, new[] { Roles.Admin })]
    [InlineData(Permission.ManageJobs, new[] { Roles.Admin })]
    [InlineData(Permission.ManageCloudAccounts, new[] { Roles.Admin })]
    [InlineData(Permission.ManageSettings, new[] { Roles.Admin })]
    [InlineData(Permission.HandleEvents, new[] { Roles.Admin, Roles.Analyst })]
    [InlineData(Permission.TriageAlerts, new[] { Roles.Admin, Roles.Analyst })]
    [InlineData(Permission.EditDetectionRules, new[] { Roles.Admin, Roles.Analyst })]
    [InlineData(Permission.ManageAllowLists, new[] { Roles.Admin, Roles.Analyst })]
    [InlineData(Permission.ViewConsole, new[] { Roles.Admin, Roles.Analyst, Roles.Viewer })]
    public void RolesGranting_ListsExactlyTheRolesAllowed_ForEachPermission(Permission permission, string[] expected)
    {
        Assert.Equal(expected, AccessRules.RolesGranting(permission));
    }

    [Fact]
    public void AnyGrants_IsTrue_WhenOneOfSeveralRolesGrants()
    {
        Assert.True(AccessRules.AnyGrants(["Unknown", Roles.Analyst], Permission.HandleEvents));
        Assert.False(AccessRules.AnyGrants(["Unknown", Roles.Viewer], Permission.HandleEvents));
        Assert.False(AccessRules.AnyGrants([], Permission.ViewConsole));
    }

    [Fact]
    public void PolicyConstants_MatchPolicyNames_ForEveryPermission()
    {
        var constants = typeof(Policies)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

        Assert.Equal(Enum.GetNames<Permission>().Order(), constants.Keys.Order());
        foreach (var permission in Enum.GetValues<Permission>())
        {
            Assert.Equal(AccessRules.PolicyName(permission), constants[permission.ToString()]);
        }
    }

    [Fact]
    public void Roles_AreOrderedFromMostToLeastPrivileged()
    {
        Assert.Equal([Roles.Admin, Roles.Analyst, Roles.Viewer], Roles.All);
        var counts = Roles.All.Select(r => AccessRules.PermissionsOf(r).Count).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.True(AccessRules.PermissionsOf(Roles.Viewer).All(p => AccessRules.Grants(Roles.Analyst, p)));
    }
}
