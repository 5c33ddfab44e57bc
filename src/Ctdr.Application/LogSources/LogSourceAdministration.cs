using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.LogSources;

/// <summary>
/// The Log sources pages: list with status, add with Check Validity, edit, pause/resume, delete, pushed sources
/// with their API key. Everyone signed in may look; administrators change.
/// </summary>
public sealed class LogSourceAdministration(
    ICtdrDbFactory dbs,
    ICurrentUser currentUser,
    ValidityChecker validity,
    ILogSourceScheduler scheduler,
    IAuditTrail audit,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<LogSourceRow>> ListAsync(long? accountId = null, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var query = db.LogSources.AsNoTracking();
        if (accountId is { } id)
        {
            query = query.Where(s => s.AccountId == id);
        }

        var sources = await query.OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return await ToRowsAsync(db, sources, cancellationToken);
    }

    public async Task<LogSourceRow?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var source = await db.LogSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        return source is null ? null : (await ToRowsAsync(db, [source], cancellationToken))[0];
    }

    /// <summary>The newest quarantined records of a source, with their reasons.</summary>
    public async Task<IReadOnlyList<QuarantineRow>> QuarantineAsync(long id, int take, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        return await db.QuarantinedRecords.AsNoTracking()
            .Where(q => q.SourceId == id)
            .OrderByDescending(q => q.Id)
            .Take(Math.Clamp(take, 1, 200))
            .Select(q => new QuarantineRow(q.Id, q.ReceivedAt, q.Reason, q.Raw))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Check Validity of a binding before it is saved.</summary>
    public async Task<(Result Result, ValidityOutcome? Outcome)> CheckValidityAsync(LogSourceForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        var validation = LogSourceInput.Validate(form).ToResult();
        if (!validation.Succeeded)
        {
            return (validation, null);
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var account = await db.CloudAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == form.AccountId, cancellationToken);
        if (account is null)
        {
            return (Result.Invalid(nameof(LogSourceForm.AccountId), "Choose a cloud account."), null);
        }

        if (LogProducts.Of(form.Product).Provider != account.Provider)
        {
            return (Result.Invalid(nameof(LogSourceForm.Product), $"{LogProducts.Of(form.Product).DisplayName} are not {CloudProviders.DisplayName(account.Provider)} logs."), null);
        }

        return (Result.Ok(), await validity.CheckAsync(account, 0, form.Product, Trim(form.Binding), cancellationToken));
    }

    /// <summary>Saves a source: it is checked again, and starts pulling when the check passes (otherwise it stays a draft).</summary>
    public async Task<(Result Result, long? Id, ValidityOutcome? Outcome)> AddAsync(LogSourceForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        var (checkResult, outcome) = await CheckValidityAsync(form, cancellationToken);
        if (!checkResult.Succeeded)
        {
            return (checkResult, null, null);
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var binding = Trim(form.Binding);
        var duplicate = await db.LogSources.AnyAsync(
            s => s.AccountId == form.AccountId && s.Product == form.Product && s.Region == binding.Region && s.Project == binding.Project
                && s.LogStore == binding.LogStore && s.LogGroup == binding.LogGroup && s.LogStream == binding.LogStream && s.Topic == binding.Topic,
            cancellationToken);
        if (duplicate)
        {
            return (Result.Conflict("A log source with this product and binding already exists for the account."), null, outcome);
        }

        var now = clock.GetUtcNow();
        var source = LogSource.CreatePulled(form.AccountId, form.Product, form.Name.Trim(), binding, form.PullIntervalSeconds, addedByPolicy: false, now);
        source.BeginValidation();
        source.RecordValidity(outcome!.Passed, outcome.Steps, now);
        db.LogSources.Add(source);
        await db.SaveChangesAsync(cancellationToken);
        scheduler.Sync(source);
        await audit.RecordAsync(AuditAction.LogSourceAdded, caller.AsActor(), Invariant.Text(source.Id), source.Name,
            $"{LogProducts.Of(source.Product).DisplayName}: {binding.Describe(source.ProductInfo.Binding)}; {(outcome.Passed ? "valid, pulling" : "draft: " + outcome.FailedStep?.Name + " failed")}", cancellationToken);
        return (Result.Ok(), source.Id, outcome);
    }

    /// <summary>Renames, changes the interval or the binding. A new binding starts over from its own beginning and is checked again.</summary>
    public async Task<(Result Result, ValidityOutcome? Outcome)> UpdateAsync(long id, string name, LogBinding binding, int pullIntervalSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var source = await db.LogSources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source is null || source.AccountId is null)
        {
            return (Result.NotFound("The log source no longer exists."), null);
        }

        var form = new LogSourceForm(source.AccountId.Value, source.Product, name, Trim(binding), pullIntervalSeconds);
        var validation = LogSourceInput.Validate(form).ToResult();
        if (!validation.Succeeded)
        {
            return (validation, null);
        }

        source.Rename(name.Trim());
        source.ChangePullInterval(pullIntervalSeconds);
        ValidityOutcome? outcome = null;
        if (form.Binding != source.Binding)
        {
            source.ChangeBinding(form.Binding);
            var account = await db.CloudAccounts.AsNoTracking().SingleAsync(a => a.Id == source.AccountId, cancellationToken);
            outcome = await validity.CheckAsync(account, source.Id, source.Product, source.Binding, cancellationToken);
            source.BeginValidation();
            source.RecordValidity(outcome.Passed, outcome.Steps, clock.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
        scheduler.Sync(source);
        await audit.RecordAsync(AuditAction.LogSourceUpdated, caller.AsActor(), Invariant.Text(id), source.Name, source.Binding.Describe(source.ProductInfo.Binding), cancellationToken);
        return (Result.Ok(), outcome);
    }

    /// <summary>Runs Check Validity on a saved source and records the outcome (a draft that passes starts pulling).</summary>
    public async Task<ValidityOutcome?> RecheckAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var source = await db.LogSources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source?.AccountId is not { } accountId)
        {
            return null;
        }

        var account = await db.CloudAccounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        var outcome = await validity.CheckAsync(account, source.Id, source.Product, source.Binding, cancellationToken);
        source.BeginValidation();
        source.RecordValidity(outcome.Passed, outcome.Steps, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        scheduler.Sync(source);
        return outcome;
    }

    public Task<Result> PauseAsync(long id, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(id, s => s.Pause(), AuditAction.LogSourcePaused, "Only an active or failing source can be paused.", cancellationToken);

    public Task<Result> ResumeAsync(long id, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(id, s => s.Resume(), AuditAction.LogSourceResumed, "Only a paused source that passed Check Validity can be resumed.", cancellationToken);

    /// <summary>Pulls now instead of waiting for the next interval.</summary>
    public async Task PullNowAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        scheduler.TriggerNow(id);
    }

    /// <summary>Deletes the source; its stored logs stay searchable until the retention period ends.</summary>
    public async Task<Result> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var source = await db.LogSources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source is null)
        {
            return Result.NotFound("The log source no longer exists.");
        }

        db.LogSources.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        scheduler.Remove(id);
        await audit.RecordAsync(AuditAction.LogSourceDeleted, caller.AsActor(), Invariant.Text(id), source.Name, cancellationToken: cancellationToken);
        return Result.Ok();
    }

    /// <summary>Creates a pushed source and its API key; the key is returned this once and never again.</summary>
    public async Task<(Result Result, long? Id, string? Key)> CreatePushSourceAsync(string name, long? accountId, CancellationToken cancellationToken = default)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100 || name.Any(char.IsControl))
        {
            return (Result.Invalid(nameof(LogSourceForm.Name), "Enter a name of at most 100 printable characters."), null, null);
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        if (accountId is { } id && !await db.CloudAccounts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return (Result.Invalid(nameof(LogSourceForm.AccountId), "The cloud account no longer exists."), null, null);
        }

        var (key, hash, prefix) = PushKeys.Create();
        var source = LogSource.CreatePushed(accountId, LogProduct.ThirdPartyOcsf, name.Trim(), hash, prefix, clock.GetUtcNow());
        db.LogSources.Add(source);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.PushKeyIssued, caller.AsActor(), Invariant.Text(source.Id), source.Name, $"Key {prefix}…", cancellationToken);
        return (Result.Ok(), source.Id, key);
    }

    /// <summary>Replaces a pushed source's key; the old key stops working at once.</summary>
    public async Task<(Result Result, string? Key)> RotatePushKeyAsync(long id, CancellationToken cancellationToken = default)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var source = await db.LogSources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source is null || !source.IsPushed)
        {
            return (Result.NotFound("The pushed log source no longer exists."), null);
        }

        var (key, hash, prefix) = PushKeys.Create();
        source.ReplacePushKey(hash, prefix);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.PushKeyIssued, caller.AsActor(), Invariant.Text(id), source.Name, $"Key {prefix}… (replaced)", cancellationToken);
        return (Result.Ok(), key);
    }

    private async Task<Result> ChangeStateAsync(long id, Func<LogSource, bool> change, AuditAction action, string refusal, CancellationToken cancellationToken)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var source = await db.LogSources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source is null)
        {
            return Result.NotFound("The log source no longer exists.");
        }

        if (!change(source))
        {
            return Result.Conflict(refusal);
        }

        await db.SaveChangesAsync(cancellationToken);
        scheduler.Sync(source);
        await audit.RecordAsync(action, caller.AsActor(), Invariant.Text(id), source.Name, cancellationToken: cancellationToken);
        return Result.Ok();
    }

    private static LogBinding Trim(LogBinding binding) => new(
        binding.Region?.Trim(), binding.Project?.Trim(), binding.LogStore?.Trim(), binding.LogGroup?.Trim(), binding.LogStream?.Trim(), binding.Topic?.Trim());

    private async Task<IReadOnlyList<LogSourceRow>> ToRowsAsync(ICtdrDb db, IReadOnlyList<LogSource> sources, CancellationToken cancellationToken)
    {
        var ids = sources.Select(s => s.Id).ToList();
        var accountIds = sources.Where(s => s.AccountId != null).Select(s => s.AccountId!.Value).Distinct().ToList();
        var accounts = await db.CloudAccounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => (a.DisplayName, a.Provider), cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var meters = await db.IngestionMeters.AsNoTracking().Where(m => ids.Contains(m.SourceId))
            .GroupBy(m => m.SourceId)
            .Select(g => new
            {
                SourceId = g.Key,
                Stored = g.Sum(m => m.Stored),
                Quarantined = g.Sum(m => m.Quarantined),
                StoredToday = g.Where(m => m.Day == today).Sum(m => m.Stored),
                QuarantinedToday = g.Where(m => m.Day == today).Sum(m => m.Quarantined),
                BytesToday = g.Where(m => m.Day == today).Sum(m => m.Bytes),
            })
            .ToDictionaryAsync(m => m.SourceId, cancellationToken);

        return [.. sources.Select(s =>
        {
            var account = s.AccountId is { } a && accounts.TryGetValue(a, out var found) ? found : default;
            var meter = meters.GetValueOrDefault(s.Id);
            return new LogSourceRow(
                s.Id, s.Name, s.AccountId, account.DisplayName, s.ProductInfo.Provider, s.Product, s.Binding, s.Status, s.PullIntervalSeconds,
                s.AddedByPolicy, s.CreatedAt, s.LastPullAt, s.LastSuccessAt, s.LastRecordTime, s.LastPullRecordsPerSecond, s.ConsecutiveFailures,
                s.LastError, s.LastErrorCode, s.NextAttemptAt, s.ValidityPassed, s.ValidatedAt, s.ValiditySteps(), s.PushKeyPrefix,
                meter?.StoredToday ?? 0, meter?.QuarantinedToday ?? 0, meter?.BytesToday ?? 0, meter?.Stored ?? 0, meter?.Quarantined ?? 0);
        })];
    }
}
