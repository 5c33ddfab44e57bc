namespace Ctdr.Infrastructure.Clouds.Alibaba.Waf;

/// <summary>How Ctdr talks to Alibaba Cloud WAF 3.0 (configuration section "Clouds:AlibabaWaf").</summary>
internal sealed class AlibabaWafOptions
{
    public const string SectionName = "Clouds:AlibabaWaf";

    /// <summary>POP signature: "V3" (ACS3-HMAC-SHA256, the default) or "V2" (RPC HMAC-SHA1).</summary>
    public string SignatureVersion { get; set; } = "V3";

    /// <summary>Addresses Ctdr puts in one IP blacklist rule before it starts another (the service's limit is about 200).</summary>
    public int MaxAddressesPerRule { get; set; } = 200;

    /// <summary>The name of the IP blacklist protection template Ctdr creates when the instance has none.</summary>
    public string TemplateName { get; set; } = "ctdr-blocking";
}
