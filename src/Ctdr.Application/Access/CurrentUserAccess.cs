using Ctdr.Application.Common;

namespace Ctdr.Application.Access;

public static class CurrentUserAccess
{
    /// <summary>The current user, who must hold <paramref name="permission"/>; otherwise <see cref="AccessDeniedException"/>.</summary>
    public static async Task<CurrentUserInfo> RequireAsync(
        this ICurrentUser currentUser,
        Permission permission,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(currentUser);
        var user = await currentUser.GetAsync(cancellationToken);
        if (user is null || !AccessRules.AnyGrants(user.Roles, permission))
        {
            throw AccessDeniedException.For(permission);
        }

        return user;
    }

    public static bool Has(this CurrentUserInfo user, Permission permission)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AccessRules.AnyGrants(user.Roles, permission);
    }
}
