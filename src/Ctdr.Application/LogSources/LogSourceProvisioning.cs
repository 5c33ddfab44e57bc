using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.LogSources;

/// <summary>
/// Adds sources on the system's own initiative (the log access policy): each is checked at once and starts
/// pulling when it passes; one that fails stays a draft showing the failing step.
/// </summary>
public sealed class LogSourceProvisioning(ICtdrDbFactory dbs, ValidityChecker validity, ILogSourceScheduler scheduler, TimeProvider clock)
{
    /// <summary>Adds the account's core sources that it does not have yet; returns how many were added.</summary>
    public async Task<int> AddCoreSourcesAsync(long accountId, IReadOnlyList<ProposedSource>? known, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateAsync(cancellationToken);
        var account = await db.CloudAccounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return 0;
        }

        var existing = await db.LogSources.Where(s => s.AccountId == accountId).Select(s => s.Product).ToListAsync(cancellationToken);
        var added = new List<LogSource>();
        foreach (var proposal in CoreLogSources.For(account, known).Where(p => !existing.Contains(p.Product)))
        {
            var source = LogSource.CreatePulled(accountId, proposal.Product, proposal.Name, proposal.Binding, LogSourceInput.DefaultPullIntervalSeconds, addedByPolicy: true, clock.GetUtcNow());
            db.LogSources.Add(source);
            added.Add(source);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var source in added)
        {
            var outcome = await validity.CheckAsync(account, source.Id, source.Product, source.Binding, cancellationToken);
            source.RecordValidity(outcome.Passed, outcome.Steps, clock.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var source in added)
        {
            scheduler.Sync(source);
        }

        return added.Count;
    }
}
