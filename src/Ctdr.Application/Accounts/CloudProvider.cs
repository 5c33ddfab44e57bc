namespace Ctdr.Application.Accounts;

/// <summary>The clouds and product families Ctdr takes logs from. Stored by name.</summary>
public enum CloudProvider
{
    AlibabaCloud,
    HuaweiCloud,
    TencentCloud,
    Aws,
    Azure,

    /// <summary>Third-party security products that push their logs.</summary>
    Other,
}

/// <summary>What Ctdr does with a provider's logs beyond storing and searching them.</summary>
public sealed record ProviderCapabilities(string DisplayName, bool GeneratesEvents, bool SupportsAutomaticHandling, bool SupportsPull);

public static class CloudProviders
{
    /// <summary>
    /// Only Alibaba Cloud, Huawei Cloud and Tencent Cloud logs become security events and support automatic
    /// handling; other providers' logs are searchable and raise alerts only.
    /// </summary>
    public static ProviderCapabilities Of(CloudProvider provider) => provider switch
    {
        CloudProvider.AlibabaCloud => new("Alibaba Cloud", true, true, true),
        CloudProvider.HuaweiCloud => new("Huawei Cloud", true, true, true),
        CloudProvider.TencentCloud => new("Tencent Cloud", true, true, true),
        CloudProvider.Aws => new("AWS", false, false, false),
        CloudProvider.Azure => new("Azure", false, false, false),
        CloudProvider.Other => new("Third-party product", false, false, false),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
    };

    public static string DisplayName(CloudProvider provider) => Of(provider).DisplayName;
}
