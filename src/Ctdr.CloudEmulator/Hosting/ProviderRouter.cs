using System.Net;
using Ctdr.CloudEmulator.Alibaba;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Huawei;
using Ctdr.CloudEmulator.Tencent;

namespace Ctdr.CloudEmulator.Hosting;

/// <summary>Which provider API a Host header names.</summary>
internal sealed record ProviderHost(string Provider, string? Project, string Region)
{
    private const string SlsSuffix = ".log.aliyuncs.com";

    /// <summary>
    /// <c>&lt;project&gt;.&lt;region&gt;[-intranet].log.aliyuncs.com</c> and <c>&lt;region&gt;.log.aliyuncs.com</c> (Alibaba SLS),
    /// <c>wafopenapi.&lt;region&gt;.aliyuncs.com</c> (Alibaba WAF 3.0 OpenAPI), <c>lts.&lt;region&gt;.myhuaweicloud.com</c> (Huawei LTS), <c>cls[.&lt;region&gt;].tencentcloudapi.com</c> (Tencent CLS),
    /// <c>waf.&lt;region&gt;.myhuaweicloud.com</c> and <c>iam[.&lt;region&gt;].myhuaweicloud.com</c> (Huawei WAF, IAM),
    /// <c>waf[.&lt;region&gt;].tencentcloudapi.com</c> (Tencent WAF).
    /// </summary>
    public static ProviderHost? Parse(string host)
    {
        host = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (host.EndsWith(SlsSuffix, StringComparison.Ordinal))
        {
            var labels = host[..^SlsSuffix.Length].Split('.');
            if (labels.Length is < 1 or > 2 || labels.Any(l => l.Length == 0))
            {
                return null;
            }

            var region = labels[^1];
            foreach (var suffix in new[] { "-intranet", "-share" })
            {
                if (region.EndsWith(suffix, StringComparison.Ordinal))
                {
                    region = region[..^suffix.Length];
                }
            }

            return new ProviderHost("alibaba", labels.Length == 2 ? labels[0] : null, region);
        }

        var parts = host.Split('.');
        if (parts is ["wafopenapi", var wafRegion, "aliyuncs", "com"])
        {
            return new ProviderHost("alibaba-waf", null, wafRegion);
        }

        if (parts is ["lts", var hwRegion, "myhuaweicloud", "com"])
        {
            return new ProviderHost("huawei", null, hwRegion);
        }

        if (parts is ["waf", var huaweiWafRegion, "myhuaweicloud", "com"])
        {
            return new ProviderHost("huawei-waf", null, huaweiWafRegion);
        }

        if (parts is ["iam", var iamRegion, "myhuaweicloud", "com"])
        {
            return new ProviderHost("huawei-iam", null, iamRegion);
        }

        if (parts is ["iam", "myhuaweicloud", "com"])
        {
            return new ProviderHost("huawei-iam", null, string.Empty);
        }

        if (parts is ["waf", "tencentcloudapi", "com"] or ["waf", _, "tencentcloudapi", "com"])
        {
            return new ProviderHost("tencent-waf", null, parts.Length == 4 ? parts[1] : string.Empty);
        }

        if (parts is ["cls", "tencentcloudapi", "com"])
        {
            return new ProviderHost("tencent", null, string.Empty);
        }

        if (parts is ["cls", var tcRegion, "tencentcloudapi", "com"])
        {
            return new ProviderHost("tencent", null, tcRegion);
        }

        return null;
    }
}

/// <summary>
/// One port for every provider: the connectors connect to the sandbox address but send the provider's real Host
/// header, and this middleware dispatches on it. <c>/_sandbox/</c> paths are the control API (loopback callers only,
/// unless configured otherwise); anything else answers 404 with a JSON explanation.
/// </summary>
internal sealed class ProviderRouter(RequestDelegate next, SandboxState state, SlsEndpoint sls, LtsEndpoint lts, ClsEndpoint cls, WafEndpoint waf, HuaweiWafEndpoint huaweiWaf, IamEndpoint iam, TencentWafEndpoint tencentWaf)
{
    public const string ControlPrefix = "/_sandbox";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(ControlPrefix, StringComparison.Ordinal))
        {
            if (state.Options.LoopbackOnlyControl && !IsLoopback(context.Connection.RemoteIpAddress))
            {
                await HttpWrite.JsonAsync(context, 403, new { error = "Forbidden", message = "The sandbox control API answers loopback callers only." }, HttpWrite.Json);
                return;
            }

            await next(context);
            return;
        }

        switch (ProviderHost.Parse(context.Request.Host.Host))
        {
            case { Provider: "alibaba" } host:
                await sls.HandleAsync(context, host.Project, host.Region);
                return;
            case { Provider: "alibaba-waf" } host:
                await waf.HandleAsync(context, host.Region);
                return;
            case { Provider: "huawei" } host:
                await lts.HandleAsync(context, host.Region);
                return;
            case { Provider: "tencent" }:
                await cls.HandleAsync(context);
                return;
            case { Provider: "huawei-waf" } host:
                await huaweiWaf.HandleAsync(context, host.Region);
                return;
            case { Provider: "huawei-iam" } host:
                await iam.HandleAsync(context, host.Region);
                return;
            case { Provider: "tencent-waf" }:
                await tencentWaf.HandleAsync(context);
                return;
            default:
                await HttpWrite.JsonAsync(context, 404, new
                {
                    error = "UnknownHost",
                    message = $"The sandbox cloud serves no API at Host '{context.Request.Host.Value}'. Send the provider's real Host header: "
                              + "<project>.<region>.log.aliyuncs.com (Alibaba SLS), wafopenapi.<region>.aliyuncs.com (Alibaba WAF), lts.<region>.myhuaweicloud.com (Huawei LTS), "
                              + "cls.tencentcloudapi.com (Tencent CLS), waf.<region>.myhuaweicloud.com and iam.<region>.myhuaweicloud.com (Huawei WAF, IAM), "
                              + "waf.tencentcloudapi.com (Tencent WAF); the control API is under /_sandbox/.",
                }, HttpWrite.Json);
                return;
        }
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && (IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4())));
}
