namespace Ctdr.Application.LogSources;

/// <summary>
/// Where a log source's records live at the provider. Which members are used depends on the product's
/// <see cref="LogBindingKind"/>: SLS uses Region/Project/LogStore, LTS Region/LogGroup/LogStream (their ids; and
/// Project for the region's Huawei project id, looked up through IAM when absent), CLS Region/Topic; pushed sources
/// use none.
/// </summary>
public sealed record LogBinding(
    string? Region = null,
    string? Project = null,
    string? LogStore = null,
    string? LogGroup = null,
    string? LogStream = null,
    string? Topic = null)
{
    public static LogBinding None { get; } = new();

    /// <summary>Alibaba WAF 3.0 pay-as-you-go names: <c>wafnew-project-&lt;uid&gt;-&lt;region&gt;</c> / <c>wafnew-logstore</c>.</summary>
    public static LogBinding AlibabaWafPayAsYouGo(string accountUid, string region) =>
        new(region, $"wafnew-project-{accountUid}-{region}", "wafnew-logstore");

    /// <summary>Alibaba WAF 3.0 subscription names: <c>wafng-project-&lt;uid&gt;-&lt;region&gt;</c> / <c>wafng-logstore</c>.</summary>
    public static LogBinding AlibabaWafSubscription(string accountUid, string region) =>
        new(region, $"wafng-project-{accountUid}-{region}", "wafng-logstore");

    /// <summary>Alibaba Cloud Firewall names: <c>cloudfirewall-project-&lt;uid&gt;-&lt;region&gt;</c> / <c>cloudfirewall-logstore</c>.</summary>
    public static LogBinding AlibabaCloudFirewall(string accountUid, string region) =>
        new(region, $"cloudfirewall-project-{accountUid}-{region}", "cloudfirewall-logstore");

    /// <summary>A short description for lists, e.g. "cn-hangzhou / wafnew-project-… / wafnew-logstore".</summary>
    public string Describe(LogBindingKind kind) => kind switch
    {
        LogBindingKind.SlsLogstore => $"{Region} / {Project} / {LogStore}",
        LogBindingKind.LtsStream => $"{Region} / {LogGroup} / {LogStream}",
        LogBindingKind.ClsTopic => $"{Region} / {Topic}",
        LogBindingKind.Push => "pushed over HTTP",
        _ => string.Empty,
    };
}
