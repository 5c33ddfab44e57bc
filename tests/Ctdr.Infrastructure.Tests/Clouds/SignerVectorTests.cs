using System.Text;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Clouds.Alibaba;
using Ctdr.Infrastructure.Clouds.Huawei;
using Ctdr.Infrastructure.Clouds.Tencent;

namespace Ctdr.Infrastructure.Tests.Clouds;

/// <summary>
/// Each signer against published vectors. [V] = the expected value is printed in the cited source and our signer
/// reproduces it; [C] = computed here with an independent implementation (see the comment at the case).
/// </summary>
public sealed class SignerVectorTests
{
    private static KeyValuePair<string, string> P(string key, string value) => KeyValuePair.Create(key, value);

    private static SignableRequest Request(string method, string path, KeyValuePair<string, string>[]? query = null, KeyValuePair<string, string>[]? headers = null, string body = "") =>
        new(method, path, query ?? [], headers ?? [], Encoding.UTF8.GetBytes(body));

    // [V] aliyun/aliyun-log-go-sdk signature_test.go TestSignatureGet / signer_v4_test.go TestSignV1Case1.
    [Fact]
    public void SlsV1_ReproducesGoSdkVector_WhenGetWithoutBody()
    {
        var request = Request("GET", "/logstores", headers:
        [
            P("x-log-apiversion", "0.6.0"), P("x-log-signaturemethod", "hmac-sha1"), P("x-log-bodyrawsize", "0"),
            P("Date", "Mon, 3 Jan 2010 08:33:47 GMT"),
        ]);

        Assert.Equal(
            "GET\n\n\nMon, 3 Jan 2010 08:33:47 GMT\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:0\nx-log-signaturemethod:hmac-sha1\n/logstores",
            SlsSignerV1.StringToSign(request));
        Assert.Equal("LOG mockAccessKeyID:Rwm6cTKzoti4HWoe+GKcb6Kv07E=",
            SlsSignerV1.Authorization(request, new CloudCredentials("mockAccessKeyID", "mockAccessKeySecret")));
    }

    // [V] aliyun/aliyun-log-go-sdk signer_v4_test.go TestSignV1Case2: a protobuf body with Content-MD5 and Content-Type.
    [Fact]
    public void SlsV1_ReproducesGoSdkVector_WhenBodyHasContentMd5AndType()
    {
        byte[] body =
        [
            10, 50, 10, 30, 8, 248, 178, 147, 158, 5, 18, 22, 10, 7, 84, 101, 115, 116, 75, 101, 121, 18, 11, 84, 101, 115, 116,
            67, 111, 110, 116, 101, 110, 116, 26, 0, 34, 14, 49, 48, 46, 50, 51, 48, 46, 50, 48, 49, 46, 49, 49, 55,
        ];
        var request = new SignableRequest("GET", "/logstores/app_log", [],
        [
            P("x-log-apiversion", "0.6.0"), P("x-log-signaturemethod", "hmac-sha1"), P("x-log-bodyrawsize", "50"),
            P("Content-MD5", SlsSignerV1.ContentMd5(body)), P("Content-Type", "application/x-protobuf"), P("Content-Length", "50"),
            P("Date", "Mon, 3 Jan 2010 08:33:47 GMT"),
        ], body);

        Assert.Equal("LOG mockAccessKeyID:87xQWqFaOSewqRIma8kPjGYlXHc=",
            SlsSignerV1.Authorization(request, new CloudCredentials("mockAccessKeyID", "mockAccessKeySecret")));
    }

    // [C] cloud-protocols.md §1.2 GetLogs vector (computed by an independent implementation that reproduces the Go vector).
    [Fact]
    public void SlsV1_ReproducesGetLogsVector_WhenQueryHasParameters()
    {
        var request = Request("GET", "/logstores/wafnew-logstore",
            query:
            [
                P("type", "log"), P("from", "1740988800"), P("to", "1740992400"), P("query", "final_action:block"),
                P("line", "100"), P("offset", "0"), P("reverse", "false"),
            ],
            headers:
            [
                P("x-log-apiversion", "0.6.0"), P("x-log-bodyrawsize", "0"), P("x-log-signaturemethod", "hmac-sha1"),
                P("Date", "Mon, 03 Mar 2025 08:00:00 GMT"), P("Host", "wafnew-project-1335759343513432-cn-hangzhou.cn-hangzhou.log.aliyuncs.com"),
            ]);

        Assert.Equal(
            "GET\n\n\nMon, 03 Mar 2025 08:00:00 GMT\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:0\nx-log-signaturemethod:hmac-sha1\n"
            + "/logstores/wafnew-logstore?from=1740988800&line=100&offset=0&query=final_action:block&reverse=false&to=1740992400&type=log",
            SlsSignerV1.StringToSign(request));
        Assert.Equal("LOG LTAI5tEXAMPLEkeyId:UFmOEJuiv6PsuXyGmG+7+ftMtTU=",
            SlsSignerV1.Authorization(request, new CloudCredentials("LTAI5tEXAMPLEkeyId", "EXAMPLEsecretKEY0123456789abcd")));
    }

    private static readonly CloudCredentials V4Credentials = new("acsddda21dsd", "zxasdasdasw2");
    private static readonly DateTimeOffset V4Time = new(2022, 8, 8, 3, 23, 30, TimeSpan.Zero);

    private static KeyValuePair<string, string>[] V4Params() => [P(" abc", "efg"), P(" agc ", ""), P(string.Empty, "efg"), P("A-bc", "eFg")];

    private static KeyValuePair<string, string>[] V4Headers(string body) =>
    [
        P("hello", "world"), P("hello-Text", "a12X- "), P(" Ko ", string.Empty), P("x-log-test", "het123"), P("x-acs-ppp", "dds"),
        .. SlsSignerV4.SigningHeaders(Encoding.UTF8.GetBytes(body), V4Time),
    ];

    // [V] aliyun/aliyun-log-python-sdk tests/unit/test_auth.py (also aliyun-log-go-sdk signer_v4_test.go TestSignV4Case2).
    [Fact]
    public void SlsV4_ReproducesSdkVector_WhenNoParametersOrHeaders()
    {
        const string body = "adasd= -asd zcas";
        var request = Request("POST", "/logstores", headers: SlsSignerV4.SigningHeaders(Encoding.UTF8.GetBytes(body), V4Time), body: body);

        Assert.Equal(
            "SLS4-HMAC-SHA256 Credential=acsddda21dsd/20220808/cn-shanghai/sls/aliyun_v4_request,Signature=8a10a5e723cb2e75964816de660b2c16a58af8bc0261f7f0722d832468c76ce8",
            SlsSignerV4.Authorization(request, V4Credentials, "cn-shanghai"));
    }

    // [V] aliyun/aliyun-log-python-sdk tests/unit/test_auth.py: test_sign_post_logstores, test_sign_post_empty_body,
    // test_sign_get_empty_body, test_sign_post_with_extra_params.
    [Theory]
    [InlineData("POST", "/logstores", "adasd= -asd zcas", false, "a98f5632e93836e63839cd836a54055f480020a9364ca944e2d34f2eb9bf1bed")]
    [InlineData("POST", "/logstores", "", false, "5a66d8f8051983e0e9d08e0f960ef9252ef971eead5bb5c7acec8617a2eb2701")]
    [InlineData("GET", "/logstores", "", false, "d92741852500791d662a8d469ff61627c0559ecd86c3f59b7bf6772b6c62666a")]
    [InlineData("POST", "/logstores/hello/a+*~bb/cc", "adasd= -asd zcas", true, "2c204068e961a8813a6bcf7ac422f7fa6e9bf9a5da493e0165dfe100854d18ff")]
    public void SlsV4_ReproducesPythonSdkVectors_WhenParametersAndHeadersVary(string method, string path, string body, bool extraParams, string signature)
    {
        KeyValuePair<string, string>[] query = extraParams
            ? [.. V4Params(), P("abs-ij*asd/vc", "a~js+d ada"), P("a abAas123/vc", "a~jdad a2ADFs+d ada")]
            : V4Params();
        var request = Request(method, path, query, V4Headers(body), body);

        Assert.Equal(
            $"SLS4-HMAC-SHA256 Credential=acsddda21dsd/20220808/cn-hangzhou/sls/aliyun_v4_request,Signature={signature}",
            SlsSignerV4.Authorization(request, V4Credentials, "cn-hangzhou"));
    }

    // [V] huaweicloud/huaweicloud-sdk-go-v3 core/auth/signer/signer_test.go TestSigner_Sign. That SDK leaves
    // Content-Type and headers with an underscore out of the signed set, so only X-Sdk-Date is signed; the Go JSON
    // encoder ends the body with a newline.
    [Theory]
    [InlineData("GET", "limit", "1", "", "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624")]
    [InlineData("POST", "key", "value", "{\"Name\":\"test\",\"Id\":1}\n", "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59")]
    public void Huawei_ReproducesGoSdkVectors(string method, string queryKey, string queryValue, string body, string signature)
    {
        var request = Request(method, "/path", [P(queryKey, queryValue)], [P("X-Sdk-Date", "20060102T150405Z")], body);

        Assert.Equal($"SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature={signature}",
            HuaweiSigner.Authorization(request, new CloudCredentials("AccessKey", "SecretKey")));
    }

    // [V] Huawei APIG Python signer unit test (test_CanonicalRequest, test_StringToSign): canonical URI ends in "/",
    // and the string to sign of a given canonical request (the test's literal, indentation included).
    [Fact]
    public void Huawei_CanonicalRequestAndStringToSign_MatchApigSignerTests()
    {
        var request = Request("POST", "/app1", [P("a", "1")], [P("x-stage", "RELEASE")], "body");

        Assert.Equal(
            "POST\n/app1/\na=1\nx-stage:RELEASE\n\nx-stage\n230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5",
            HuaweiSigner.CanonicalRequest(request, out var signed));
        Assert.Equal("x-stage", signed);

        const string indented = "POST\n            /app1%3Fa%3D1/\n            a=1\n            host:30030113-3657-4fb6-a7ef-90764239b038.apigw.cn-north-1.huaweicloud.com\n"
            + "            x-sdk-date:20240326T030801Z\n            x-stage:RELEASE\n            \n            host;x-sdk-date;x-stage\n"
            + "            230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5";
        Assert.Equal("SDK-HMAC-SHA256\n20240326T030801Z\n5847720941657701137ad8098b63585092cea7d982e14b2efd0a668460f2da2a",
            HuaweiSigner.StringToSign(indented, "20240326T030801Z"));
    }

    // [V] Tencent Cloud API 3.0 "Signature v3" document, worked example (CVM DescribeInstances, ap-guangzhou,
    // X-TC-Timestamp 1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE): the payload hash, the canonical
    // request hash and the signature are printed there.
    [Fact]
    public void Tc3_ReproducesDocumentWorkedExample()
    {
        const string body = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
        var request = Request("POST", "/", headers: [P("Content-Type", "application/json; charset=utf-8"), P("Host", "cvm.tencentcloudapi.com")], body: body);

        var canonical = Tc3Signer.CanonicalRequest(request, out var signed);
        Assert.Equal(
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
            + "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
            canonical);
        Assert.Equal("content-type;host", signed);
        Assert.Equal("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
            Tc3Signer.StringToSign(canonical, 1551113065, "cvm"));
        Assert.Equal(
            "TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "
            + "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            Tc3Signer.Authorization(request, new CloudCredentials("AKID**********************0123456789EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"), "cvm", 1551113065));
    }

    [Fact]
    public void PercentEncode_FollowsRfc3986_LikeTheSdks()
    {
        // [V] aliyun-log-go-sdk TestSignV4Case6 / python test_v4_uri_encode_*.
        Assert.Equal("123abc%21%40%23%24%25%5E%26%2A%28%29-%3D_%2B%20~%7C%5C%2F", SigningText.PercentEncode("123abc!@#$%^&*()-=_+ ~|\\/"));
        Assert.Equal("%21%40%23%24%25%5E%26%2A%28%29%3D-%2B%20~.%2F_%5B%28%29%5D%2520%E4%BD%A0%E5%A5%BD%00%C4%91%E2%9D%A4%F0%9F%98%93",
            SigningText.PercentEncode("!@#$%^&*()=-+ ~./_[()]%20你好\0đ❤😓"));
    }
}
