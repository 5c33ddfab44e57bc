using System.Text;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Clouds.Alibaba;

namespace Ctdr.Infrastructure.Tests.Clouds;

/// <summary>
/// The POP OpenAPI signers against the vectors of cloud-protocols.md §2.2 (V3) and §2.3 (V2), computed there with an
/// independent implementation of the documented algorithms ([C]).
/// </summary>
public sealed class AlibabaPopSignatureTests
{
    private static readonly CloudCredentials Credentials = new("LTAI5tEXAMPLEkeyId", "EXAMPLEsecretKEY0123456789abcd");
    private static readonly DateTimeOffset Time = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);
    private const string Rules = "[{\"name\":\"ctdr-block-203.0.113.7\",\"remoteAddr\":[\"203.0.113.7\"],\"action\":\"block\",\"status\":1,\"origin\":\"custom\"}]";

    private static KeyValuePair<string, string> P(string key, string value) => KeyValuePair.Create(key, value);

    private static SignableRequest V3Vector() => new("POST", "/",
        [
            P("DefenseScene", "ip_blacklist"), P("DefenseType", "template"), P("InstanceId", "waf_v3prepaid_public_cn-xxxx"), P("RegionId", "cn-hangzhou"),
            P("TemplateId", "12345"), P("Rules", Rules),
        ],
        [P("host", "wafopenapi.cn-hangzhou.aliyuncs.com"), .. PopSignerV3.SigningHeaders("CreateDefenseRule", "2021-10-01", [], Time, "3156853299f313e23d1673dc12e1703d")],
        ReadOnlyMemory<byte>.Empty);

    [Fact]
    public void PopV3_ReproducesCreateDefenseRuleVector_WhenRulesAreInTheQuery()
    {
        var request = V3Vector();

        var stringToSign = PopSignerV3.StringToSign(request, out var signedHeaders);
        var authorization = PopSignerV3.Authorization(request, Credentials);

        Assert.Equal("ACS3-HMAC-SHA256\n6d6eea14f2a6c8cbffc0c36a776417a7d05a319573c837529ee3fa8fc66b1faf", stringToSign);
        Assert.Equal("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version", signedHeaders);
        Assert.Equal(
            "ACS3-HMAC-SHA256 Credential=LTAI5tEXAMPLEkeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
            + "Signature=641be24c552a1ec28b5e5a58240f5b22e60eaba8fad2465bc5d155bafdd5553e",
            authorization);
    }

    [Fact]
    public void PopV3_CanonicalRequest_EncodesPerRfc3986_WhenValuesHaveReservedCharacters()
    {
        var request = new SignableRequest("POST", "/", [P("b", "a b*c~d/é"), P("a", "1")],
            [P("Host", "wafopenapi.cn-hangzhou.aliyuncs.com"), P("X-Acs-Action", " DescribeInstance "), P("Accept", "application/json")], Encoding.UTF8.GetBytes("x=1"));

        var canonical = PopSignerV3.CanonicalRequest(request, out var signedHeaders);

        Assert.Equal(
            "POST\n/\na=1&b=a%20b%2Ac~d%2F%C3%A9\nhost:wafopenapi.cn-hangzhou.aliyuncs.com\nx-acs-action:DescribeInstance\n\nhost;x-acs-action\n"
            + SigningText.Sha256Hex("x=1"u8),
            canonical);
        Assert.Equal("host;x-acs-action", signedHeaders);
    }

    [Fact]
    public void PopV2_ReproducesDeleteDefenseRuleVector_WhenPost()
    {
        KeyValuePair<string, string>[] parameters =
        [
            .. PopSignerV2.CommonParameters("DeleteDefenseRule", "2021-10-01", Credentials.AccessKeyId, Time, "15215528852396"),
            P("InstanceId", "waf_v3prepaid_public_cn-xxxx"), P("TemplateId", "12345"), P("RuleIds", "20001"), P("DefenseType", "template"), P("RegionId", "cn-hangzhou"),
        ];

        var stringToSign = PopSignerV2.StringToSign("POST", parameters);

        Assert.StartsWith("POST&%2F&AccessKeyId%3DLTAI5tEXAMPLEkeyId%26Action%3DDeleteDefenseRule%26DefenseType%3Dtemplate%26Format%3DJSON%26", stringToSign);
        Assert.Contains("%26Timestamp%3D2025-03-03T08%253A00%253A00Z%26Version%3D2021-10-01", stringToSign, StringComparison.Ordinal);
        Assert.Equal("y8YxLcQpUJMPg9PWq/PGqgVO5uM=", PopSignerV2.Signature("POST", parameters, Credentials));
    }

    [Fact]
    public void PopV2_IgnoresTheSignatureParameter_WhenComputingTheStringToSign()
    {
        KeyValuePair<string, string>[] parameters = [.. PopSignerV2.CommonParameters("DescribeInstance", "2021-10-01", "AK", Time, "n1")];

        Assert.Equal(PopSignerV2.StringToSign("POST", parameters), PopSignerV2.StringToSign("POST", [.. parameters, P("Signature", "abc=")]));
    }
}
