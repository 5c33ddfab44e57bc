using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Microsoft.AspNetCore.Identity;

namespace Ctdr.Infrastructure.Identity;

public enum SignInStatus
{
    Succeeded,
    InvalidCredentials,
    LockedOut,
    Disabled,
}

public sealed record SignInOutcome(SignInStatus Status, string? Message)
{
    public bool Succeeded => Status == SignInStatus.Succeeded;
}

/// <summary>
/// Signs a user in with email and password (locking the account after repeated failures) and audits every
/// attempt. Messages never tell an unknown email from a wrong password.
/// </summary>
public sealed class AccountSignIn(
    SignInManager<CtdrUser> signInManager,
    UserManager<CtdrUser> users,
    IAuditTrail audit,
    TimeProvider clock)
{
    public const string InvalidCredentialsMessage = "The email address or password is incorrect.";
    public const string DisabledMessage = "This account is disabled. Ask an administrator to enable it.";

    public async Task<SignInOutcome> SignInAsync(string email, string password, bool rememberMe, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var attempted = (email ?? string.Empty).Trim();
        var user = attempted.Length == 0 ? null : await users.FindByEmailAsync(attempted);
        if (user is null || string.IsNullOrEmpty(password))
        {
            await audit.RecordAsync(AuditAction.SignInFailed, Actor.Anonymous(attempted, ipAddress), details: user is null ? "Unknown account" : "Empty password", cancellationToken: cancellationToken);
            return new(SignInStatus.InvalidCredentials, InvalidCredentialsMessage);
        }

        var actor = new Actor(user.Id, user.Email ?? attempted, ipAddress);
        var result = await signInManager.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            user.LastSignInAt = clock.GetUtcNow();
            await users.UpdateAsync(user);
            await audit.RecordAsync(AuditAction.SignInSucceeded, actor, user.Id, user.Email, cancellationToken: cancellationToken);
            return new(SignInStatus.Succeeded, null);
        }

        if (result.IsLockedOut)
        {
            var until = await users.GetLockoutEndDateAsync(user);
            await audit.RecordAsync(AuditAction.SignInLockedOut, actor, user.Id, user.Email, until is null ? null : $"Locked until {until:u}", cancellationToken);
            var when = until is null ? "for a while" : $"until {until.Value.UtcDateTime:HH:mm} UTC";
            return new(SignInStatus.LockedOut, $"Too many failed sign-in attempts. The account is locked {when}.");
        }

        if (result.IsNotAllowed && user.IsDisabled)
        {
            // Say "disabled" only to someone who knows the password; others learn nothing about the account.
            if (await users.CheckPasswordAsync(user, password))
            {
                await audit.RecordAsync(AuditAction.SignInRefused, actor, user.Id, user.Email, "Account disabled", cancellationToken);
                return new(SignInStatus.Disabled, DisabledMessage);
            }

            await users.AccessFailedAsync(user);
        }

        await audit.RecordAsync(AuditAction.SignInFailed, actor, user.Id, user.Email, "Wrong password", cancellationToken);
        return new(SignInStatus.InvalidCredentials, InvalidCredentialsMessage);
    }

    public async Task SignOutAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await signInManager.SignOutAsync();
        if (actor.UserId is not null)
        {
            await audit.RecordAsync(AuditAction.SignedOut, actor, actor.UserId, actor.Name, cancellationToken: cancellationToken);
        }
    }
}
