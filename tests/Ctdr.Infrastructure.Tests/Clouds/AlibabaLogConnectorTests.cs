using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Clouds.Alibaba;
using Ctdr.Infrastructure.Clouds.Alibaba.Sls.Protocol;
using K4os.Compression.LZ4;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Infrastructure.Tests.Clouds;

public sealed class AlibabaLogConnectorTests
{
    private const string Project = "wafnew-project-1335759343513432-cn-hangzhou";
    private const string ProjectHost = Project + ".cn-hangzhou.log.aliyuncs.com";
    private static readonly CloudCredentials Credentials = new("LTAI5tEXAMPLEkeyId", "EXAMPLEsecretKEY0123456789abcd");
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StartAt = new(2025, 3, 3, 7, 0, 0, TimeSpan.Zero);

    private static readonly ConnectorSource Source = new(
        3, LogProduct.AlibabaWaf, LogBinding.AlibabaWafPayAsYouGo("1335759343513432", "cn-hangzhou"),
        new ConnectorAccount(CloudProvider.AlibabaCloud, "1335759343513432", ["cn-hangzhou"], Credentials, new Uri("http://sandbox.test:9000")));

    private static AlibabaLogConnector Connector(StubCloud stub, CloudConnectorOptions? options = null) =>
        new(new StubHttpClientFactory(stub), new FakeTimeProvider(Now), Options.Create(options ?? new CloudConnectorOptions()));

    private static LogGroup Group(string topic, string source, params (uint Time, (string Key, string Value)[] Contents)[] logs)
    {
        var group = new LogGroup { Topic = topic, Source = source };
        group.LogTags.Add(new LogTag { Key = "__receive_time__", Value = "1740988801" });
        foreach (var (time, contents) in logs)
        {
            var log = new Log { Time = time };
            foreach (var (key, value) in contents)
            {
                log.Contents.Add(new Log.Types.Content { Key = key, Value = value });
            }

            group.Logs.Add(log);
        }

        return group;
    }

    private static byte[] Serialize(params LogGroup[] groups)
    {
        var list = new LogGroupList();
        list.LogGroups.AddRange(groups);
        using var stream = new MemoryStream();
        using (var output = new Google.Protobuf.CodedOutputStream(stream))
        {
            list.WriteTo(output);
        }

        return stream.ToArray();
    }

    private static HttpResponseMessage PullAnswer(byte[] raw, string compression, string nextCursor, int count)
    {
        byte[] body = compression switch
        {
            "lz4" => Lz4(raw),
            "deflate" => Deflate(raw),
            _ => raw,
        };
        var headers = new List<(string, string)> { ("x-log-cursor", nextCursor), ("x-log-count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("x-log-bodyrawsize", raw.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (compression.Length > 0)
        {
            headers.Add(("x-log-compresstype", compression));
        }

        return StubCloud.Bytes(body, [.. headers]);
    }

    private static byte[] Lz4(byte[] raw)
    {
        var target = new byte[LZ4Codec.MaximumOutputSize(raw.Length)];
        var length = LZ4Codec.Encode(raw, 0, raw.Length, target, 0, target.Length);
        return target[..length];
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>The V1 signature computed here from its definition (cloud-protocols.md §1.2), independently of the signer.</summary>
    private static string ExpectedV1(CapturedRequest request)
    {
        var text = new StringBuilder();
        text.Append(request.Method).Append("\n\n\n").Append(request.Header("Date")).Append('\n');
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("x-log-", StringComparison.OrdinalIgnoreCase)).OrderBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal))
        {
            text.Append(header.Key.ToLowerInvariant()).Append(':').Append(header.Value).Append('\n');
        }

        text.Append(request.Path);
        var query = request.Query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value).ToList();
        if (query.Count > 0)
        {
            text.Append('?').Append(string.Join('&', query));
        }

#pragma warning disable CA5350 // SLS V1 is HMAC-SHA1 by definition.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(Credentials.AccessKeySecret), Encoding.UTF8.GetBytes(text.ToString()));
#pragma warning restore CA5350
        return $"LOG {Credentials.AccessKeyId}:{Convert.ToBase64String(mac)}";
    }

    private static StubCloud TwoShardStore()
    {
        var shard0 = Serialize(Group("waf_access_log", "10.0.0.1",
            (1740988800, [("host", "shop.example.com"), ("request_traceid", "t-1"), ("querystring", "q=<script>\"x\"</script>")]),
            (1740988801, [("host", "shop.example.com"), ("request_traceid", "t-2")])));
        var shard1 = Serialize(Group("waf_access_log", "10.0.0.2", (1740988802, [("host", "api.example.com"), ("request_traceid", "t-3")])));
        return new StubCloud(request =>
        {
            var query = request.Query;
            return (request.Path, query.GetValueOrDefault("type"), query.GetValueOrDefault("cursor")) switch
            {
                ("/logstores/wafnew-logstore/shards", null, _) => StubCloud.Json(HttpStatusCode.OK,
                    """[{"shardID":0,"status":"readwrite","inclusiveBeginKey":"00","exclusiveEndKey":"80","createTime":1700000000},{"shardID":1,"status":"readonly","inclusiveBeginKey":"80","exclusiveEndKey":"ff","createTime":1700000000}]"""),
                ("/logstores/wafnew-logstore/shards/0", "cursor", _) => StubCloud.Json(HttpStatusCode.OK, """{"cursor":"c0-start"}"""),
                ("/logstores/wafnew-logstore/shards/1", "cursor", _) => StubCloud.Json(HttpStatusCode.OK, """{"cursor":"c1-start"}"""),
                ("/logstores/wafnew-logstore/shards/0", "log", "c0-start") => PullAnswer(shard0, "lz4", "c0-next", 1),
                ("/logstores/wafnew-logstore/shards/0", "log", "c0-next") => PullAnswer([], string.Empty, "c0-next", 0),
                ("/logstores/wafnew-logstore/shards/1", "log", "c1-start") => PullAnswer(shard1, "deflate", "c1-next", 1),
                ("/logstores/wafnew-logstore/shards/1", "log", "c1-next") => PullAnswer([], string.Empty, "c1-next", 0),
                _ => StubCloud.Json(HttpStatusCode.NotFound, """{"errorCode":"NotExpected","errorMessage":"unexpected request"}"""),
            };
        });
    }

    [Fact]
    public async Task Pull_DecodesLz4AndDeflatePages_UntilEveryShardIsCaughtUp()
    {
        var stub = TwoShardStore();

        var result = await Connector(stub).PullAsync(Source, new PullRequest(null, 100, StartAt), CancellationToken.None);

        Assert.True(result.CaughtUp);
        Assert.Equal(
        [
            "0:c0-start:0:0|{\"__time__\":\"1740988800\",\"__topic__\":\"waf_access_log\",\"__source__\":\"10.0.0.1\",\"__tag__:__receive_time__\":\"1740988801\",\"host\":\"shop.example.com\",\"request_traceid\":\"t-1\",\"querystring\":\"q=<script>\\\"x\\\"</script>\"}",
            "1:c1-start:0:0|{\"__time__\":\"1740988802\",\"__topic__\":\"waf_access_log\",\"__source__\":\"10.0.0.2\",\"__tag__:__receive_time__\":\"1740988801\",\"host\":\"api.example.com\",\"request_traceid\":\"t-3\"}",
            "0:c0-start:0:1|{\"__time__\":\"1740988801\",\"__topic__\":\"waf_access_log\",\"__source__\":\"10.0.0.1\",\"__tag__:__receive_time__\":\"1740988801\",\"host\":\"shop.example.com\",\"request_traceid\":\"t-2\"}",
        ],
            result.Records.Select(r => r.PositionUid + "|" + Encoding.UTF8.GetString(r.Json.Span)).OrderBy(s => s.Contains("t-3", StringComparison.Ordinal) ? 1 : s.Contains("t-2", StringComparison.Ordinal) ? 2 : 0));
        Assert.Equal(result.Records.Sum(r => (long)r.Json.Length), result.Bytes);
        Assert.Equal("""{"v":1,"shards":{"0":{"cursor":"c0-next","skip":0}},"done":[1]}""", result.NextCheckpoint);

        var cursorRequest = stub.Requests.Single(r => r.Path == "/logstores/wafnew-logstore/shards/0" && r.Query["type"] == "cursor");
        Assert.Equal(StartAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), cursorRequest.Query["from"]);
        var pull = stub.Requests.First(r => r.Query.GetValueOrDefault("type") == "log");
        Assert.Equal("GET", pull.Method);
        Assert.Equal("sandbox.test", pull.Uri.Host);
        Assert.Equal(9000, pull.Uri.Port);
        Assert.Equal(ProjectHost, pull.Host);
        Assert.Equal("application/x-protobuf", pull.Header("Accept"));
        Assert.Equal("lz4", pull.Header("Accept-Encoding"));
        Assert.Equal("100", pull.Query["count"]);
        Assert.Equal("0.6.0", pull.Header("x-log-apiversion"));
        Assert.Equal("hmac-sha1", pull.Header("x-log-signaturemethod"));
        Assert.Equal("0", pull.Header("x-log-bodyrawsize"));
        Assert.Equal("Mon, 03 Mar 2025 08:00:00 GMT", pull.Header("Date"));
        Assert.All(stub.Requests, r => Assert.Equal(ExpectedV1(r), r.Header("Authorization")));
    }

    [Fact]
    public async Task Pull_ResumesMidPage_FromTheCheckpoint_WithoutRepeatingRecords()
    {
        var stub = TwoShardStore();
        var connector = Connector(stub);

        var first = await connector.PullAsync(Source, new PullRequest(null, 1, StartAt), CancellationToken.None);

        Assert.False(first.CaughtUp);
        Assert.Equal(["0:c0-start:0:0"], first.Records.Select(r => r.PositionUid));
        Assert.Equal("""{"v":1,"shards":{"0":{"cursor":"c0-start","skip":1},"1":{"cursor":"c1-start","skip":0}},"done":[]}""", first.NextCheckpoint);

        stub.Requests.Clear();
        var second = await connector.PullAsync(Source, new PullRequest(first.NextCheckpoint, 100, StartAt), CancellationToken.None);

        Assert.True(second.CaughtUp);
        Assert.Equal(["0:c0-start:0:1", "1:c1-start:0:0"], second.Records.Select(r => r.PositionUid));
        Assert.DoesNotContain(stub.Requests, r => r.Query.GetValueOrDefault("type") == "cursor");

        stub.Requests.Clear();
        var third = await connector.PullAsync(Source, new PullRequest(second.NextCheckpoint, 100, StartAt), CancellationToken.None);
        Assert.True(third.CaughtUp);
        Assert.Empty(third.Records);
        Assert.Equal(0, third.Bytes);
        Assert.Equal(second.NextCheckpoint, third.NextCheckpoint);
        Assert.DoesNotContain(stub.Requests, r => r.Path.EndsWith("/shards/1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "{\"errorCode\":\"InternalServerError\",\"errorMessage\":\"boom\"}", 500, "InternalServerError", "boom", true)]
    [InlineData(HttpStatusCode.Forbidden, "{\"errorCode\":\"ReadQuotaExceed\",\"errorMessage\":\"slow down\"}", 403, "ReadQuotaExceed", "slow down", true)]
    [InlineData(HttpStatusCode.Unauthorized, "{\"errorCode\":\"SignatureNotMatch\",\"errorMessage\":\"signature mismatch\"}", 401, "SignatureNotMatch", "signature mismatch", false)]
    [InlineData(HttpStatusCode.NotFound, "{\"errorCode\":\"LogStoreNotExist\",\"errorMessage\":\"logstore wafnew-logstore does not exist\"}", 404, "LogStoreNotExist", "logstore wafnew-logstore does not exist", false)]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", 502, "Http502", "<html>bad gateway</html>", true)]
    public async Task Pull_MapsErrorBodies_ToCloudApiException(HttpStatusCode status, string body, int httpStatus, string code, string message, bool transient)
    {
        var stub = new StubCloud(_ => StubCloud.Json(status, body));

        var exception = await Assert.ThrowsAsync<CloudApiException>(() => Connector(stub).PullAsync(Source, new PullRequest(null, 10, StartAt), CancellationToken.None));

        Assert.Equal(CloudProvider.AlibabaCloud, exception.Provider);
        Assert.Equal(httpStatus, exception.HttpStatus);
        Assert.Equal(code, exception.ErrorCode);
        Assert.Equal(message, exception.ProviderMessage);
        Assert.Equal(transient, exception.IsTransient);
        Assert.DoesNotContain(Credentials.AccessKeySecret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_ReportsStatusZero_WhenTheEndpointIsUnreachable()
    {
        var stub = new StubCloud(_ => throw new HttpRequestException("Connection refused (sandbox.test:9000)"));

        var exception = await Assert.ThrowsAsync<CloudApiException>(() => Connector(stub).PullAsync(Source, new PullRequest(null, 10, StartAt), CancellationToken.None));

        Assert.Equal(0, exception.HttpStatus);
        Assert.Equal("EndpointUnreachable", exception.ErrorCode);
        Assert.Equal(ProjectHost + " could not be reached: Connection refused (sandbox.test:9000)", exception.ProviderMessage);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task Pull_SignsWithV4_WhenSelected()
    {
        var stub = TwoShardStore();

        await Connector(stub, new CloudConnectorOptions { SlsSignatureVersion = "V4" }).PullAsync(Source, new PullRequest(null, 100, StartAt), CancellationToken.None);

        var request = stub.Requests[0];
        Assert.Equal("20250303T080000Z", request.Header("x-log-date"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", request.Header("x-log-content-sha256"));
        Assert.StartsWith("SLS4-HMAC-SHA256 Credential=LTAI5tEXAMPLEkeyId/20250303/cn-hangzhou/sls/aliyun_v4_request,Signature=", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Null(request.Header("Date"));
    }

    private static StubCloud ProbeStore(Func<CapturedRequest, HttpResponseMessage?> overrides) => new(request =>
        overrides(request) ?? (request.Host, request.Path) switch
        {
            ("cn-hangzhou.log.aliyuncs.com", "/") => StubCloud.Json(HttpStatusCode.OK, """{"count":1,"total":1,"projects":[{"projectName":"p"}]}"""),
            (ProjectHost, "/") => StubCloud.Json(HttpStatusCode.OK, $$"""{"projectName":"{{Project}}","status":"Normal","region":"cn-hangzhou"}"""),
            (ProjectHost, "/logstores/wafnew-logstore") when request.Query.Count == 0 => StubCloud.Json(HttpStatusCode.OK, """{"logstoreName":"wafnew-logstore","ttl":180,"shardCount":2}"""),
            (ProjectHost, "/logstores/wafnew-logstore") => StubCloud.Json(HttpStatusCode.OK,
                """[{"__time__":"1740988700","__source__":"","__topic__":"waf_access_log","host":"a.example"},{"__time__":"1740988600","__source__":"","__topic__":"waf_access_log","host":"b.example"}]"""),
            _ => StubCloud.Json(HttpStatusCode.NotFound, """{"errorCode":"NotExpected","errorMessage":"unexpected"}"""),
        });

    private static void AssertSteps(ValidityProbe probe, params (string Name, ValidityStepStatus Status, string? Code)[] expected) =>
        Assert.Equal(expected, probe.Steps.Select(s => (s.Name, s.Status, s.ErrorCode)));

    [Fact]
    public async Task Probe_PassesEveryStep_AndReturnsSamples()
    {
        var stub = ProbeStore(_ => null);

        var probe = await Connector(stub).ProbeAsync(Source, CancellationToken.None);

        AssertSteps(probe, ("Credentials", ValidityStepStatus.Passed, null), ("Project", ValidityStepStatus.Passed, null),
            ("Logstore", ValidityStepStatus.Passed, null), ("Read permission", ValidityStepStatus.Passed, null));
        Assert.True(probe.Passed);
        Assert.Equal(
        [
            """{"__time__":"1740988700","__source__":"","__topic__":"waf_access_log","host":"a.example"}""",
            """{"__time__":"1740988600","__source__":"","__topic__":"waf_access_log","host":"b.example"}""",
        ], probe.Sample.Select(s => Encoding.UTF8.GetString(s.Json.Span)));
        var getLogs = stub.Requests.Last();
        Assert.Equal("log", getLogs.Query["type"]);
        Assert.Equal("1740987900", getLogs.Query["from"]);
        Assert.Equal("1740988801", getLogs.Query["to"]);
        Assert.Equal("5", getLogs.Query["line"]);
        Assert.Equal("true", getLogs.Query["reverse"]);
        Assert.Equal("Project wafnew-project-1335759343513432-cn-hangzhou exists in cn-hangzhou.", probe.Steps[1].Detail);
    }

    [Theory]
    [InlineData("SignatureNotMatch", "the signature does not match")]
    [InlineData("Unauthorized", "AccessKeyId not found: LTAI5tEXAMPLEkeyId")]
    public async Task Probe_FailsCredentials_AndSkipsTheRest_When401(string code, string message)
    {
        var stub = ProbeStore(r => r.Host == "cn-hangzhou.log.aliyuncs.com"
            ? StubCloud.Json(HttpStatusCode.Unauthorized, $$"""{"errorCode":"{{code}}","errorMessage":"{{message}}"}""")
            : null);

        var probe = await Connector(stub).ProbeAsync(Source, CancellationToken.None);

        AssertSteps(probe, ("Credentials", ValidityStepStatus.Failed, code), ("Project", ValidityStepStatus.Skipped, null),
            ("Logstore", ValidityStepStatus.Skipped, null), ("Read permission", ValidityStepStatus.Skipped, null));
        Assert.Equal($"{code} (HTTP 401): {message}", probe.Steps[0].Detail);
        Assert.False(probe.Passed);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task Probe_PassesCredentials_WhenListProjectIsOnlyForbidden()
    {
        var stub = ProbeStore(r => r.Host == "cn-hangzhou.log.aliyuncs.com"
            ? StubCloud.Json(HttpStatusCode.Forbidden, """{"errorCode":"Unauthorized","errorMessage":"denied by RAM policy"}""")
            : null);

        var probe = await Connector(stub).ProbeAsync(Source, CancellationToken.None);

        Assert.Equal((ValidityStepStatus.Passed, (string?)null), (probe.Steps[0].Status, probe.Steps[0].ErrorCode));
        Assert.True(probe.Passed);
    }

    [Fact]
    public async Task Probe_FailsProject_WhenProjectNotExist()
    {
        var stub = ProbeStore(r => r.Host == ProjectHost
            ? StubCloud.Json(HttpStatusCode.NotFound, """{"errorCode":"ProjectNotExist","errorMessage":"The Project does not exist"}""")
            : null);

        var probe = await Connector(stub).ProbeAsync(Source, CancellationToken.None);

        AssertSteps(probe, ("Credentials", ValidityStepStatus.Passed, null), ("Project", ValidityStepStatus.Failed, "ProjectNotExist"),
            ("Logstore", ValidityStepStatus.Skipped, null), ("Read permission", ValidityStepStatus.Skipped, null));
        Assert.Equal("ProjectNotExist (HTTP 404): The Project does not exist", probe.Steps[1].Detail);
    }

    [Fact]
    public async Task Probe_FailsLogstore_WhenLogStoreNotExist()
    {
        var stub = ProbeStore(r => r.Path == "/logstores/wafnew-logstore" && r.Query.Count == 0
            ? StubCloud.Json(HttpStatusCode.NotFound, """{"errorCode":"LogStoreNotExist","errorMessage":"logstore wafnew-logstore does not exist"}""")
            : null);

        var probe = await Connector(stub).ProbeAsync(Source, CancellationToken.None);

        AssertSteps(probe, ("Credentials", ValidityStepStatus.Passed, null), ("Project", ValidityStepStatus.Passed, null),
            ("Logstore", ValidityStepStatus.Failed, "LogStoreNotExist"), ("Read permission", ValidityStepStatus.Skipped, null));
    }

    [Fact]
    public async Task Probe_FailsReadPermission_WhenReadIsDenied()
    {
        var stub = ProbeStore(r => r.Query.GetValueOrDefault("type") == "log"
            ? StubCloud.Json(HttpStatusCode.Unauthorized, """{"errorCode":"Unauthorized","errorMessage":"denied by sts or ram, action: log:GetLogStoreLogs"}""")
            : null);

        var probe = await Connector(stub).ProbeAsync(Source, CancellationToken.None);

        AssertSteps(probe, ("Credentials", ValidityStepStatus.Passed, null), ("Project", ValidityStepStatus.Passed, null),
            ("Logstore", ValidityStepStatus.Passed, null), ("Read permission", ValidityStepStatus.Failed, "Unauthorized"));
        Assert.Empty(probe.Sample);
    }

    [Fact]
    public async Task TestCredentials_ReportsTheProviderCode()
    {
        var stub = ProbeStore(r => StubCloud.Json(HttpStatusCode.Unauthorized, """{"errorCode":"SignatureNotMatch","errorMessage":"bad signature"}"""));

        var check = await Connector(stub).TestCredentialsAsync(Source.Account, CancellationToken.None);

        Assert.Equal(new CredentialCheck(false, "SignatureNotMatch (HTTP 401): bad signature", "SignatureNotMatch"), check);
        Assert.Equal("cn-hangzhou.log.aliyuncs.com", stub.Requests.Single().Host);
    }
}
