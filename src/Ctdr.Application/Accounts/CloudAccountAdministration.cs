using System.Security.Cryptography;
using Ctdr.Application.Access;
using Ctdr.Application.Activation;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Accounts;

/// <summary>
/// The Cloud accounts page: onboard, edit, test credentials, disable, delete, and connect the sandbox
/// accounts. Administrators only. Secrets go in encrypted and never come back out.
/// </summary>
public sealed class CloudAccountAdministration(
    ICtdrDbFactory dbs,
    ICurrentUser currentUser,
    ISecretProtector secrets,
    ILogConnectors connectors,
    ILogSourceScheduler scheduler,
    LogSourceProvisioning provisioning,
    ISandboxDirectory sandbox,
    IAuditTrail audit,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<CloudAccountRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var accounts = await db.CloudAccounts.AsNoTracking().OrderBy(a => a.Provider).ThenBy(a => a.DisplayName).ToListAsync(cancellationToken);
        var counts = await db.LogSources.Where(s => s.AccountId != null)
            .GroupBy(s => s.AccountId!.Value)
            .Select(g => new { AccountId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.AccountId, g => g.Count, cancellationToken);
        return [.. accounts.Select(a => new CloudAccountRow(
            a.Id, a.Provider, a.AccountUid, a.DisplayName, a.RegionList, AccessKeyMask.Mask(a.AccessKeyId), a.Endpoint,
            a.IsDisabled, a.IsSandbox, a.CredentialsValid, a.CredentialsCheckedAt, a.CredentialsMessage, counts.GetValueOrDefault(a.Id)))];
    }

    public async Task<CloudAccountDetails?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        return await db.CloudAccounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new CloudAccountDetails(a.Id, a.Provider, a.AccountUid, a.DisplayName, a.Regions, a.AccessKeyId, a.Endpoint, a.IsDisabled, a.IsSandbox))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Onboards an account; with the log access policy on, its core log sources are added and checked.</summary>
    public async Task<(Result Result, long? Id)> OnboardAsync(AccountForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        var validation = AccountInput.Validate(form, secretRequired: true).ToResult();
        if (!validation.Succeeded)
        {
            return (validation, null);
        }

        var (result, id) = await CreateAsync(form, isSandbox: false, cancellationToken);
        if (result.Succeeded)
        {
            await audit.RecordAsync(AuditAction.CloudAccountOnboarded, caller.AsActor(), Invariant.Text(id!.Value), Describe(form), cancellationToken: cancellationToken);
            await AddCoreSourcesIfPolicyAsync(id!.Value, null, cancellationToken);
        }

        return (result, id);
    }

    public async Task<Result> UpdateAsync(long id, AccountForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        var validation = AccountInput.Validate(form, secretRequired: false).ToResult();
        if (!validation.Succeeded)
        {
            return validation;
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return Result.NotFound("The cloud account no longer exists.");
        }

        var now = clock.GetUtcNow();
        account.Update(form.DisplayName.Trim(), AccountInput.ParseRegions(form.Regions), form.AccessKeyId.Trim(), NormalizeEndpoint(form.Endpoint), now);
        if (!string.IsNullOrEmpty(form.AccessKeySecret))
        {
            account.ReplaceSecret(secrets.Protect(form.AccessKeySecret), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        var details = string.IsNullOrEmpty(form.AccessKeySecret) ? "Secret unchanged" : "Secret replaced";
        await audit.RecordAsync(AuditAction.CloudAccountUpdated, caller.AsActor(), Invariant.Text(id), account.DisplayName, details, cancellationToken);
        return Result.Ok();
    }

    /// <summary>Asks the provider whether the credentials are accepted, and remembers the answer.</summary>
    public async Task<CredentialCheck> TestCredentialsAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new InvalidOperationException("The cloud account no longer exists.");
        var connector = connectors.For(account.Provider);
        CredentialCheck check;
        if (connector is null)
        {
            check = new CredentialCheck(false, $"Ctdr does not call {CloudProviders.DisplayName(account.Provider)} APIs; its logs are pushed.");
        }
        else
        {
            try
            {
                check = await connector.TestCredentialsAsync(ConnectorAccounts.From(account, secrets), cancellationToken);
            }
            catch (CryptographicException)
            {
                check = new CredentialCheck(false, "The stored secret cannot be decrypted (the key ring changed); enter the secret again.");
            }
            catch (CloudApiException failure)
            {
                check = new CredentialCheck(false, failure.Message, failure.ErrorCode);
            }
        }

        account.RecordCredentialCheck(check.Succeeded, check.Detail, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return check;
    }

    /// <summary>A disabled account's sources are not pulled until it is enabled again.</summary>
    public async Task<Result> SetDisabledAsync(long id, bool disabled, CancellationToken cancellationToken = default)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return Result.NotFound("The cloud account no longer exists.");
        }

        account.SetDisabled(disabled, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(disabled ? AuditAction.CloudAccountDisabled : AuditAction.CloudAccountEnabled, caller.AsActor(), Invariant.Text(id), account.DisplayName, cancellationToken: cancellationToken);
        return Result.Ok();
    }

    /// <summary>What deleting an account does, in words, for the confirmation.</summary>
    public static string DeletionStatement(int logSourceCount) =>
        $"Deleting the account also deletes its {logSourceCount} log source{(logSourceCount == 1 ? string.Empty : "s")} and stops their pulls. " +
        "Logs already collected stay searchable until the log retention period ends. The stored access key is erased.";

    public async Task<Result> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return Result.NotFound("The cloud account no longer exists.");
        }

        var sources = await db.LogSources.Where(s => s.AccountId == id).ToListAsync(cancellationToken);
        db.LogSources.RemoveRange(sources);
        db.CloudAccounts.Remove(account);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var source in sources)
        {
            scheduler.Remove(source.Id);
        }

        await audit.RecordAsync(AuditAction.CloudAccountDeleted, caller.AsActor(), Invariant.Text(id), account.DisplayName, $"{sources.Count} log source(s) deleted", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Onboards the sandbox cloud's accounts that are not onboarded yet; returns how many.</summary>
    public async Task<(Result Result, int Added)> ConnectSandboxAsync(CancellationToken cancellationToken = default)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        if (!sandbox.IsEnabled)
        {
            return (Result.Conflict("The sandbox cloud is not running (Sandbox:Enabled is false)."), 0);
        }

        var offered = await sandbox.ListAccountsAsync(cancellationToken);
        var added = 0;
        foreach (var candidate in offered)
        {
            var form = new AccountForm(candidate.Provider, candidate.AccountUid, candidate.DisplayName, string.Join(',', candidate.Regions),
                candidate.AccessKeyId, candidate.AccessKeySecret, candidate.Endpoint.ToString());
            var (result, id) = await CreateAsync(form, isSandbox: true, cancellationToken);
            if (!result.Succeeded)
            {
                continue;
            }

            added++;
            await audit.RecordAsync(AuditAction.CloudAccountOnboarded, caller.AsActor(), Invariant.Text(id!.Value), Describe(form), "Sandbox account", cancellationToken);
            await AddCoreSourcesIfPolicyAsync(id!.Value, candidate.LogSources, cancellationToken);
        }

        return (Result.Ok(), added);
    }

    private async Task<(Result Result, long? Id)> CreateAsync(AccountForm form, bool isSandbox, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateAsync(cancellationToken);
        var uid = form.AccountUid.Trim();
        if (await db.CloudAccounts.AnyAsync(a => a.Provider == form.Provider && a.AccountUid == uid, cancellationToken))
        {
            return (Result.Invalid(nameof(AccountForm.AccountUid), $"This {CloudProviders.DisplayName(form.Provider)} account is already onboarded."), null);
        }

        var account = CloudAccount.Create(
            form.Provider, uid, form.DisplayName.Trim(), AccountInput.ParseRegions(form.Regions), form.AccessKeyId.Trim(),
            secrets.Protect(form.AccessKeySecret!), NormalizeEndpoint(form.Endpoint), isSandbox, clock.GetUtcNow());
        db.CloudAccounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        return (Result.Ok(), account.Id);
    }

    private async Task AddCoreSourcesIfPolicyAsync(long accountId, IReadOnlyList<ProposedSource>? known, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateAsync(cancellationToken);
        var activation = await db.ServiceActivations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == ServiceActivation.SingletonId, cancellationToken);
        if (activation is { IsActivated: true, LogAccessPolicy: true })
        {
            await provisioning.AddCoreSourcesAsync(accountId, known, cancellationToken);
        }
    }

    private static string? NormalizeEndpoint(string? endpoint) =>
        string.IsNullOrWhiteSpace(endpoint) ? null : endpoint.Trim().TrimEnd('/');

    private static string Describe(AccountForm form) => $"{CloudProviders.DisplayName(form.Provider)} {form.AccountUid.Trim()} ({form.DisplayName.Trim()})";
}
