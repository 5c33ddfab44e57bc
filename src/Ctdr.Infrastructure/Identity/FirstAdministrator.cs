using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Identity;

/// <summary>
/// Creates the first administrator, once: from the first-run page, or from configuration at start. Once any
/// administrator exists (enabled or not) it refuses.
/// </summary>
public sealed class FirstAdministrator(IDbContextFactory<CtdrDbContext> contexts, IUserDirectory directory, IAuditTrail audit)
{
    // Two browsers submitting the first-run form at once must not both create an administrator.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<bool> IsNeededAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return !await UserDirectory.AdministratorsQuery(db).AnyAsync(cancellationToken);
    }

    public async Task<Result> CreateAsync(string email, string displayName, string password, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var command = new CreateUser(email?.Trim() ?? string.Empty, displayName?.Trim() ?? string.Empty, Roles.Admin, password ?? string.Empty);
        var validation = UserInput.Validate(command).ToResult();
        if (!validation.Succeeded)
        {
            return validation;
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (!await IsNeededAsync(cancellationToken))
            {
                return Result.Conflict("An administrator already exists. Sign in instead.");
            }

            var (result, userId) = await directory.CreateAsync(command, cancellationToken);
            if (result.Succeeded)
            {
                await audit.RecordAsync(AuditAction.FirstAdministratorCreated, actor, userId, command.Email, cancellationToken: cancellationToken);
            }

            return result;
        }
        finally
        {
            Gate.Release();
        }
    }
}
