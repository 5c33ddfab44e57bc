using System.Net;
using System.Text;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Clouds.Huawei;
using Ctdr.Infrastructure.Clouds.Tencent;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Infrastructure.Tests.Clouds;

/// <summary>The Huawei LTS and Tencent CLS connectors (query windows) against an in-test stub.</summary>
public sealed class QueryConnectorTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StartAt = Now.AddMinutes(-10);
    private static readonly CloudCredentials Credentials = new("HWAKEXAMPLE", "HWSKEXAMPLEsecret");
    private static readonly Uri Sandbox = new("http://sandbox.test:9000");

    private static readonly ConnectorSource Huawei = new(4, LogProduct.HuaweiWaf,
        new LogBinding(Region: "cn-north-4", Project: "proj-1", LogGroup: "g-1", LogStream: "s-1"),
        new ConnectorAccount(CloudProvider.HuaweiCloud, "domain-1", ["cn-north-4"], Credentials, Sandbox));

    private static readonly ConnectorSource Tencent = new(5, LogProduct.TencentWaf,
        new LogBinding(Region: "ap-guangzhou", Topic: "topic-1"),
        new ConnectorAccount(CloudProvider.TencentCloud, "1250000000", ["ap-guangzhou"], new CloudCredentials("AKIDEXAMPLE", "TCSKEXAMPLE"), Sandbox));

    private static IOptions<CloudConnectorOptions> Options() => Microsoft.Extensions.Options.Options.Create(new CloudConnectorOptions());

    private static string LtsLogs(params (string Content, string Line)[] logs) =>
        JsonSerializer.Serialize(new { count = logs.Length, logs = logs.Select(l => new { content = l.Content, line_num = l.Line, labels = new { } }) });

    [Fact]
    public async Task Huawei_PullsOneWindow_AndSignsEveryRequest()
    {
        var stub = new StubCloud(_ => StubCloud.Json(HttpStatusCode.OK, LtsLogs(("{\"requestid\":\"r1\"}", "1740988800000000001"), ("{\"requestid\":\"r2\"}", "1740988800000000002"))));
        var connector = new HuaweiLogConnector(new StubHttpClientFactory(stub), new FakeTimeProvider(Now), Options());

        var result = await connector.PullAsync(Huawei, new PullRequest(null, 100, StartAt), CancellationToken.None);

        Assert.True(result.CaughtUp);
        Assert.Equal(["s-1:1740988800000000001|{\"requestid\":\"r1\"}", "s-1:1740988800000000002|{\"requestid\":\"r2\"}"],
            result.Records.Select(r => r.PositionUid + "|" + Encoding.UTF8.GetString(r.Json.Span)));
        Assert.Equal(36, result.Bytes);
        var end = Now.AddSeconds(-60).ToUnixTimeMilliseconds();
        Assert.Equal($"{{\"v\":1,\"from\":{end - 30_000},\"to\":null,\"page\":null}}", result.NextCheckpoint);

        var request = stub.Requests.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v2/proj-1/groups/g-1/streams/s-1/content/query", request.Path);
        Assert.Equal("lts.cn-north-4.myhuaweicloud.com", request.Host);
        Assert.Equal("sandbox.test", request.Uri.Host);
        Assert.Equal("20250303T080000Z", request.Header("X-Sdk-Date"));
        Assert.Equal("proj-1", request.Header("X-Project-Id"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(StartAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body.RootElement.GetProperty("start_time").GetString());
        Assert.Equal(end.ToString(System.Globalization.CultureInfo.InvariantCulture), body.RootElement.GetProperty("end_time").GetString());
        Assert.Equal(100, body.RootElement.GetProperty("limit").GetInt32());
        Assert.False(body.RootElement.TryGetProperty("line_num", out _));

        var expected = HuaweiSigner.Authorization(new SignableRequest("POST", request.Path, [],
            [KeyValuePair.Create("Host", "lts.cn-north-4.myhuaweicloud.com"), KeyValuePair.Create("X-Sdk-Date", "20250303T080000Z"), KeyValuePair.Create("X-Project-Id", "proj-1")],
            request.Body), Credentials);
        Assert.Equal(expected, request.Header("Authorization"));
        Assert.StartsWith("SDK-HMAC-SHA256 Access=HWAKEXAMPLE, SignedHeaders=host;x-project-id;x-sdk-date, Signature=", expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Huawei_PagesWithLineNum_WhenAPageIsFull()
    {
        var stub = new StubCloud(_ => StubCloud.Json(HttpStatusCode.OK, LtsLogs(("{\"id\":\"a\"}", "11"), ("{\"id\":\"b\"}", "12"))));
        var connector = new HuaweiLogConnector(new StubHttpClientFactory(stub), new FakeTimeProvider(Now), Options());

        var first = await connector.PullAsync(Huawei, new PullRequest(null, 2, StartAt), CancellationToken.None);
        Assert.False(first.CaughtUp);
        var end = Now.AddSeconds(-60).ToUnixTimeMilliseconds();
        Assert.Equal($"{{\"v\":1,\"from\":{StartAt.ToUnixTimeMilliseconds()},\"to\":{end},\"page\":\"12\"}}", first.NextCheckpoint);

        await connector.PullAsync(Huawei, new PullRequest(first.NextCheckpoint, 2, StartAt), CancellationToken.None);
        using var body = JsonDocument.Parse(stub.Requests[1].Body);
        Assert.Equal("12", body.RootElement.GetProperty("line_num").GetString());
        Assert.Equal("forwards", body.RootElement.GetProperty("search_type").GetString());
    }

    [Fact]
    public async Task Huawei_Probe_FailsCredentials_OnApiGatewayAuthError_AndSkipsTheRest()
    {
        var source = Huawei with { Binding = Huawei.Binding with { Project = null } };
        var stub = new StubCloud(_ => StubCloud.Json(HttpStatusCode.Unauthorized,
            """{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"0c1d"}"""));
        var connector = new HuaweiLogConnector(new StubHttpClientFactory(stub), new FakeTimeProvider(Now), Options());

        var probe = await connector.ProbeAsync(source, CancellationToken.None);

        Assert.Equal(
            [("Credentials", ValidityStepStatus.Failed, "APIGW.0301"), ("Log group", ValidityStepStatus.Skipped, null), ("Log stream", ValidityStepStatus.Skipped, null), ("Read permission", ValidityStepStatus.Skipped, null)],
            probe.Steps.Select(s => (s.Name, s.Status, s.ErrorCode)));
        Assert.Equal("iam.cn-north-4.myhuaweicloud.com", stub.Requests.Single().Host);
        Assert.Equal("/v3/projects", stub.Requests.Single().Path);
        Assert.Equal("cn-north-4", stub.Requests.Single().Query["name"]);
    }

    [Fact]
    public async Task Huawei_Probe_FailsLogGroup_WhenNotListed()
    {
        var stub = new StubCloud(r => r.Path switch
        {
            "/v3/projects" => StubCloud.Json(HttpStatusCode.OK, """{"projects":[{"id":"proj-1","name":"cn-north-4"}]}"""),
            "/v2/proj-1/groups" => StubCloud.Json(HttpStatusCode.OK, """{"log_groups":[{"log_group_id":"g-other","log_group_name":"other","ttl_in_days":7}]}"""),
            _ => StubCloud.Json(HttpStatusCode.NotFound, """{"error_code":"LTS.0000","error_msg":"unexpected"}"""),
        });
        var connector = new HuaweiLogConnector(new StubHttpClientFactory(stub), new FakeTimeProvider(Now), Options());

        var probe = await connector.ProbeAsync(Huawei with { Binding = Huawei.Binding with { Project = null } }, CancellationToken.None);

        Assert.Equal(
            [("Credentials", ValidityStepStatus.Passed, null), ("Log group", ValidityStepStatus.Failed, "LogGroupNotFound"), ("Log stream", ValidityStepStatus.Skipped, null), ("Read permission", ValidityStepStatus.Skipped, null)],
            probe.Steps.Select(s => (s.Name, s.Status, (string?)s.ErrorCode)));
        Assert.Equal("No log group g-1 in cn-north-4.", probe.Steps[1].Detail);
    }

    private static string ClsResponse(string inner) => "{\"Response\":{" + inner + ",\"RequestId\":\"6ef60bec-0242-43af-bb20-270359fb54a7\"}}";

    [Fact]
    public async Task Tencent_PullsSearchLogResults_WithSignedHeaders()
    {
        var stub = new StubCloud(_ => StubCloud.Json(HttpStatusCode.OK, ClsResponse(
            "\"Context\":\"ctx-1\",\"ListOver\":true,\"Analysis\":false,\"Results\":[{\"Time\":1740988800000,\"TopicId\":\"topic-1\",\"Source\":\"10.0.0.1\",\"FileName\":\"\",\"PkgId\":\"pkg-9\",\"PkgLogId\":\"0\",\"LogJson\":\"{\\\"uuid\\\":\\\"u-1\\\",\\\"client\\\":\\\"203.0.113.7\\\"}\",\"RawLog\":\"\",\"HostName\":\"\"}]")));
        var clock = new FakeTimeProvider(Now);
        var connector = new TencentLogConnector(new StubHttpClientFactory(stub), clock, Options());

        var result = await connector.PullAsync(Tencent, new PullRequest(null, 100, StartAt), CancellationToken.None);

        Assert.True(result.CaughtUp);
        Assert.Equal(["topic-1:pkg-9:0|{\"uuid\":\"u-1\",\"client\":\"203.0.113.7\"}"], result.Records.Select(r => r.PositionUid + "|" + Encoding.UTF8.GetString(r.Json.Span)));
        var request = stub.Requests.Single();
        Assert.Equal("cls.tencentcloudapi.com", request.Host);
        Assert.Equal("/", request.Path);
        Assert.Equal("SearchLog", request.Header("X-TC-Action"));
        Assert.Equal("2020-10-16", request.Header("X-TC-Version"));
        Assert.Equal("ap-guangzhou", request.Header("X-TC-Region"));
        Assert.Equal("1740988800", request.Header("X-TC-Timestamp"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("topic-1", body.RootElement.GetProperty("TopicId").GetString());
        Assert.Equal(StartAt.ToUnixTimeMilliseconds(), body.RootElement.GetProperty("From").GetInt64());
        Assert.Equal("asc", body.RootElement.GetProperty("Sort").GetString());
        var expected = Tc3Signer.Authorization(new SignableRequest("POST", "/", [],
            [KeyValuePair.Create("Content-Type", "application/json; charset=utf-8"), KeyValuePair.Create("Host", "cls.tencentcloudapi.com")], request.Body),
            new CloudCredentials("AKIDEXAMPLE", "TCSKEXAMPLE"), "cls", 1740988800);
        Assert.Equal(expected, request.Header("Authorization"));
        Assert.StartsWith("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2025-03-03/cls/tc3_request, SignedHeaders=content-type;host, Signature=", expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("InternalError", true)]
    [InlineData("RequestLimitExceeded", true)]
    [InlineData("ResourceNotFound.TopicNotExist", false)]
    public async Task Tencent_MapsErrorsAnsweredWithHttp200(string code, bool transient)
    {
        var stub = new StubCloud(_ => StubCloud.Json(HttpStatusCode.OK, ClsResponse("\"Error\":{\"Code\":\"" + code + "\",\"Message\":\"m\"}")));
        var connector = new TencentLogConnector(new StubHttpClientFactory(stub), new FakeTimeProvider(Now), Options());

        var exception = await Assert.ThrowsAsync<CloudApiException>(() => connector.PullAsync(Tencent, new PullRequest(null, 10, StartAt), CancellationToken.None));

        Assert.Equal((CloudProvider.TencentCloud, 200, code, "m", transient), (exception.Provider, exception.HttpStatus, exception.ErrorCode, exception.ProviderMessage, exception.IsTransient));
    }

    [Fact]
    public async Task Tencent_Probe_ReportsWrongSecret_MissingTopic_AndDeniedRead()
    {
        async Task<ValidityProbe> Probe(Func<CapturedRequest, string> answer)
        {
            var stub = new StubCloud(r => StubCloud.Json(HttpStatusCode.OK, ClsResponse(answer(r))));
            return await new TencentLogConnector(new StubHttpClientFactory(stub), new FakeTimeProvider(Now), Options()).ProbeAsync(Tencent, CancellationToken.None);
        }

        var wrongSecret = await Probe(_ => "\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\",\"Message\":\"The provided credentials could not be validated.\"}");
        Assert.Equal([("Credentials", ValidityStepStatus.Failed, "AuthFailure.SignatureFailure"), ("Topic", ValidityStepStatus.Skipped, null), ("Read permission", ValidityStepStatus.Skipped, null)],
            wrongSecret.Steps.Select(s => (s.Name, s.Status, s.ErrorCode)));

        var noTopic = await Probe(_ => "\"TotalCount\":0,\"Topics\":[]");
        Assert.Equal([("Credentials", ValidityStepStatus.Passed, null), ("Topic", ValidityStepStatus.Failed, "TopicNotExist"), ("Read permission", ValidityStepStatus.Skipped, null)],
            noTopic.Steps.Select(s => (s.Name, s.Status, (string?)s.ErrorCode)));

        var denied = await Probe(r => r.Header("X-TC-Action") == "SearchLog"
            ? "\"Error\":{\"Code\":\"AuthFailure.UnauthorizedOperation\",\"Message\":\"not authorized\"}"
            : "\"TotalCount\":1,\"Topics\":[{\"TopicId\":\"topic-1\"}]");
        Assert.Equal([("Credentials", ValidityStepStatus.Passed, null), ("Topic", ValidityStepStatus.Passed, null), ("Read permission", ValidityStepStatus.Failed, "AuthFailure.UnauthorizedOperation")],
            denied.Steps.Select(s => (s.Name, s.Status, (string?)s.ErrorCode)));
    }
}
