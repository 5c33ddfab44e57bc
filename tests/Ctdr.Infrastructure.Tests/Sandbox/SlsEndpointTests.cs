using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using K4os.Compression.LZ4;

namespace Ctdr.Infrastructure.Tests.Sandbox;

/// <summary>The Alibaba SLS data plane of the sandbox, over HTTP with the real Host header, signed as the SDKs sign.</summary>
public sealed class SlsEndpointTests
{
    private static readonly string Host = SandboxHarness.WafHost;
    private static readonly string LogStorePath = "/logstores/" + SandboxHarness.WafLogStore;

    [Fact]
    public async Task GetProject_Returns200WithProject_WhenSignedV1()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async(Host, "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(24, response.Headers.GetValues("x-log-requestid").Single().Length);
        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal(SandboxHarness.WafProject, body.GetProperty("projectName").GetString());
        Assert.Equal("cn-hangzhou", body.GetProperty("region").GetString());
        Assert.Equal("5000000000000001", body.GetProperty("owner").GetString());
        Assert.Equal("Normal", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetProject_Returns200_WhenSignedV4()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV4Async(Host, "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SandboxHarness.WafProject, (await SandboxHarness.JsonAsync(response)).GetProperty("projectName").GetString());
    }

    [Fact]
    public async Task GetProject_Returns401SignatureNotMatch_WhenSecretIsWrong()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async(Host, "/", secret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.Contains("x-log-requestid"));
        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal("SignatureNotMatch", body.GetProperty("errorCode").GetString());
        Assert.Equal(
            @"signature GET\n\n\nMon, 03 Mar 2025 08:00:00 GMT\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:0\nx-log-signaturemethod:hmac-sha1\n/ not match",
            body.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task GetProject_Returns401SignatureNotMatch_WhenV4SecretIsWrong()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV4Async(Host, "/", secret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("SignatureNotMatch", (await SandboxHarness.JsonAsync(response)).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task GetProject_Returns401Unauthorized_WhenAccessKeyIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async(Host, "/", accessKeyId: "LTAI5tNoSuchKey000000000");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal("Unauthorized", body.GetProperty("errorCode").GetString());
        Assert.Equal("AccessKeyId not found: LTAI5tNoSuchKey000000000", body.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task ListShards_Returns403Unauthorized_WhenKeyMayNotReadLogData_ButMetadataIsReadable()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var denied = SandboxHarness.Ali.ReadDenied;

        using var metadata = await sandbox.SlsV1Async(Host, LogStorePath, accessKeyId: denied.AccessKeyId, secret: denied.AccessKeySecret);
        using var response = await sandbox.SlsV1Async(Host, LogStorePath + "/shards", accessKeyId: denied.AccessKeyId, secret: denied.AccessKeySecret);

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal("Unauthorized", body.GetProperty("errorCode").GetString());
        Assert.Equal(
            $"denied by sts or ram, action: log:ListShards, resource: acs:log:cn-hangzhou:5000000000000001:project/{SandboxHarness.WafProject}/logstore/{SandboxHarness.WafLogStore}",
            body.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task GetProject_Returns400RequestTimeExpired_WhenDateIs16MinutesAhead()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async(Host, "/", date: SandboxHarness.Start.AddMinutes(16));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("RequestTimeExpired", (await SandboxHarness.JsonAsync(response)).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task GetProject_Returns200_WhenDateIs14MinutesBehind()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async(Host, "/", date: SandboxHarness.Start.AddMinutes(-14));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetProject_Returns404ProjectNotExist_WhenProjectIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async("wafnew-project-5000000000000001-cn-shanghai.cn-shanghai.log.aliyuncs.com", "/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal("ProjectNotExist", body.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task GetLogStore_Returns404LogStoreNotExist_WhenLogStoreIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async(Host, "/logstores/no-such-logstore");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("LogStoreNotExist", (await SandboxHarness.JsonAsync(response)).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task GetLogStoreAndIndex_DescribeTheSeededLogStore()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var store = await sandbox.SlsV1Async(Host, LogStorePath);
        using var index = await sandbox.SlsV1Async(Host, LogStorePath + "/index");
        using var noIndex = await sandbox.SlsV1Async(Host, "/logstores/noindex-logstore/index");

        var storeBody = await SandboxHarness.JsonAsync(store);
        Assert.Equal("wafnew-logstore", storeBody.GetProperty("logstoreName").GetString());
        Assert.Equal(2, storeBody.GetProperty("shardCount").GetInt32());
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.True((await SandboxHarness.JsonAsync(index)).GetProperty("keys").TryGetProperty("final_action", out _));
        Assert.Equal(HttpStatusCode.NotFound, noIndex.StatusCode);
        Assert.Equal("IndexConfigNotExist", (await SandboxHarness.JsonAsync(noIndex)).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task ListShards_ReturnsTwoReadWriteShardsCoveringTheKeySpace()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.SlsV1Async(Host, LogStorePath + "/shards");

        var shards = (await SandboxHarness.JsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal([0, 1], shards.Select(s => s.GetProperty("shardID").GetInt32()));
        Assert.All(shards, s => Assert.Equal("readwrite", s.GetProperty("status").GetString()));
        Assert.Equal("00000000000000000000000000000000", shards[0].GetProperty("inclusiveBeginKey").GetString());
        Assert.Equal("80000000000000000000000000000000", shards[0].GetProperty("exclusiveEndKey").GetString());
        Assert.Equal("ffffffffffffffffffffffffffffffff", shards[1].GetProperty("exclusiveEndKey").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("deflate")]
    [InlineData("lz4")]
    public async Task PullLogs_ReturnsExactlyTheAppendedRecords_InEachEncoding(string? encoding)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var records = Enumerable.Range(0, 5).Select(i => new Dictionary<string, string>
        {
            ["__time__"] = (1740988800 + i).ToString(CultureInfo.InvariantCulture),
            ["real_client_ip"] = "203.0.113." + (i + 1).ToString(CultureInfo.InvariantCulture),
            ["request_traceid"] = "trace-" + i.ToString(CultureInfo.InvariantCulture),
            ["final_action"] = i % 2 == 0 ? "block" : "-",
        }).ToArray();
        await sandbox.ControlAsync(HttpMethod.Post, $"/_sandbox/alibaba/{SandboxHarness.WafProject}/{SandboxHarness.WafLogStore}/records", new { topic = "waf_access_log", records });

        var (logs, compressions) = await DrainAsync(sandbox, encoding);

        Assert.Equal(records.Select(r => r["request_traceid"]).Order(), logs.Select(l => l["request_traceid"]!).Order());
        foreach (var log in logs)
        {
            var original = records.Single(r => r["request_traceid"] == log["request_traceid"]);
            Assert.Equal(uint.Parse(original["__time__"], CultureInfo.InvariantCulture), log.Time);
            Assert.Equal("waf_access_log", log.Topic);
            Assert.Equal(original.Where(kv => kv.Key != "__time__"), log.Contents);
        }

        Assert.All(compressions, c => Assert.Equal(encoding, c));
    }

    [Fact]
    public async Task PullLogs_ReturnsEveryGeneratedRecordOnce_AndThenReportsCaughtUp()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var generated = await sandbox.GenerateAsync("alibaba-waf", 1000);

        var (logs, _) = await DrainAsync(sandbox, "deflate");

        Assert.Equal(1000, generated.GetProperty("appended").GetInt32());
        var ids = logs.Select(l => l["request_traceid"]!).ToList();
        Assert.Equal(1000, ids.Count);
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Contains(generated.GetProperty("firstId").GetString(), ids);
        Assert.Contains(generated.GetProperty("lastId").GetString(), ids);
        Assert.All(logs, l => Assert.Equal((uint)SandboxHarness.Start.ToUnixTimeSeconds(), l.Time));
    }

    [Fact]
    public async Task PullLogs_AtTheEnd_ReturnsNoLogsAndTheSameCursor()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("alibaba-waf", 10);
        var cursor = await CursorAsync(sandbox, 0, "end");

        using var response = await sandbox.SlsV1Async(Host, LogStorePath + "/shards/0", new Dictionary<string, string> { ["type"] = "log", ["cursor"] = cursor, ["count"] = "100" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cursor, response.Headers.GetValues("x-log-cursor").Single());
        Assert.Equal("0", response.Headers.GetValues("x-log-count").Single());
        Assert.Equal("0", response.Headers.GetValues("x-log-bodyrawsize").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetCursor_FromReceiveTime_PointsAtTheFirstGroupReceivedThen()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var shardRecords = new Dictionary<string, string>[] { new() { ["real_client_ip"] = "192.0.2.10", ["n"] = "first" } };
        await sandbox.ControlAsync(HttpMethod.Post, $"/_sandbox/alibaba/{SandboxHarness.WafProject}/noindex-logstore/records", shardRecords);
        sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        await sandbox.ControlAsync(HttpMethod.Post, $"/_sandbox/alibaba/{SandboxHarness.WafProject}/noindex-logstore/records", new[] { new Dictionary<string, string> { ["n"] = "second" } });

        using var response = await sandbox.SlsV1Async(Host, "/logstores/noindex-logstore/shards/0",
            new Dictionary<string, string> { ["type"] = "cursor", ["from"] = SandboxHarness.Start.AddSeconds(30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) });

        var cursor = (await SandboxHarness.JsonAsync(response)).GetProperty("cursor").GetString();
        Assert.Equal(SandboxHarness.EncodeCursor(1_000_000_000_001), cursor);
    }

    [Fact]
    public async Task PullLogs_Returns400InvalidCursor_WhenCursorIsGarbageOrExpired()
    {
        await using var sandbox = await SandboxHarness.StartAsync(maxRecords: 400);
        for (var i = 0; i < 5; i++)
        {
            await sandbox.ControlAsync(HttpMethod.Post, $"/_sandbox/alibaba/{SandboxHarness.WafProject}/noindex-logstore/records",
                Enumerable.Range(0, 200).Select(_ => new Dictionary<string, string> { ["n"] = i.ToString(CultureInfo.InvariantCulture) }).ToArray());
        }

        using var garbage = await sandbox.SlsV1Async(Host, "/logstores/noindex-logstore/shards/0", new Dictionary<string, string> { ["type"] = "log", ["cursor"] = "not-a-cursor", ["count"] = "10" });
        using var expired = await sandbox.SlsV1Async(Host, "/logstores/noindex-logstore/shards/0",
            new Dictionary<string, string> { ["type"] = "log", ["cursor"] = SandboxHarness.EncodeCursor(1_000_000_000_000), ["count"] = "10" });
        var begin = await CursorAsync(sandbox, 0, "begin", "noindex-logstore");

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal("InvalidCursor", (await SandboxHarness.JsonAsync(garbage)).GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal("InvalidCursor", (await SandboxHarness.JsonAsync(expired)).GetProperty("errorCode").GetString());
        Assert.Equal(SandboxHarness.EncodeCursor(1_000_000_000_003), begin);
        Assert.Equal(400, sandbox.Cloud.State.RecordCount("alibaba-noindex"));
    }

    [Fact]
    public async Task PullLogs_Returns400ParameterInvalid_WhenCountIsOverAThousand()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var cursor = await CursorAsync(sandbox, 0, "begin");

        using var response = await sandbox.SlsV1Async(Host, LogStorePath + "/shards/0", new Dictionary<string, string> { ["type"] = "log", ["cursor"] = cursor, ["count"] = "1001" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ParameterInvalid", (await SandboxHarness.JsonAsync(response)).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task PullLogs_DrainsAHundredThousandGeneratedRecords()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("alibaba-waf", 100_000);

        var (logs, _) = await DrainAsync(sandbox, "lz4");

        Assert.Equal(100_000, logs.Count);
        Assert.Equal(100_000, logs.Select(l => l["request_traceid"]).Distinct().Count());
    }

    [Fact]
    public async Task GetLogs_AnswersTheQuerySubset_OverAHalfOpenTimeRange()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var t0 = SandboxHarness.Start.ToUnixTimeSeconds();
        var rows = new[]
        {
            Row(t0, "203.0.113.7", "block", "sqlmap/1.7.2#stable (https://sqlmap.org)", "a"),
            Row(t0 + 1, "203.0.113.8", "block", "Mozilla/5.0", "b"),
            Row(t0 + 2, "192.0.2.10", "-", "Mozilla/5.0", "c"),
            Row(t0 + 3, "192.0.2.11", "-", "curl/8.5.0", "d"),
            Row(t0 + 10, "203.0.113.7", "block", "sqlmap/1.7.2#stable (https://sqlmap.org)", "e"),
        };
        await sandbox.ControlAsync(HttpMethod.Post, $"/_sandbox/alibaba/{SandboxHarness.WafProject}/{SandboxHarness.WafLogStore}/records", rows);

        Assert.Equal(["a", "b", "c", "d"], await QueryAsync(sandbox, "*", t0, t0 + 10));
        Assert.Equal(["a", "b", "c", "d", "e"], await QueryAsync(sandbox, "*", t0, t0 + 11));
        Assert.Equal(["a", "b"], await QueryAsync(sandbox, "final_action:block", t0, t0 + 10));
        Assert.Equal(["a"], await QueryAsync(sandbox, "final_action: block and real_client_ip: 203.0.113.7", t0, t0 + 10));
        Assert.Equal(["a", "e"], await QueryAsync(sandbox, "sqlmap", t0, t0 + 11));
        Assert.Equal(["c", "d"], await QueryAsync(sandbox, "not final_action:block", t0, t0 + 10));
        Assert.Equal(["b", "c"], await QueryAsync(sandbox, "http_user_agent:mozilla", t0, t0 + 10));
        Assert.Equal(["d", "c", "b", "a"], await QueryAsync(sandbox, "*", t0, t0 + 10, reverse: true));
        Assert.Equal(["b", "c"], await QueryAsync(sandbox, "*", t0, t0 + 10, line: 2, offset: 1));
    }

    [Fact]
    public async Task GetLogs_ReportsCompleteProgressAndStringValues()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("alibaba-waf", 3, "sqli");
        var t0 = SandboxHarness.Start.ToUnixTimeSeconds();

        using var response = await sandbox.SlsV1Async(Host, LogStorePath, GetLogsQuery("final_plugin:waf", t0, t0 + 60));

        Assert.Equal("Complete", response.Headers.GetValues("x-log-progress").Single());
        Assert.Equal("3", response.Headers.GetValues("x-log-count").Single());
        var rows = (await SandboxHarness.JsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.All(r.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
            Assert.Equal(t0.ToString(CultureInfo.InvariantCulture), r.GetProperty("__time__").GetString());
            Assert.Equal("waf_access_log", r.GetProperty("__topic__").GetString());
            Assert.Equal("block", r.GetProperty("final_action").GetString());
            Assert.Equal("sqli", r.GetProperty("final_rule_type").GetString());
            Assert.Equal("115341", r.GetProperty("final_rule_id").GetString());
            Assert.Equal("203.0.113.7", r.GetProperty("real_client_ip").GetString());
            Assert.Equal("405", r.GetProperty("status").GetString());
        });
    }

    [Fact]
    public async Task GetLogs_Returns404IndexConfigNotExist_WhenLogStoreHasNoIndex()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var t0 = SandboxHarness.Start.ToUnixTimeSeconds();

        using var response = await sandbox.SlsV1Async(Host, "/logstores/noindex-logstore", GetLogsQuery("*", t0, t0 + 60));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("IndexConfigNotExist", (await SandboxHarness.JsonAsync(response)).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task GetLogs_FindsActionTrailEventsByJsonPath()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("alibaba-actiontrail", 5, "audit-misuse");
        await sandbox.GenerateAsync("alibaba-actiontrail", 20);
        var t0 = SandboxHarness.Start.ToUnixTimeSeconds();
        var actionTrail = SandboxHarness.Ali.LogStores[2];

        using var response = await sandbox.SlsV1Async($"{actionTrail.Project}.cn-hangzhou.log.aliyuncs.com", "/logstores/" + actionTrail.LogStore,
            GetLogsQuery("event.eventName:CreateAccessKey or event.eventName:DeleteTrail", t0, t0 + 60));

        var events = (await SandboxHarness.JsonAsync(response)).EnumerateArray()
            .Select(r => JsonDocument.Parse(r.GetProperty("event").GetString()!).RootElement.Clone())
            .ToList();
        Assert.Equal(["CreateAccessKey", "DeleteTrail"], events.Select(e => e.GetProperty("eventName").GetString()).Order());
        Assert.All(events, e => Assert.Equal("198.51.100.201", e.GetProperty("sourceIpAddress").GetString()));
    }

    [Fact]
    public async Task UnknownHost_Returns404WithExplanation()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "example.org";

        using var response = await sandbox.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("UnknownHost", (await SandboxHarness.JsonAsync(response)).GetProperty("error").GetString());
    }

    // ---------------------------------------------------------------- helpers

    private static Dictionary<string, string> Row(long time, string ip, string action, string agent, string id) => new()
    {
        ["__time__"] = time.ToString(CultureInfo.InvariantCulture),
        ["real_client_ip"] = ip,
        ["final_action"] = action,
        ["http_user_agent"] = agent,
        ["request_traceid"] = id,
    };

    private static Dictionary<string, string> GetLogsQuery(string query, long from, long to, bool reverse = false, int line = 100, int offset = 0) => new()
    {
        ["type"] = "log",
        ["from"] = from.ToString(CultureInfo.InvariantCulture),
        ["to"] = to.ToString(CultureInfo.InvariantCulture),
        ["query"] = query,
        ["line"] = line.ToString(CultureInfo.InvariantCulture),
        ["offset"] = offset.ToString(CultureInfo.InvariantCulture),
        ["reverse"] = reverse ? "true" : "false",
    };

    private static async Task<List<string>> QueryAsync(SandboxHarness sandbox, string query, long from, long to, bool reverse = false, int line = 100, int offset = 0)
    {
        using var response = await sandbox.SlsV1Async(Host, LogStorePath, GetLogsQuery(query, from, to, reverse, line, offset));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await SandboxHarness.JsonAsync(response)).EnumerateArray().Select(r => r.GetProperty("request_traceid").GetString()!).ToList();
    }

    internal static async Task<string> CursorAsync(SandboxHarness sandbox, int shard, string from, string logStore = "wafnew-logstore")
    {
        using var response = await sandbox.SlsV1Async(Host, $"/logstores/{logStore}/shards/{shard}", new Dictionary<string, string> { ["type"] = "cursor", ["from"] = from });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await SandboxHarness.JsonAsync(response)).GetProperty("cursor").GetString()!;
    }

    /// <summary>Pulls every shard from its beginning until caught up; returns the logs and each response's compression.</summary>
    internal static async Task<(List<PulledLog> Logs, List<string?> Compressions)> DrainAsync(SandboxHarness sandbox, string? encoding, string logStore = "wafnew-logstore")
    {
        var logs = new List<PulledLog>();
        var compressions = new List<string?>();
        using var shardsResponse = await sandbox.SlsV1Async(Host, $"/logstores/{logStore}/shards");
        foreach (var shard in (await SandboxHarness.JsonAsync(shardsResponse)).EnumerateArray().Select(s => s.GetProperty("shardID").GetInt32()))
        {
            var cursor = await CursorAsync(sandbox, shard, "begin", logStore);
            while (true)
            {
                using var response = await sandbox.SlsV1Async(Host, $"/logstores/{logStore}/shards/{shard}",
                    new Dictionary<string, string> { ["type"] = "log", ["cursor"] = cursor, ["count"] = "1000" }, acceptEncoding: encoding);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var next = response.Headers.GetValues("x-log-cursor").Single();
                var count = int.Parse(response.Headers.GetValues("x-log-count").Single(), CultureInfo.InvariantCulture);
                if (count == 0)
                {
                    Assert.Equal(cursor, next);
                    break;
                }

                var rawSize = int.Parse(response.Headers.GetValues("x-log-bodyrawsize").Single(), CultureInfo.InvariantCulture);
                var compression = response.Headers.TryGetValues("x-log-compresstype", out var values) ? values.Single() : null;
                compressions.Add(compression);
                var body = await response.Content.ReadAsByteArrayAsync();
                var raw = compression switch
                {
                    "lz4" => Lz4Decode(body, rawSize),
                    "deflate" => ZlibDecode(body),
                    _ => body,
                };
                Assert.Equal(rawSize, raw.Length);
                logs.AddRange(LogGroupListReader.Read(raw));
                cursor = next;
            }
        }

        return (logs, compressions);
    }

    private static byte[] Lz4Decode(byte[] body, int rawSize)
    {
        var raw = new byte[rawSize];
        Assert.Equal(rawSize, LZ4Codec.Decode(body, 0, body.Length, raw, 0, rawSize));
        return raw;
    }

    private static byte[] ZlibDecode(byte[] body)
    {
        using var input = new ZLibStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
