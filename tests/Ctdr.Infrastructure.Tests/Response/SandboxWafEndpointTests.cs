using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Tests.Sandbox;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>
/// The sandbox's Huawei and Tencent WAF APIs on the wire: requests signed here from the providers' documentation
/// (independently of the product's signers), answers and error bodies compared exactly.
/// </summary>
public sealed class SandboxWafEndpointTests
{
    private const string HuaweiWafHost = "waf.cn-north-4.myhuaweicloud.com";
    private static readonly string ProjectId = SandboxAccounts.Huawei.ProjectId;
    private static readonly string PolicyId = SandboxWafs.Huawei.PolicyId;
    private static readonly string RulesPath = $"/v1/{ProjectId}/waf/policy/{PolicyId}/whiteblackip";
    private static readonly string[] AttackerOnly = ["203.0.113.7"];
    private static readonly long[] FirstRule = [55000001];

    [Fact]
    public async Task HuaweiListPolicy_AnswersThePolicyAndItsHosts_WhenSignedWithTheProjectsKey()
    {
        await using var rig = await WafRig.StartAsync();

        var (status, body, _) = await HuaweiAsync(rig, HttpMethod.Get, $"/v1/{ProjectId}/waf/policy");

        Assert.Equal(HttpStatusCode.OK, status);
        var policy = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal((1, PolicyId, "policy_sandbox_web"), (body.GetProperty("total").GetInt32(), policy.GetProperty("id").GetString(), policy.GetProperty("name").GetString()));
        Assert.Equal(["shop.example.com", "api.example.com", "www.example.com"], policy.GetProperty("bind_host").EnumerateArray().Select(h => h.GetProperty("hostname").GetString()));
    }

    [Fact]
    public async Task HuaweiWaf_Answers401WithTheGatewayBody_WhenTheSignatureIsWrong()
    {
        await using var rig = await WafRig.StartAsync();

        var (status, body, requestId) = await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "ctdr_203_0_113_7", addr = "203.0.113.7", white = 0 }, secret: "NotTheSecretKey");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal($$"""{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"{{requestId}}"}""", body.GetRawText());
        Assert.Empty(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
    }

    [Fact]
    public async Task HuaweiCreateRule_Answers400_WhenTheAddressIsAlreadyInARuleOfThePolicy()
    {
        await using var rig = await WafRig.StartAsync();
        var (created, rule, _) = await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "first", addr = "203.0.113.7", white = 0 });

        var (status, body, _) = await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "second", addr = "203.0.113.7/32", white = 1 });

        Assert.Equal((HttpStatusCode.OK, "203.0.113.7", 0, "permanent"), (created, rule.GetProperty("addr").GetString(), rule.GetProperty("white").GetInt32(), rule.GetProperty("time_mode").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($$"""{"error_code":"WAF.00021003","error_msg":"The IP address 203.0.113.7/32 already exists in a blacklist or whitelist rule of policy {{PolicyId}}"}""", body.GetRawText());
    }

    [Fact]
    public async Task HuaweiCreateRule_Answers400_WhenThePolicyQuotaIsReached()
    {
        await using var rig = await WafRig.StartAsync(quota: 2);
        await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "one", addr = "203.0.113.1", white = 0 });
        await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "two", addr = "203.0.113.2", white = 0 });

        var (status, body, _) = await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "three", addr = "203.0.113.3", white = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"error_code":"WAF.00022002","error_msg":"The number of blacklist and whitelist rules of the policy has reached the upper limit 2"}""", body.GetRawText());
    }

    [Theory]
    [InlineData("""{"name":"x","addr":"203.0.113.300","white":0}""", "Invalid addr 203.0.113.300: enter a standard IP address or range, e.g. 42.123.120.66 or 42.123.120.0/16")]
    [InlineData("""{"name":"x","addr":"0.0.0.0/0","white":0}""", "Invalid addr 0.0.0.0/0: the whole address space cannot be blacklisted or whitelisted")]
    [InlineData("""{"name":"bad name","addr":"203.0.113.7","white":0}""", "name is required: at most 64 letters, digits, '-', '_' and '.'")]
    [InlineData("""{"name":"x","addr":"203.0.113.7","white":0,"time_mode":"customize","start":1772442000}""", "terminal is required with time_mode customize (a Unix timestamp in seconds)")]
    public async Task HuaweiCreateRule_Answers400WithTheParameterError_WhenTheBodyIsInvalid(string json, string message)
    {
        await using var rig = await WafRig.StartAsync();

        var (status, body, _) = await HuaweiAsync(rig, HttpMethod.Post, RulesPath, JsonDocument.Parse(json).RootElement);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("WAF.00021005", message), (body.GetProperty("error_code").GetString(), body.GetProperty("error_msg").GetString()));
    }

    [Fact]
    public async Task HuaweiWaf_Answers404_WhenThePolicyOrTheRuleDoesNotExist()
    {
        await using var rig = await WafRig.StartAsync();

        var (policyStatus, policyBody, _) = await HuaweiAsync(rig, HttpMethod.Get, $"/v1/{ProjectId}/waf/policy/0000aaaa0000bbbb0000cccc0000dddd/whiteblackip");
        var (ruleStatus, ruleBody, _) = await HuaweiAsync(rig, HttpMethod.Delete, $"{RulesPath}/ffff");

        Assert.Equal((HttpStatusCode.NotFound, """{"error_code":"WAF.00021001","error_msg":"The policy 0000aaaa0000bbbb0000cccc0000dddd does not exist"}"""), (policyStatus, policyBody.GetRawText()));
        Assert.Equal((HttpStatusCode.NotFound, $$"""{"error_code":"WAF.00021001","error_msg":"The rule ffff does not exist in policy {{PolicyId}}"}"""), (ruleStatus, ruleBody.GetRawText()));
    }

    [Fact]
    public async Task HuaweiIam_AnswersTheProjectOfTheRegion_WhenSigned()
    {
        await using var rig = await WafRig.StartAsync();

        var (status, body, _) = await HuaweiAsync(rig, HttpMethod.Get, "/v3/projects", query: "name=cn-north-4", host: "iam.cn-north-4.myhuaweicloud.com");

        Assert.Equal(HttpStatusCode.OK, status);
        var project = Assert.Single(body.GetProperty("projects").EnumerateArray());
        Assert.Equal((ProjectId, "cn-north-4"), (project.GetProperty("id").GetString(), project.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task TencentDescribeInstances_AnswersTheInstance_WhenSignedForWaf()
    {
        await using var rig = await WafRig.StartAsync();

        var body = await TencentAsync(rig, "DescribeInstances", new { Offset = 0, Limit = 20 });

        var response = body.GetProperty("Response");
        var instance = Assert.Single(response.GetProperty("Instances").EnumerateArray());
        Assert.Equal((1, SandboxWafs.Tencent.InstanceId, "sparta-waf"), (response.GetProperty("Total").GetInt32(), instance.GetProperty("InstanceId").GetString(), instance.GetProperty("Edition").GetString()));
        Assert.True(response.TryGetProperty("RequestId", out _));
    }

    [Theory]
    [InlineData("NotTheSecretKey", "waf", "The provided credentials could not be validated. Please check your signature is correct.")]
    [InlineData(null, "cls", "The provided credentials could not be validated. Please check your signature is correct. (the credential service is cls, not waf)")]
    public async Task TencentWaf_AnswersSignatureFailure_WhenTheSignatureDoesNotHold(string? secret, string service, string message)
    {
        await using var rig = await WafRig.StartAsync();

        var body = await TencentAsync(rig, "CreateIpAccessControl", Block("203.0.113.7"), secret, service);

        var requestId = body.GetProperty("Response").GetProperty("RequestId").GetString();
        Assert.Equal($$$"""{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"{{{message}}}"},"RequestId":"{{{requestId}}}"}}""", body.GetRawText());
        Assert.Empty(rig.Cloud.State.TencentWafs[SandboxAccounts.Tencent.AppId].Describe("shop.example.com"));
    }

    [Fact]
    public async Task TencentCreateIpAccessControl_AnswersResourceInUse_WhenTheAddressIsAlreadyListed()
    {
        await using var rig = await WafRig.StartAsync();
        var first = await TencentAsync(rig, "CreateIpAccessControl", Block("203.0.113.7"));

        var second = await TencentAsync(rig, "CreateIpAccessControl", Block("203.0.113.7"));

        Assert.Equal(55000001, first.GetProperty("Response").GetProperty("RuleId").GetInt64());
        Assert.Equal(("ResourceInUse", "The IP 203.0.113.7 already exists in the blocklist of shop.example.com (rule 55000001)."), Error(second));
    }

    [Fact]
    public async Task TencentCreateIpAccessControl_AnswersLimitExceeded_WhenTheDomainQuotaWouldBeExceeded()
    {
        await using var rig = await WafRig.StartAsync(quota: 2);

        var body = await TencentAsync(rig, "CreateIpAccessControl", Block("203.0.113.1", "203.0.113.2", "203.0.113.3"));

        Assert.Equal(("LimitExceeded", "The IP blocklist/allowlist of shop.example.com would exceed its quota of 2 entries."), Error(body));
    }

    [Theory]
    [InlineData("waf_nope", "shop.example.com", "The WAF instance waf_nope does not exist.")]
    [InlineData("waf_sandbox00000001", "shop.example.org", "The domain shop.example.org is not protected by a WAF instance of this account.")]
    public async Task TencentCreateIpAccessControl_AnswersResourceNotFound_WhenTheInstanceOrDomainIsUnknown(string instanceId, string domain, string message)
    {
        await using var rig = await WafRig.StartAsync();

        var body = await TencentAsync(rig, "CreateIpAccessControl", new
        {
            InstanceId = instanceId,
            Domain = domain,
            Edition = "sparta-waf",
            IpList = AttackerOnly,
            ActionType = 42,
            SourceType = "custom",
            Note = "n",
        });

        Assert.Equal(("ResourceNotFound", message), Error(body));
    }

    [Fact]
    public async Task TencentDescribeIpAccessControl_ListsTheEntry_AndDeleteIpAccessControlV2RemovesIt()
    {
        await using var rig = await WafRig.StartAsync();
        await TencentAsync(rig, "CreateIpAccessControl", Block("203.0.113.7"));

        var listed = await TencentAsync(rig, "DescribeIpAccessControl", new { Domain = "shop.example.com", ActionType = 42, Ip = "203.0.113.7", OffSet = 0, Limit = 20 });
        var deleted = await TencentAsync(rig, "DeleteIpAccessControlV2", new { Domain = "shop.example.com", RuleIds = FirstRule, ActionType = 42 });
        var missing = await TencentAsync(rig, "DeleteIpAccessControlV2", new { Domain = "shop.example.com", RuleIds = FirstRule, ActionType = 42 });

        var entry = Assert.Single(listed.GetProperty("Response").GetProperty("Data").GetProperty("Res").EnumerateArray());
        Assert.Equal((55000001L, "203.0.113.7", 42, 1), (entry.GetProperty("RuleId").GetInt64(), entry.GetProperty("Ip").GetString(), entry.GetProperty("ActionType").GetInt32(), entry.GetProperty("ValidStatus").GetInt32()));
        Assert.Equal(0, deleted.GetProperty("Response").GetProperty("FailedCount").GetInt32());
        Assert.Equal(1, missing.GetProperty("Response").GetProperty("FailedCount").GetInt32());
    }

    [Fact]
    public async Task TencentWaf_AnswersNoSuchVersion_WhenTheVersionIsNotWafs()
    {
        await using var rig = await WafRig.StartAsync();

        var body = await TencentAsync(rig, "DescribeInstances", new { }, version: "2020-10-16");

        Assert.Equal(("NoSuchVersion", "The API version `2020-10-16` does not exist for waf; use 2018-01-25."), Error(body));
    }

    [Fact]
    public async Task ControlApi_ShowsWhatTheWafApisPutInForce_PerPolicyAndPerDomain()
    {
        await using var rig = await WafRig.StartAsync();
        var (_, rule, _) = await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "r", addr = "203.0.113.7", white = 0 });
        await HuaweiAsync(rig, HttpMethod.Post, RulesPath, new { name = "allowed", addr = "192.0.2.10", white = 1 });
        await TencentAsync(rig, "CreateIpAccessControl", Block("198.51.100.9"));

        var huawei = JsonDocument.Parse(await rig.Control.GetStringAsync($"/_sandbox/blocklist/huawei/{ProjectId}")).RootElement;
        var tencent = JsonDocument.Parse(await rig.Control.GetStringAsync($"/_sandbox/blocklist/tencent/{SandboxAccounts.Tencent.AppId}")).RootElement;

        var huaweiEntry = Assert.Single(huawei.GetProperty(PolicyId).EnumerateArray());
        Assert.Equal(("203.0.113.7/32", rule.GetProperty("id").GetString()), (huaweiEntry.GetProperty("cidr").GetString(), huaweiEntry.GetProperty("ruleId").GetString()));
        var tencentEntry = Assert.Single(tencent.GetProperty("shop.example.com").EnumerateArray());
        Assert.Equal(("198.51.100.9/32", "55000001"), (tencentEntry.GetProperty("cidr").GetString(), tencentEntry.GetProperty("ruleId").GetString()));
    }

    private static object Block(params string[] ips) => new
    {
        InstanceId = SandboxWafs.Tencent.InstanceId,
        Domain = "shop.example.com",
        Edition = "sparta-waf",
        IpList = ips,
        ActionType = 42,
        SourceType = "custom",
        Note = "test",
    };

    private static (string? Code, string? Message) Error(JsonElement body)
    {
        var error = body.GetProperty("Response").GetProperty("Error");
        return (error.GetProperty("Code").GetString(), error.GetProperty("Message").GetString());
    }

    /// <summary>A Huawei API Gateway request signed with SDK-HMAC-SHA256 over host and x-sdk-date.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body, string? RequestId)> HuaweiAsync(
        WafRig rig, HttpMethod method, string path, object? body = null, string? secret = null, string query = "", string host = HuaweiWafHost)
    {
        var json = body is null ? string.Empty : JsonSerializer.Serialize(body);
        var sdkDate = rig.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var canonical = $"{method.Method}\n{path}/\n{query}\nhost:{host}\nx-sdk-date:{sdkDate}\n\nhost;x-sdk-date\n{SandboxHarness.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(json)))}";
        var stringToSign = $"SDK-HMAC-SHA256\n{sdkDate}\n{SandboxHarness.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = SandboxHarness.Hex(SandboxHarness.Hmac(Encoding.UTF8.GetBytes(secret ?? SandboxAccounts.Huawei.Key.AccessKeySecret), stringToSign));

        using var request = new HttpRequestMessage(method, query.Length == 0 ? path : path + "?" + query);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("X-Sdk-Date", sdkDate);
        request.Headers.TryAddWithoutValidation("Authorization", $"SDK-HMAC-SHA256 Access={SandboxAccounts.Huawei.Key.AccessKeyId}, SignedHeaders=host;x-sdk-date, Signature={signature}");
        if (body is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await rig.Control.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.First() : null);
    }

    /// <summary>A Tencent Cloud API 3.0 request to waf.tencentcloudapi.com, TC3-signed for <paramref name="service"/>.</summary>
    private static async Task<JsonElement> TencentAsync(WafRig rig, string action, object body, string? secret = null, string service = "waf", string version = "2018-01-25")
    {
        var json = JsonSerializer.Serialize(body);
        const string host = "waf.tencentcloudapi.com";
        const string contentType = "application/json; charset=utf-8";
        var timestamp = rig.Clock.GetUtcNow().ToUnixTimeSeconds();
        var day = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var canonical = $"POST\n/\n\ncontent-type:{contentType}\nhost:{host}\n\ncontent-type;host\n{SandboxHarness.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(json)))}";
        var stringToSign = $"TC3-HMAC-SHA256\n{timestamp}\n{day}/{service}/tc3_request\n{SandboxHarness.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = SandboxHarness.Hmac(Encoding.UTF8.GetBytes("TC3" + (secret ?? SandboxAccounts.Tencent.Key.AccessKeySecret)), day);
        key = SandboxHarness.Hmac(key, service);
        key = SandboxHarness.Hmac(key, "tc3_request");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("X-TC-Action", action);
        request.Headers.TryAddWithoutValidation("X-TC-Version", version);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("X-TC-Region", "ap-guangzhou");
        request.Headers.TryAddWithoutValidation("Authorization", $"TC3-HMAC-SHA256 Credential={SandboxAccounts.Tencent.Key.AccessKeyId}/{day}/{service}/tc3_request, SignedHeaders=content-type;host, Signature={SandboxHarness.Hex(SandboxHarness.Hmac(key, stringToSign))}");
        using var response = await rig.Control.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
