namespace Ctdr.E2E.Harness;

/// <summary>Accounts the tests create. Passwords satisfy the product's policy (12+ characters, upper, lower, digit).</summary>
public static class TestUsers
{
    public const string AdminEmail = "admin@example.com";
    public const string AdminName = "Ada Admin";
    public const string AdminPassword = "Admin-Passw0rd-2026";

    public const string AnalystEmail = "analyst@example.com";
    public const string AnalystName = "Alan Analyst";
    public const string AnalystPassword = "Analyst-Passw0rd-2026";

    /// <summary>App settings that create the administrator at start (the product's bootstrap option), skipping the first-run page.</summary>
    public static IReadOnlyDictionary<string, string?> BootstrapAdministrator { get; } = new Dictionary<string, string?>
    {
        ["Ctdr:Bootstrap:AdminEmail"] = AdminEmail,
        ["Ctdr:Bootstrap:AdminPassword"] = AdminPassword,
        ["Ctdr:Bootstrap:AdminDisplayName"] = AdminName,
    };
}
