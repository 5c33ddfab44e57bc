using Ctdr.Application.Detection;

namespace Ctdr.Web.Components.Shared;

/// <summary>Links to an entity's investigation page.</summary>
public static class EntityLinks
{
    public static string Slug(EntityKind kind) => kind switch
    {
        EntityKind.Ip => "ip",
        EntityKind.Asset => "asset",
        EntityKind.Account => "account",
        EntityKind.User => "user",
        EntityKind.AccessKey => "access-key",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entity kind."),
    };

    public static string Investigate(EntityKind kind, string value) => $"/entities/{Slug(kind)}?value={Uri.EscapeDataString(value)}";
}
