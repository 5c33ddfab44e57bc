using System.Text.Json;

namespace Ctdr.Application.Activation;

/// <summary>One price tier: gigabytes per day up to <see cref="UpToGbPerDay"/> (null = no upper bound) cost <see cref="PricePerGb"/> each.</summary>
public sealed record PriceTier(decimal? UpToGbPerDay, decimal PricePerGb);

/// <summary>
/// Whether the organisation activated Ctdr, whether the log access policy adds core logs automatically, and the
/// tiered price per GB per day used for the cost estimate. There is exactly one row.
/// </summary>
public sealed class ServiceActivation
{
    public const int SingletonId = 1;

    public static IReadOnlyList<PriceTier> DefaultTiers { get; } =
    [
        new(10m, 0.50m),
        new(100m, 0.40m),
        new(null, 0.30m),
    ];

    private ServiceActivation()
    {
    }

    public int Id { get; private set; } = SingletonId;

    public bool IsActivated { get; private set; }

    /// <summary>When on, the core logs (WAF, cloud firewall, audit trail) of every onboarded account are added automatically.</summary>
    public bool LogAccessPolicy { get; private set; }

    public DateTimeOffset? ActivatedAt { get; private set; }

    public string? ActivatedBy { get; private set; }

    public string Currency { get; private set; } = "USD";

    public string PriceTiersJson { get; private set; } = JsonSerializer.Serialize(DefaultTiers);

    public IReadOnlyList<PriceTier> PriceTiers => JsonSerializer.Deserialize<List<PriceTier>>(PriceTiersJson) ?? [.. DefaultTiers];

    public static ServiceActivation NotActivated() => new();

    public void Activate(bool logAccessPolicy, string activatedBy, DateTimeOffset now)
    {
        IsActivated = true;
        LogAccessPolicy = logAccessPolicy;
        ActivatedAt ??= now;
        ActivatedBy ??= activatedBy;
    }

    public void SetLogAccessPolicy(bool enabled) => LogAccessPolicy = enabled;

    public void SetPricing(string currency, IReadOnlyList<PriceTier> tiers)
    {
        Currency = currency;
        PriceTiersJson = JsonSerializer.Serialize(tiers);
    }

    /// <summary>The estimated cost of one day's volume: each tier's share of the gigabytes at that tier's price.</summary>
    public static decimal EstimateDailyCost(decimal gigabytes, IReadOnlyList<PriceTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var cost = 0m;
        var lower = 0m;
        foreach (var tier in tiers)
        {
            if (gigabytes <= lower)
            {
                break;
            }

            var upper = tier.UpToGbPerDay ?? decimal.MaxValue;
            var inTier = Math.Min(gigabytes, upper) - lower;
            cost += inTier * tier.PricePerGb;
            lower = upper;
        }

        return Math.Round(cost, 4);
    }

    /// <summary>Tiers must be non-empty, with ascending bounds, non-negative prices, and an unbounded last tier.</summary>
    public static string? CheckTiers(IReadOnlyList<PriceTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0)
        {
            return "Give at least one price tier.";
        }

        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            if (tier.PricePerGb < 0)
            {
                return "Prices cannot be negative.";
            }

            var isLast = i == tiers.Count - 1;
            if (isLast != (tier.UpToGbPerDay is null))
            {
                return "Only the last tier is unbounded, and it must be.";
            }

            if (tier.UpToGbPerDay is { } bound && (bound <= 0 || (i > 0 && bound <= tiers[i - 1].UpToGbPerDay)))
            {
                return "Tier bounds must be positive and ascending.";
            }
        }

        return null;
    }
}
