using System.Security.Cryptography;
using System.Text;
using Ctdr.CloudEmulator.Alibaba;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Huawei;
using Ctdr.CloudEmulator.Tencent;

namespace Ctdr.Infrastructure.Tests.Sandbox;

/// <summary>
/// The sandbox's signature verifiers reproduce the providers' published vectors. Sources:
/// SLS V1 and V4: aliyun/aliyun-log-go-sdk@210ae4b signature_test.go and signature_v4_test.go;
/// SLS GetLogs V1: cloud-protocols.md §1.2 (computed, independent re-implementation);
/// Huawei APIG: huaweicloud/huaweicloud-sdk-go-v3@1cd70eb core/auth/signer/signer_test.go;
/// Tencent TC3: the worked CVM DescribeInstances example of Tencent Cloud's "Signature v3" API documentation.
/// </summary>
public sealed class SignatureVectorTests
{
    private static List<KeyValuePair<string, string>> Pairs(params (string Key, string Value)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList();

    [Fact]
    public void SlsV1_ReproducesGoSdkVector_WhenGetLogstores()
    {
        var request = new SignedRequest("GET", "/logstores", [], Pairs(
            ("x-log-apiversion", "0.6.0"), ("x-log-signaturemethod", "hmac-sha1"), ("x-log-bodyrawsize", "0"), ("Date", "Mon, 3 Jan 2010 08:33:47 GMT"),
            ("Authorization", "LOG mockAccessKeyID:Rwm6cTKzoti4HWoe+GKcb6Kv07E=")), []);

        Assert.Equal("Rwm6cTKzoti4HWoe+GKcb6Kv07E=", SlsSignatureV1.Sign("mockAccessKeySecret", SlsSignatureV1.StringToSign(request)));
        var authorization = SlsAuthorization.Parse(request.Header("Authorization"))!;
        Assert.Equal("mockAccessKeyID", authorization.AccessKeyId);
        Assert.True(SlsSignatureV1.Verify(request, "mockAccessKeySecret", authorization.Signature, out _));
        Assert.False(SlsSignatureV1.Verify(request, "otherSecret", authorization.Signature, out _));
    }

    [Fact]
    public void SlsV1_ReproducesGoSdkVector_WhenBodyIsProtobuf()
    {
        byte[] body = [10, 50, 10, 30, 8, 248, 178, 147, 158, 5, 18, 22, 10, 7, 84, 101, 115, 116, 75, 101, 121, 18, 11, 84, 101, 115, 116, 67, 111,
            110, 116, 101, 110, 116, 26, 0, 34, 14, 49, 48, 46, 50, 51, 48, 46, 50, 48, 49, 46, 49, 49, 55];
#pragma warning disable CA5351 // Content-MD5 is what the SLS protocol signs.
        var md5 = Convert.ToHexString(MD5.HashData(body));
#pragma warning restore CA5351
        var request = new SignedRequest("GET", "/logstores/app_log", [], Pairs(
            ("x-log-apiversion", "0.6.0"), ("x-log-signaturemethod", "hmac-sha1"), ("x-log-bodyrawsize", "50"), ("Content-MD5", md5),
            ("Content-Type", "application/x-protobuf"), ("Content-Length", "50"), ("Date", "Mon, 3 Jan 2010 08:33:47 GMT")), body);

        Assert.Equal("87xQWqFaOSewqRIma8kPjGYlXHc=", SlsSignatureV1.Sign("mockAccessKeySecret", SlsSignatureV1.StringToSign(request)));
    }

    [Fact]
    public void SlsV1_ReproducesGetLogsVector_WithRawQueryValues()
    {
        var request = new SignedRequest("GET", "/logstores/wafnew-logstore", Pairs(
                ("type", "log"), ("from", "1740988800"), ("to", "1740992400"), ("query", "final_action:block"), ("line", "100"), ("offset", "0"), ("reverse", "false")),
            Pairs(("x-log-apiversion", "0.6.0"), ("x-log-bodyrawsize", "0"), ("x-log-signaturemethod", "hmac-sha1"), ("Date", "Mon, 03 Mar 2025 08:00:00 GMT")), []);

        var stringToSign = SlsSignatureV1.StringToSign(request);

        Assert.Equal(
            "GET\n\n\nMon, 03 Mar 2025 08:00:00 GMT\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:0\nx-log-signaturemethod:hmac-sha1\n"
            + "/logstores/wafnew-logstore?from=1740988800&line=100&offset=0&query=final_action:block&reverse=false&to=1740992400&type=log",
            stringToSign);
        Assert.Equal("UFmOEJuiv6PsuXyGmG+7+ftMtTU=", SlsSignatureV1.Sign("EXAMPLEsecretKEY0123456789abcd", stringToSign));
    }

    [Fact]
    public void SlsV1_AcceptsLogDateCopiedAfterSigning_AsThePythonSdkSends()
    {
        var headers = Pairs(("x-log-apiversion", "0.6.0"), ("x-log-signaturemethod", "hmac-sha1"), ("x-log-bodyrawsize", "0"), ("Date", "Mon, 3 Jan 2010 08:33:47 GMT"));
        headers.Add(new("x-log-date", "Mon, 3 Jan 2010 08:33:47 GMT"));
        var request = new SignedRequest("GET", "/logstores", [], headers, []);

        Assert.True(SlsSignatureV1.Verify(request, "mockAccessKeySecret", "Rwm6cTKzoti4HWoe+GKcb6Kv07E=", out _));
    }

    [Theory]
    [InlineData("cn-shanghai", false, "POST", "adasd= -asd zcas", "8a10a5e723cb2e75964816de660b2c16a58af8bc0261f7f0722d832468c76ce8")]
    [InlineData("cn-hangzhou", true, "POST", "adasd= -asd zcas", "a98f5632e93836e63839cd836a54055f480020a9364ca944e2d34f2eb9bf1bed")]
    [InlineData("cn-hangzhou", true, "POST", "", "5a66d8f8051983e0e9d08e0f960ef9252ef971eead5bb5c7acec8617a2eb2701")]
    [InlineData("cn-hangzhou", true, "GET", "", "d92741852500791d662a8d469ff61627c0559ecd86c3f59b7bf6772b6c62666a")]
    public void SlsV4_ReproducesGoSdkVectors(string region, bool withParamsAndHeaders, string method, string body, string expected)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var headers = Pairs(("x-log-date", "20220808T032330Z"), ("x-log-content-sha256", body.Length == 0 ? SlsSignatureV4.EmptySha256 : Convert.ToHexStringLower(SHA256.HashData(bodyBytes))));
        var query = new List<KeyValuePair<string, string>>();
        if (withParamsAndHeaders)
        {
            // Unsigned headers (hello, hello-Text, " Ko ", "") stay out; x-log-* and x-acs-* are signed.
            headers.AddRange(Pairs(("hello", "world"), ("hello-Text", "a12X- "), (" Ko ", ""), ("x-log-test", "het123"), ("x-acs-ppp", "dds")));
            query.AddRange(Pairs((" abc", "efg"), (" agc ", ""), ("", "efg"), ("A-bc", "eFg")));
        }

        var request = new SignedRequest(method, "/logstores", query, headers, bodyBytes);
        var authorization = SlsAuthorization.Parse($"SLS4-HMAC-SHA256 Credential=acsddda21dsd/20220808/{region}/sls/aliyun_v4_request,Signature={expected}")!;

        var stringToSign = SlsSignatureV4.StringToSign("20220808T032330Z", SlsSignatureV4.Scope("20220808", region), SlsSignatureV4.CanonicalRequest(request));
        Assert.Equal(expected, SlsSignatureV4.Sign("zxasdasdasw2", "20220808", region, stringToSign));
        Assert.True(SlsSignatureV4.Verify(request, "zxasdasdasw2", authorization, out _));
    }

    [Fact]
    public void HuaweiApig_ReproducesGoSdkVector_WhenGetWithQuery()
    {
        var request = new SignedRequest("GET", "/path", Pairs(("limit", "1")), Pairs(("X-Sdk-Date", "20060102T150405Z"), ("TEST_UNDERSCORE", "TEST_VALUE")), []);
        var authorization = ApigAuthorization.Parse("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624")!;

        Assert.Equal("/path/", ApigSignature.CanonicalUri("/path"));
        Assert.True(ApigSignature.Verify(request, "SecretKey", authorization));
        Assert.False(ApigSignature.Verify(request, "OtherKey", authorization));
    }

    [Fact]
    public void HuaweiApig_ReproducesGoSdkVector_WhenPostWithJsonBody()
    {
        // The Go SDK serialises the body with json.Encoder, which ends it with a newline.
        var body = Encoding.UTF8.GetBytes("{\"Name\":\"test\",\"Id\":1}\n");
        var request = new SignedRequest("POST", "/path", Pairs(("key", "value")),
            Pairs(("X-Sdk-Date", "20060102T150405Z"), ("TEST_UNDERSCORE", "TEST_VALUE"), ("Content-Type", "application/json")), body);
        var authorization = ApigAuthorization.Parse("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59")!;

        Assert.Equal("AccessKey", authorization.AccessKey);
        Assert.Equal(["x-sdk-date"], authorization.SignedHeaders);
        Assert.True(ApigSignature.Verify(request, "SecretKey", authorization));
    }

    [Fact]
    public void TencentTc3_ReproducesDocumentedCvmExample()
    {
        var body = Encoding.UTF8.GetBytes("{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}");
        var request = new SignedRequest("POST", "/", [], Pairs(
            ("Content-Type", "application/json; charset=utf-8"), ("Host", "cvm.tencentcloudapi.com"), ("X-TC-Action", "DescribeInstances"),
            ("X-TC-Timestamp", "1551113065"), ("X-TC-Version", "2017-03-12"), ("X-TC-Region", "ap-guangzhou")), body);
        var authorization = Tc3Authorization.Parse("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")!;

        var canonical = Tc3Signature.CanonicalRequest(request, authorization.SignedHeaders);
        Assert.Equal("POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", canonical);
        var stringToSign = Tc3Signature.StringToSign("1551113065", "2019-02-25", "cvm", canonical);
        Assert.EndsWith("\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", stringToSign, StringComparison.Ordinal);
        Assert.Equal("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", Tc3Signature.Sign("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "2019-02-25", "cvm", stringToSign));
        Assert.True(Tc3Signature.Verify(request, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", authorization, "1551113065"));
    }

    // [C] cloud-protocols.md §2.2: CreateDefenseRule with the rule in the query and an empty body.
    [Fact]
    public void PopV3_ReproducesCreateDefenseRuleVector()
    {
        const string rules = "[{\"name\":\"ctdr-block-203.0.113.7\",\"remoteAddr\":[\"203.0.113.7\"],\"action\":\"block\",\"status\":1,\"origin\":\"custom\"}]";
        var request = new SignedRequest("POST", "/", Pairs(
                ("InstanceId", "waf_v3prepaid_public_cn-xxxx"), ("DefenseScene", "ip_blacklist"), ("Rules", rules), ("TemplateId", "12345"), ("RegionId", "cn-hangzhou"),
                ("DefenseType", "template")),
            Pairs(("Host", "wafopenapi.cn-hangzhou.aliyuncs.com"), ("x-acs-action", "CreateDefenseRule"), ("x-acs-version", "2021-10-01"), ("x-acs-date", "2025-03-03T08:00:00Z"),
                ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"), ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")), []);
        var authorization = PopV3Authorization.Parse(
            "ACS3-HMAC-SHA256 Credential=LTAI5tEXAMPLEkeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
            + "Signature=641be24c552a1ec28b5e5a58240f5b22e60eaba8fad2465bc5d155bafdd5553e")!;

        var stringToSign = PopSignatureV3.StringToSign(PopSignatureV3.CanonicalRequest(request, authorization.SignedHeaders));

        Assert.Equal("LTAI5tEXAMPLEkeyId", authorization.AccessKeyId);
        Assert.Equal("ACS3-HMAC-SHA256\n6d6eea14f2a6c8cbffc0c36a776417a7d05a319573c837529ee3fa8fc66b1faf", stringToSign);
        Assert.Equal(authorization.Signature, PopSignatureV3.Sign("EXAMPLEsecretKEY0123456789abcd", stringToSign));
    }

    // [C] cloud-protocols.md §2.3: DeleteDefenseRule, RPC signature V2.
    [Fact]
    public void PopV2_ReproducesDeleteDefenseRuleVector()
    {
        var parameters = Pairs(
            ("Action", "DeleteDefenseRule"), ("Version", "2021-10-01"), ("Format", "JSON"), ("AccessKeyId", "LTAI5tEXAMPLEkeyId"), ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"), ("SignatureNonce", "15215528852396"), ("Timestamp", "2025-03-03T08:00:00Z"), ("InstanceId", "waf_v3prepaid_public_cn-xxxx"),
            ("TemplateId", "12345"), ("RuleIds", "20001"), ("DefenseType", "template"), ("RegionId", "cn-hangzhou"), ("Signature", "y8YxLcQpUJMPg9PWq/PGqgVO5uM="));

        Assert.Equal("y8YxLcQpUJMPg9PWq/PGqgVO5uM=", PopSignatureV2.Sign("EXAMPLEsecretKEY0123456789abcd", PopSignatureV2.StringToSign("POST", parameters)));
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero), PopSignatureV2.ParseTimestamp("2025-03-03T08:00:00Z"));
    }
}
