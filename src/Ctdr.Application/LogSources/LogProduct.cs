using Ctdr.Application.Accounts;

namespace Ctdr.Application.LogSources;

/// <summary>A kind of log: which provider writes it, in which format. Each has a normaliser. Stored by name.</summary>
public enum LogProduct
{
    AlibabaWaf,
    AlibabaCloudFirewall,
    AlibabaActionTrail,
    HuaweiWaf,
    TencentWaf,

    /// <summary>Records pushed by a third-party security product over HTTP, in OCSF JSON.</summary>
    ThirdPartyOcsf,
}

/// <summary>The fixed facts of a log product: provider, display name, whether it is a core log, how it is bound.</summary>
public sealed record LogProductInfo(
    LogProduct Product,
    CloudProvider Provider,
    string DisplayName,
    bool IsCoreLog,
    LogBindingKind Binding);

public enum LogBindingKind
{
    /// <summary>Alibaba Cloud SLS: region, project, logstore.</summary>
    SlsLogstore,

    /// <summary>Huawei Cloud LTS: region, log group, log stream.</summary>
    LtsStream,

    /// <summary>Tencent Cloud CLS: region, topic.</summary>
    ClsTopic,

    /// <summary>Pushed to Ctdr with a per-source API key.</summary>
    Push,
}

public static class LogProducts
{
    public static IReadOnlyList<LogProductInfo> All { get; } =
    [
        new(LogProduct.AlibabaWaf, CloudProvider.AlibabaCloud, "WAF 3.0 access and protection logs", true, LogBindingKind.SlsLogstore),
        new(LogProduct.AlibabaCloudFirewall, CloudProvider.AlibabaCloud, "Cloud Firewall traffic logs", true, LogBindingKind.SlsLogstore),
        new(LogProduct.AlibabaActionTrail, CloudProvider.AlibabaCloud, "ActionTrail audit events", true, LogBindingKind.SlsLogstore),
        new(LogProduct.HuaweiWaf, CloudProvider.HuaweiCloud, "WAF attack and access logs", true, LogBindingKind.LtsStream),
        new(LogProduct.TencentWaf, CloudProvider.TencentCloud, "WAF access logs", true, LogBindingKind.ClsTopic),
        new(LogProduct.ThirdPartyOcsf, CloudProvider.Other, "Third-party product (OCSF JSON, pushed)", false, LogBindingKind.Push),
    ];

    public static LogProductInfo Of(LogProduct product) =>
        All.FirstOrDefault(p => p.Product == product) ?? throw new ArgumentOutOfRangeException(nameof(product), product, "Unknown log product.");

    public static IEnumerable<LogProductInfo> For(CloudProvider provider) => All.Where(p => p.Provider == provider);
}
