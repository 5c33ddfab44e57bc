using System.Net;
using System.Text;
using System.Text.Json;
using Ctdr.Application.LogSources;
using Ctdr.CloudEmulator;
using Ctdr.CloudEmulator.Common;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Clouds.Alibaba;

namespace Ctdr.Infrastructure.Tests.Sandbox;

/// <summary>
/// The sandbox's WAF 3.0 OpenAPI on the wire: both POP signature styles with the sandbox account's key, the time
/// window, nonce replay, and the service's error body for gateway and business errors.
/// </summary>
public sealed class WafEndpointTests
{
    private const string Host = "wafopenapi.cn-hangzhou.aliyuncs.com";
    private static readonly CloudCredentials Full = new(SandboxAccounts.Alibaba.FullAccess.AccessKeyId, SandboxAccounts.Alibaba.FullAccess.AccessKeySecret);
    private static readonly string Instance = SandboxAccounts.AlibabaWafInstanceId;

    private static KeyValuePair<string, string> P(string key, string value) => KeyValuePair.Create(key, value);

    private static byte[] Form(IEnumerable<KeyValuePair<string, string>> parameters) =>
        Encoding.UTF8.GetBytes(string.Join('&', parameters.Select(p => SigningText.PercentEncode(p.Key) + "=" + SigningText.PercentEncode(p.Value))));

    /// <summary>A V3-signed RPC call with the parameters as a form body; also answers the string to sign the client used.</summary>
    private static (HttpRequestMessage Request, string StringToSign) V3(string action, KeyValuePair<string, string>[] parameters, DateTimeOffset time, string nonce, CloudCredentials? credentials = null)
    {
        var body = Form(parameters);
        List<KeyValuePair<string, string>> headers =
            [P("host", Host), P("content-type", "application/x-www-form-urlencoded"), .. PopSignerV3.SigningHeaders(action, "2021-10-01", body, time, nonce)];
        var signable = new SignableRequest("POST", "/", [], headers, body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        foreach (var (key, value) in headers.Where(h => h.Key.StartsWith("x-acs-", StringComparison.Ordinal)))
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        request.Headers.Host = Host;
        request.Headers.TryAddWithoutValidation("Authorization", PopSignerV3.Authorization(signable, credentials ?? Full));
        return (request, PopSignerV3.StringToSign(signable, out _));
    }

    /// <summary>A V2-signed RPC call: common parameters and the signature in the query, the others as a form body.</summary>
    private static (HttpRequestMessage Request, string StringToSign) V2(string action, KeyValuePair<string, string>[] parameters, DateTimeOffset time, string nonce, CloudCredentials? credentials = null, string? drop = null)
    {
        var key = credentials ?? Full;
        var common = PopSignerV2.CommonParameters(action, "2021-10-01", key.AccessKeyId, time, nonce).Where(p => p.Key != drop).ToList();
        var signature = PopSignerV2.Signature("POST", [.. common, .. parameters], key);
        var query = string.Join('&', common.Append(P("Signature", signature)).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var request = new HttpRequestMessage(HttpMethod.Post, "/?" + query) { Content = new ByteArrayContent(Form(parameters)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        request.Headers.Host = Host;
        return (request, PopSignerV2.StringToSign("POST", [.. common, .. parameters]));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(SandboxHarness sandbox, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await sandbox.Http.SendAsync(request);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
    }

    /// <summary>The service's error body: exactly these five members, a fresh RequestId and a troubleshooting link naming it.</summary>
    private static void AssertError(JsonElement body, string code, string message)
    {
        Assert.Equal(["RequestId", "HostId", "Code", "Message", "Recommend"], body.EnumerateObject().Select(p => p.Name));
        var requestId = body.GetProperty("RequestId").GetString()!;
        Assert.Matches("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$", requestId);
        Assert.Equal(Host, body.GetProperty("HostId").GetString());
        Assert.Equal(code, body.GetProperty("Code").GetString());
        Assert.Equal(message, body.GetProperty("Message").GetString());
        Assert.Equal($"https://api.aliyun.com/troubleshoot?q={code}&product=waf-openapi&requestId={requestId}", body.GetProperty("Recommend").GetString());
    }

    [Theory]
    [InlineData("wafopenapi.cn-hangzhou.aliyuncs.com", "cn-hangzhou")]
    [InlineData("WAFOPENAPI.ap-southeast-1.aliyuncs.com.", "ap-southeast-1")]
    public void ProviderHost_RoutesTheWafOpenApiHost_ToTheWafEndpoint(string host, string region)
    {
        Assert.Equal(new Ctdr.CloudEmulator.Hosting.ProviderHost("alibaba-waf", null, region), Ctdr.CloudEmulator.Hosting.ProviderHost.Parse(host));
    }

    [Fact]
    public async Task DescribeInstance_AnswersTheSandboxInstance_WhenSignedWithV3()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V3("DescribeInstance", [P("RegionId", "cn-hangzhou")], SandboxHarness.Start, "n-v3-1").Request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Instance, body.GetProperty("InstanceId").GetString());
        Assert.Equal("cn-hangzhou", body.GetProperty("RegionId").GetString());
        Assert.Equal(1, body.GetProperty("Status").GetInt32());
    }

    [Fact]
    public async Task DescribeDomains_ListsTheTrafficDomains_WhenSignedWithV2()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V2("DescribeDomains", [P("InstanceId", Instance), P("RegionId", "cn-hangzhou")], SandboxHarness.Start, "n-v2-1").Request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("TotalCount").GetInt32());
        Assert.Equal(["shop.example.com", "api.example.com", "www.example.com"], body.GetProperty("Domains").EnumerateArray().Select(d => d.GetProperty("Domain").GetString()));
    }

    [Fact]
    public async Task Call_IsRefusedWithSignatureDoesNotMatch_WhenV3IsSignedWithAnotherSecret()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (request, stringToSign) = V3("DescribeInstance", [P("RegionId", "cn-hangzhou")], SandboxHarness.Start, "n-bad-3", new CloudCredentials(Full.AccessKeyId, "wrong-secret"));

        var (status, body) = await SendAsync(sandbox, request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "SignatureDoesNotMatch", "The request signature does not conform to Aliyun standards. server string to sign is:" + HttpWrite.Escape(stringToSign));
    }

    [Fact]
    public async Task Call_IsRefusedWithSignatureDoesNotMatch_WhenV2IsSignedWithAnotherSecret()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (request, stringToSign) = V2("DescribeInstance", [P("RegionId", "cn-hangzhou")], SandboxHarness.Start, "n-bad-2", new CloudCredentials(Full.AccessKeyId, "wrong-secret"));

        var (status, body) = await SendAsync(sandbox, request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);
    }

    [Fact]
    public async Task Call_IsRefusedWithInvalidAccessKeyIdNotFound_WhenTheKeyIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V3("DescribeInstance", [], SandboxHarness.Start, "n-key", new CloudCredentials("LTAI5tUnknownKey0000000", "x")).Request);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertError(body, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }

    [Theory]
    [InlineData("V3")]
    [InlineData("V2")]
    public async Task Call_IsRefusedWithInvalidTimeStampExpired_WhenSignedSixteenMinutesAgo(string style)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var time = SandboxHarness.Start.AddMinutes(-16);
        var request = style == "V3" ? V3("DescribeInstance", [], time, "n-old").Request : V2("DescribeInstance", [], time, "n-old").Request;

        var (status, body) = await SendAsync(sandbox, request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    }

    [Theory]
    [InlineData("V3")]
    [InlineData("V2")]
    public async Task Call_IsRefusedWithSignatureNonceUsed_WhenTheNonceIsReplayed(string style)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        HttpRequestMessage Make() => style == "V3" ? V3("DescribeInstance", [], SandboxHarness.Start, "n-replay").Request : V2("DescribeInstance", [], SandboxHarness.Start, "n-replay").Request;
        var (first, _) = await SendAsync(sandbox, Make());
        sandbox.Clock.Advance(TimeSpan.FromMinutes(5));

        var (status, body) = await SendAsync(sandbox, Make());

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }

    [Fact]
    public async Task Call_IsRefusedWithIncompleteSignature_WhenTheV3AuthorizationLacksSignedHeaders()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (request, _) = V3("DescribeInstance", [], SandboxHarness.Start, "n-inc");
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", $"ACS3-HMAC-SHA256 Credential={Full.AccessKeyId},Signature=00");

        var (status, body) = await SendAsync(sandbox, request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "IncompleteSignature",
            "The request signature does not conform to Aliyun standards. The Authorization header must be 'ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>'.");
    }

    [Fact]
    public async Task Call_IsRefusedWithMissingParameter_WhenV2HasNoTimestamp()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V2("DescribeInstance", [], SandboxHarness.Start, "n-miss", drop: "Timestamp").Request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "MissingParameter", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.");
    }

    [Fact]
    public async Task DescribeDefenseRule_IsRefusedWithMissingParameter_WhenRuleIdIsAbsent()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V3("DescribeDefenseRule", [P("InstanceId", Instance)], SandboxHarness.Start, "n-rid").Request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "MissingParameter", "The input parameter \"RuleId\" that is mandatory for processing this request is not supplied.");
    }

    [Fact]
    public async Task DescribeDefenseTemplates_IsRefusedWithInvalidInstanceIdNotFound_WhenTheInstanceIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V3("DescribeDefenseTemplates", [P("InstanceId", "waf_v3prepaid_public_cn-nope")], SandboxHarness.Start, "n-inst").Request);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertError(body, "InvalidInstanceId.NotFound", "The specified instance waf_v3prepaid_public_cn-nope does not exist.");
    }

    [Fact]
    public async Task DescribeDefenseRule_IsRefusedWithRuleNotExist_WhenTheRuleIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V3("DescribeDefenseRule", [P("InstanceId", Instance), P("RuleId", "424242")], SandboxHarness.Start, "n-rule").Request);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertError(body, "Defense.Control.RuleNotExist", "The protection rule 424242 does not exist.");
    }

    [Fact]
    public async Task CreateDefenseRule_IsRefusedWithTemplateNotExist_WhenTheTemplateIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (status, body) = await SendAsync(sandbox, V3("CreateDefenseRule",
            [P("InstanceId", Instance), P("TemplateId", "777"), P("DefenseScene", "ip_blacklist"), P("Rules", "[{\"name\":\"x\",\"remoteAddr\":[\"203.0.113.7\"],\"action\":\"block\",\"status\":1}]")],
            SandboxHarness.Start, "n-tpl").Request);

        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertError(body, "Defense.Control.TemplateNotExist", "The protection template 777 does not exist.");
    }

    [Fact]
    public async Task CreateDefenseRule_IsRefusedWithDefenseRuleOversize_WhenTheRuleHoldsMoreThan200Addresses()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var (_, template) = await SendAsync(sandbox, V3("CreateDefenseTemplate",
            [P("InstanceId", Instance), P("TemplateName", "t"), P("TemplateType", "user_default"), P("DefenseScene", "ip_blacklist"), P("TemplateOrigin", "custom"), P("TemplateStatus", "1")],
            SandboxHarness.Start, "n-q1").Request);
        var addresses = string.Join(',', Enumerable.Range(0, 201).Select(i => $"\"10.0.{i / 256}.{i % 256}\""));

        var (status, body) = await SendAsync(sandbox, V3("CreateDefenseRule",
            [P("InstanceId", Instance), P("TemplateId", template.GetProperty("TemplateId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)), P("DefenseScene", "ip_blacklist"),
             P("Rules", $"[{{\"name\":\"big\",\"remoteAddr\":[{addresses}],\"action\":\"block\",\"status\":1}}]")],
            SandboxHarness.Start, "n-q2").Request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "Defense.Control.DefenseRuleOversize", "An IP blacklist rule holds at most 200 addresses; this one has 201.");
        Assert.Empty(sandbox.Cloud.State.Waf.Read(i => i.Single().Rules.Values.ToList()));
    }
}
