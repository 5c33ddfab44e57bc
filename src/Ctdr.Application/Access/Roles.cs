namespace Ctdr.Application.Access;

/// <summary>The three roles of the console. Every user holds exactly one of them.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Analyst = "Analyst";
    public const string Viewer = "Viewer";

    /// <summary>All roles, from the most to the least privileged.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Analyst, Viewer];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
