using Ctdr.Application.Accounts;

namespace Ctdr.Application.LogSources;

/// <summary>A log product and where it lives, as proposed for an account.</summary>
public sealed record ProposedSource(LogProduct Product, string Name, LogBinding Binding);

/// <summary>
/// The core logs the log access policy adds for an account: WAF, cloud firewall and audit trail where the
/// provider has them. Alibaba Cloud names its WAF and Cloud Firewall projects after the account and region, so
/// those bindings follow from the account; ActionTrail's project is chosen by the customer, so Ctdr proposes a
/// name that Check Validity confirms or the admin corrects. Bindings known from elsewhere (the sandbox cloud
/// describes its own) take precedence.
/// </summary>
public static class CoreLogSources
{
    public static IReadOnlyList<ProposedSource> For(CloudAccount account, IReadOnlyList<ProposedSource>? known = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var region = account.DefaultRegion;
        var uid = account.AccountUid;
        IReadOnlyList<ProposedSource> conventional = account.Provider switch
        {
            CloudProvider.AlibabaCloud =>
            [
                new(LogProduct.AlibabaWaf, $"{account.DisplayName} WAF", LogBinding.AlibabaWafPayAsYouGo(uid, region)),
                new(LogProduct.AlibabaCloudFirewall, $"{account.DisplayName} Cloud Firewall", LogBinding.AlibabaCloudFirewall(uid, region)),
                new(LogProduct.AlibabaActionTrail, $"{account.DisplayName} ActionTrail", new LogBinding(region, $"actiontrail-{uid}-{region}", "actiontrail_default")),
            ],
            _ => [],
        };

        if (known is null || known.Count == 0)
        {
            return conventional;
        }

        var byProduct = known.ToDictionary(k => k.Product);
        return [.. conventional.Select(c => byProduct.GetValueOrDefault(c.Product) ?? c), .. known.Where(k => conventional.All(c => c.Product != k.Product))];
    }
}
