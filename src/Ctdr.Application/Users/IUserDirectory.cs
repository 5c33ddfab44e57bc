using Ctdr.Application.Common;

namespace Ctdr.Application.Users;

/// <summary>
/// The store of console users (ASP.NET Core Identity behind it). It enforces the password policy and unique
/// emails; the rules about who may change whom live in <see cref="UserAdministration"/>.
/// </summary>
public interface IUserDirectory
{
    Task<Page<UserRow>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default);

    Task<UserRow?> FindAsync(string userId, CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Administrators who are not disabled.</summary>
    Task<int> CountActiveAdministratorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the user with one role. On success the result's value is the new user's id.</summary>
    Task<(Result Result, string? UserId)> CreateAsync(CreateUser command, CancellationToken cancellationToken = default);

    Task<Result> SetRoleAsync(string userId, string role, CancellationToken cancellationToken = default);

    /// <summary>Disables or enables sign-in; disabling also ends the user's open sessions.</summary>
    Task<Result> SetDisabledAsync(string userId, bool disabled, CancellationToken cancellationToken = default);

    /// <summary>Sets a new password, clears any lockout and ends the user's open sessions.</summary>
    Task<Result> ResetPasswordAsync(string userId, string newPassword, CancellationToken cancellationToken = default);
}
