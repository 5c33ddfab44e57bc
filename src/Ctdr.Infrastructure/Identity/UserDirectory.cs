using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Identity;

/// <summary>
/// Users through ASP.NET Core Identity. Every operation runs in its own service scope, so no context or user
/// manager outlives it (the Users page lives in a long-lived Blazor circuit).
/// </summary>
internal sealed class UserDirectory(IServiceScopeFactory scopes, TimeProvider clock) : IUserDirectory
{
    public async Task<Page<UserRow>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CtdrDbContext>();
        var query = db.Users.AsNoTracking();
        var term = search?.Trim();
        if (!string.IsNullOrEmpty(term))
        {
            var pattern = LikePatterns.Contains(term);
            query = query.Where(u => EF.Functions.Like(u.Email!, pattern, LikePatterns.Escape) || EF.Functions.Like(u.DisplayName, pattern, LikePatterns.Escape));
        }

        var total = await query.CountAsync(cancellationToken);
        var users = await query
            .OrderBy(u => u.NormalizedEmail)
            .Skip(page.Skip)
            .Take(page.Take)
            .ToListAsync(cancellationToken);
        var roles = await RolesOfAsync(db, users.Select(u => u.Id).ToList(), cancellationToken);
        return new Page<UserRow>([.. users.Select(u => ToRow(u, roles.GetValueOrDefault(u.Id)))], total);
    }

    public async Task<UserRow?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CtdrDbContext>();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var roles = await RolesOfAsync(db, [user.Id], cancellationToken);
        return ToRow(user, roles.GetValueOrDefault(user.Id));
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CtdrDbContext>();
        return await db.Users.CountAsync(cancellationToken);
    }

    public async Task<int> CountActiveAdministratorsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CtdrDbContext>();
        return await AdministratorsQuery(db).CountAsync(u => !u.IsDisabled, cancellationToken);
    }

    public async Task<(Result Result, string? UserId)> CreateAsync(CreateUser command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CtdrDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
        var user = new CtdrUser
        {
            UserName = command.Email,
            Email = command.Email,
            EmailConfirmed = true,
            DisplayName = command.DisplayName,
            CreatedAt = clock.GetUtcNow(),
        };

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var created = await users.CreateAsync(user, command.Password);
            if (!created.Succeeded)
            {
                return (IdentityErrors.ToResult(created), (string?)null);
            }

            var role = await users.AddToRoleAsync(user, command.Role);
            if (!role.Succeeded)
            {
                return (IdentityErrors.ToResult(role), (string?)null);
            }

            await transaction.CommitAsync(cancellationToken);
            return (Result.Ok(), user.Id);
        });
    }

    public Task<Result> SetRoleAsync(string userId, string role, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            var current = await users.GetRolesAsync(user);
            var removed = await users.RemoveFromRolesAsync(user, current);
            if (!removed.Succeeded)
            {
                return removed;
            }

            var added = await users.AddToRoleAsync(user, role);
            // A changed role ends the user's sessions; the next sign-in carries the new role.
            return added.Succeeded ? await users.UpdateSecurityStampAsync(user) : added;
        }, cancellationToken);

    public Task<Result> SetDisabledAsync(string userId, bool disabled, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            user.IsDisabled = disabled;
            var updated = await users.UpdateAsync(user);
            return updated.Succeeded && disabled ? await users.UpdateSecurityStampAsync(user) : updated;
        }, cancellationToken);

    public Task<Result> ResetPasswordAsync(string userId, string newPassword, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, newPassword);
            if (!reset.Succeeded)
            {
                return reset;
            }

            await users.ResetAccessFailedCountAsync(user);
            return await users.SetLockoutEndDateAsync(user, null);
        }, cancellationToken);

    private async Task<Result> WithUserAsync(
        string userId,
        Func<UserManager<CtdrUser>, CtdrUser, Task<IdentityResult>> change,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CtdrUser>>();
        cancellationToken.ThrowIfCancellationRequested();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Result.NotFound("The user no longer exists.");
        }

        var result = await change(users, user);
        return result.Succeeded ? Result.Ok() : IdentityErrors.ToResult(result);
    }

    internal static IQueryable<CtdrUser> AdministratorsQuery(CtdrDbContext db) =>
        from user in db.Users
        join userRole in db.UserRoles on user.Id equals userRole.UserId
        join role in db.Roles on userRole.RoleId equals role.Id
        where role.Name == Roles.Admin
        select user;

    private static async Task<Dictionary<string, string>> RolesOfAsync(CtdrDbContext db, List<string> userIds, CancellationToken cancellationToken)
    {
        var pairs = await (
                from userRole in db.UserRoles
                join role in db.Roles on userRole.RoleId equals role.Id
                where userIds.Contains(userRole.UserId)
                select new { userRole.UserId, role.Name })
            .ToListAsync(cancellationToken);
        return pairs
            .GroupBy(p => p.UserId)
            .ToDictionary(g => g.Key, g => IdentityRegistration.PrimaryRole(g.Select(p => p.Name!)), StringComparer.Ordinal);
    }

    private UserRow ToRow(CtdrUser user, string? role) => new(
        user.Id,
        user.Email ?? user.UserName ?? string.Empty,
        user.DisplayName,
        role ?? string.Empty,
        user.IsDisabled,
        user.LockoutEnd is { } end && end > clock.GetUtcNow(),
        user.CreatedAt,
        user.LastSignInAt);
}
