using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Activation;

/// <summary>The state shown on the Activation page.</summary>
public sealed record ActivationState(bool IsActivated, bool LogAccessPolicy, DateTimeOffset? ActivatedAt, string? ActivatedBy, string Currency, IReadOnlyList<PriceTier> PriceTiers);

/// <summary>
/// Activating Ctdr, the log access policy and the ingestion pricing. Turning the policy on adds the core logs
/// of every onboarded account (and of every account onboarded later).
/// </summary>
public sealed class ActivationService(
    ICtdrDbFactory dbs,
    ICurrentUser currentUser,
    LogSourceProvisioning provisioning,
    IAuditTrail audit,
    TimeProvider clock)
{
    /// <summary>Readable by everyone signed in: pages use it to say whether the service is active.</summary>
    public async Task<ActivationState> GetAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var row = await db.ServiceActivations.AsNoTracking().SingleOrDefaultAsync(a => a.Id == ServiceActivation.SingletonId, cancellationToken)
            ?? ServiceActivation.NotActivated();
        return new ActivationState(row.IsActivated, row.LogAccessPolicy, row.ActivatedAt, row.ActivatedBy, row.Currency, row.PriceTiers);
    }

    /// <summary>Activates (or re-confirms) with or without the log access policy; returns how many sources the policy added.</summary>
    public async Task<int> ActivateAsync(bool logAccessPolicy, CancellationToken cancellationToken = default)
    {
        var caller = await currentUser.RequireAsync(Permission.ManageCloudAccounts, cancellationToken);
        List<long> accounts;
        bool policyTurnedOn;
        await using (var db = await dbs.CreateAsync(cancellationToken))
        {
            var row = await LoadAsync(db, cancellationToken);
            var wasActive = row.IsActivated;
            policyTurnedOn = logAccessPolicy && !(row.IsActivated && row.LogAccessPolicy);
            row.Activate(logAccessPolicy, caller.Name, clock.GetUtcNow());
            row.SetLogAccessPolicy(logAccessPolicy);
            await db.SaveChangesAsync(cancellationToken);
            accounts = policyTurnedOn ? await db.CloudAccounts.Select(a => a.Id).ToListAsync(cancellationToken) : [];
            await audit.RecordAsync(
                wasActive ? AuditAction.LogAccessPolicyChanged : AuditAction.ServiceActivated,
                caller.AsActor(),
                details: logAccessPolicy ? "Log access policy on" : "Log access policy off",
                cancellationToken: cancellationToken);
        }

        var added = 0;
        foreach (var accountId in accounts)
        {
            added += await provisioning.AddCoreSourcesAsync(accountId, null, cancellationToken);
        }

        return added;
    }

    public async Task<Result> SetPricingAsync(string currency, IReadOnlyList<PriceTier> tiers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var caller = await currentUser.RequireAsync(Permission.ManageSettings, cancellationToken);
        var code = currency?.Trim().ToUpperInvariant() ?? string.Empty;
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            return Result.Invalid("Currency", "The currency is a three-letter code such as USD or CNY.");
        }

        if (ServiceActivation.CheckTiers(tiers) is { } problem)
        {
            return Result.Invalid("PriceTiers", problem);
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var row = await LoadAsync(db, cancellationToken);
        row.SetPricing(code, tiers);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.PricingChanged, caller.AsActor(), details: $"{code}: " + string.Join("; ", tiers.Select(t => $"{(t.UpToGbPerDay is { } up ? $"≤{up} GB" : "rest")} at {t.PricePerGb}")), cancellationToken: cancellationToken);
        return Result.Ok();
    }

    private static async Task<ServiceActivation> LoadAsync(ICtdrDb db, CancellationToken cancellationToken)
    {
        var row = await db.ServiceActivations.SingleOrDefaultAsync(a => a.Id == ServiceActivation.SingletonId, cancellationToken);
        if (row is null)
        {
            row = ServiceActivation.NotActivated();
            db.ServiceActivations.Add(row);
        }

        return row;
    }
}
