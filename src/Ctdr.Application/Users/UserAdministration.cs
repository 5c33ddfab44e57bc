using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;

namespace Ctdr.Application.Users;

/// <summary>
/// The Users page's use cases. Each checks the caller's permission, validates the input, refuses changes that
/// would leave the console without an active administrator, and audits what it did.
/// </summary>
public sealed class UserAdministration(IUserDirectory directory, ICurrentUser currentUser, IAuditTrail audit)
{
    public async Task<Page<UserRow>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ManageUsers, cancellationToken);
        return await directory.ListAsync(search, page, cancellationToken);
    }

    public async Task<Result> CreateAsync(CreateUser command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var caller = await currentUser.RequireAsync(Permission.ManageUsers, cancellationToken);
        var validation = UserInput.Validate(command).ToResult();
        if (!validation.Succeeded)
        {
            return validation;
        }

        var normalized = command with { Email = command.Email.Trim(), DisplayName = command.DisplayName.Trim() };
        var (result, userId) = await directory.CreateAsync(normalized, cancellationToken);
        if (result.Succeeded)
        {
            await audit.RecordAsync(AuditAction.UserCreated, caller.AsActor(), userId, normalized.Email, $"Role: {normalized.Role}", cancellationToken);
        }

        return result;
    }

    public async Task<Result> ChangeRoleAsync(ChangeUserRole command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var caller = await currentUser.RequireAsync(Permission.ManageUsers, cancellationToken);
        if (UserInput.CheckRole(command.Role) is { } roleError)
        {
            return Result.Invalid(nameof(ChangeUserRole.Role), roleError);
        }

        var target = await directory.FindAsync(command.UserId, cancellationToken);
        if (target is null)
        {
            return Result.NotFound("The user no longer exists.");
        }

        if (target.Role == command.Role)
        {
            return Result.Ok();
        }

        if (target.Id == caller.UserId)
        {
            return Result.Forbidden("You cannot change your own role; ask another administrator.");
        }

        if (await WouldRemoveLastAdministratorAsync(target, cancellationToken))
        {
            return Result.Conflict("This is the last active administrator; make another user an administrator first.");
        }

        var result = await directory.SetRoleAsync(target.Id, command.Role, cancellationToken);
        if (result.Succeeded)
        {
            await audit.RecordAsync(AuditAction.RoleChanged, caller.AsActor(), target.Id, target.Email, $"{target.Role} → {command.Role}", cancellationToken);
        }

        return result;
    }

    public async Task<Result> SetDisabledAsync(SetUserDisabled command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var caller = await currentUser.RequireAsync(Permission.ManageUsers, cancellationToken);
        var target = await directory.FindAsync(command.UserId, cancellationToken);
        if (target is null)
        {
            return Result.NotFound("The user no longer exists.");
        }

        if (target.IsDisabled == command.Disabled)
        {
            return Result.Ok();
        }

        if (command.Disabled && target.Id == caller.UserId)
        {
            return Result.Forbidden("You cannot disable your own account.");
        }

        if (command.Disabled && await WouldRemoveLastAdministratorAsync(target, cancellationToken))
        {
            return Result.Conflict("This is the last active administrator; it cannot be disabled.");
        }

        var result = await directory.SetDisabledAsync(target.Id, command.Disabled, cancellationToken);
        if (result.Succeeded)
        {
            await audit.RecordAsync(command.Disabled ? AuditAction.UserDisabled : AuditAction.UserEnabled, caller.AsActor(), target.Id, target.Email, cancellationToken: cancellationToken);
        }

        return result;
    }

    public async Task<Result> ResetPasswordAsync(ResetUserPassword command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var caller = await currentUser.RequireAsync(Permission.ManageUsers, cancellationToken);
        if (UserInput.CheckPasswordPresent(command.NewPassword) is { } passwordError)
        {
            return Result.Invalid(nameof(ResetUserPassword.NewPassword), passwordError);
        }

        var target = await directory.FindAsync(command.UserId, cancellationToken);
        if (target is null)
        {
            return Result.NotFound("The user no longer exists.");
        }

        var result = await directory.ResetPasswordAsync(target.Id, command.NewPassword, cancellationToken);
        if (result.Succeeded)
        {
            await audit.RecordAsync(AuditAction.PasswordReset, caller.AsActor(), target.Id, target.Email, cancellationToken: cancellationToken);
        }

        return result;
    }

    private async Task<bool> WouldRemoveLastAdministratorAsync(UserRow target, CancellationToken cancellationToken) =>
        target.Role == Roles.Admin
        && !target.IsDisabled
        && await directory.CountActiveAdministratorsAsync(cancellationToken) <= 1;
}
