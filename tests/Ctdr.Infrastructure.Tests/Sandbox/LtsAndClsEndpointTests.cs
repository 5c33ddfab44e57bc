using System.Net;
using System.Text.Json;
using Ctdr.CloudEmulator;

namespace Ctdr.Infrastructure.Tests.Sandbox;

/// <summary>The Huawei LTS and Tencent CLS query APIs of the sandbox, signed with AK/SK and TC3.</summary>
public sealed class LtsAndClsEndpointTests
{
    private static readonly string AttackStream = SandboxAccounts.Huawei.WafLogGroup.Streams[0].LogStreamId;
    private static readonly string TopicId = SandboxAccounts.Tencent.Topics[0].TopicId;
    private static readonly long StartMs = SandboxHarness.Start.ToUnixTimeMilliseconds();

    private static Dictionary<string, object?> LtsBody(int limit, string searchType = "init", string? lineNum = null, string? keywords = null) => new Dictionary<string, object?>
    {
        ["start_time"] = (StartMs - 60_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["end_time"] = (StartMs + 60_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["is_count"] = true,
        ["limit"] = limit,
        ["search_type"] = searchType,
        ["line_num"] = lineNum,
        ["keywords"] = keywords,
    }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);

    [Fact]
    public async Task LtsListLogs_ReturnsAttackLogsAsRawJson_AndPagesByLineNumber()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("huawei-waf-attack", 10, "sqli");

        var lines = new List<string>();
        string? lastLine = null;
        var pageSizes = new List<int>();
        foreach (var searchType in new[] { "init", "forwards", "forwards", "forwards" })
        {
            using var response = await sandbox.LtsQueryAsync(AttackStream, LtsBody(4, searchType, lastLine));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await SandboxHarness.JsonAsync(response);
            Assert.Equal(10, body.GetProperty("count").GetInt32());
            var logs = body.GetProperty("logs").EnumerateArray().ToList();
            pageSizes.Add(logs.Count);
            foreach (var log in logs)
            {
                lastLine = log.GetProperty("line_num").GetString()!;
                Assert.Equal(19, lastLine.Length);
                lines.Add(lastLine);
                var content = JsonDocument.Parse(log.GetProperty("content").GetString()!).RootElement;
                Assert.Equal("attack", content.GetProperty("category").GetString());
                Assert.Equal("sqli", content.GetProperty("attack").GetString());
                Assert.Equal("block", content.GetProperty("action").GetString());
                Assert.Equal("203.0.113.7", content.GetProperty("sip").GetString());
                Assert.Equal("418", content.GetProperty("status").GetString());
            }
        }

        Assert.Equal([4, 4, 2, 0], pageSizes);
        Assert.Equal(10, lines.Distinct().Count());
        Assert.Equal(lines.Order(StringComparer.Ordinal), lines);
    }

    [Fact]
    public async Task LtsListLogs_FiltersByKeywords()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("huawei-waf-attack", 4, "xss");
        await sandbox.GenerateAsync("huawei-waf-attack", 3, "sqli");

        using var response = await sandbox.LtsQueryAsync(AttackStream, LtsBody(100, keywords: "attack:xss"));

        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal(4, body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task LtsListLogs_Returns401_WhenSecretKeyIsWrong()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.LtsQueryAsync(AttackStream, LtsBody(10), secretKey: "WrongSecretKey");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal("APIGW.0301", body.GetProperty("error_code").GetString());
        Assert.Equal("Incorrect IAM authentication information: verify aksk signature fail", body.GetProperty("error_msg").GetString());
    }

    [Fact]
    public async Task LtsListLogs_Returns401_WhenAccessKeyIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.LtsQueryAsync(AttackStream, LtsBody(10), accessKey: "NOSUCHAK000000000000");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await SandboxHarness.JsonAsync(response);
        Assert.Equal("APIGW.0301", body.GetProperty("error_code").GetString());
        Assert.Equal("Incorrect IAM authentication information: Get secretKey failed,ak:NOSUCHAK000000000000,err:ak not exist", body.GetProperty("error_msg").GetString());
    }

    [Fact]
    public async Task LtsListLogs_Returns401_WhenSdkDateIsSixteenMinutesOff()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.LtsQueryAsync(AttackStream, LtsBody(10), date: SandboxHarness.Start.AddMinutes(-16));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("APIGW.0301", (await SandboxHarness.JsonAsync(response)).GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task LtsListLogs_Returns404_WhenStreamIsUnknown()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.LtsQueryAsync("00000000-0000-0000-0000-000000000000", LtsBody(10));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("LTS.0208", (await SandboxHarness.JsonAsync(response)).GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ClsSearchLog_ReturnsWafLogsAndPagesWithContext()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("tencent-waf", 5, "sqli");
        await sandbox.GenerateAsync("tencent-waf", 5);

        var seen = new List<string>();
        string? context = null;
        var listOver = false;
        var pages = 0;
        while (!listOver)
        {
            var request = new Dictionary<string, object> { ["TopicId"] = TopicId, ["From"] = StartMs - 60_000, ["To"] = StartMs + 60_000, ["QueryString"] = "attack_type:sqli", ["Limit"] = 3, ["Sort"] = "asc" };
            if (context is not null)
            {
                request["Context"] = context;
            }

            using var response = await sandbox.ClsAsync("SearchLog", request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var result = (await SandboxHarness.JsonAsync(response)).GetProperty("Response");
            Assert.False(result.TryGetProperty("Error", out _), result.ToString());
            Assert.False(string.IsNullOrEmpty(result.GetProperty("RequestId").GetString()));
            foreach (var log in result.GetProperty("Results").EnumerateArray())
            {
                Assert.Equal(TopicId, log.GetProperty("TopicId").GetString());
                Assert.Equal(StartMs, log.GetProperty("Time").GetInt64());
                var json = JsonDocument.Parse(log.GetProperty("LogJson").GetString()!).RootElement;
                Assert.Equal("203.0.113.7", json.GetProperty("client").GetString());
                Assert.Equal("403", json.GetProperty("status").GetString());
                seen.Add(json.GetProperty("uuid").GetString()!);
            }

            listOver = result.GetProperty("ListOver").GetBoolean();
            context = result.GetProperty("Context").GetString();
            pages++;
        }

        Assert.Equal(2, pages);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("wrong-key", null, 0, "AuthFailure.SignatureFailure")]
    [InlineData(null, "AKIDnosuch0000000000000000000000000", 0, "AuthFailure.SecretIdNotFound")]
    [InlineData(null, null, 6, "AuthFailure.SignatureExpire")]
    public async Task ClsSearchLog_AnswersAuthFailures(string? secretKey, string? secretId, int minutesOff, string code)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.ClsAsync("SearchLog", new { TopicId, From = StartMs, To = StartMs + 1 }, secretId, secretKey, SandboxHarness.Start.AddMinutes(minutesOff));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = (await SandboxHarness.JsonAsync(response)).GetProperty("Response").GetProperty("Error");
        Assert.Equal(code, error.GetProperty("Code").GetString());
    }

    [Fact]
    public async Task ClsSearchLog_AnswersTopicNotExist_And_InvalidParameter()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var missing = await sandbox.ClsAsync("SearchLog", new { TopicId = "00000000-0000-0000-0000-000000000000", From = StartMs, To = StartMs + 1 });
        using var limit = await sandbox.ClsAsync("SearchLog", new { TopicId, From = StartMs, To = StartMs + 1, Limit = 1001 });
        using var otherRegion = await sandbox.ClsAsync("SearchLog", new { TopicId, From = StartMs, To = StartMs + 1 }, region: "ap-shanghai");

        Assert.Equal("ResourceNotFound.TopicNotExist", (await SandboxHarness.JsonAsync(missing)).GetProperty("Response").GetProperty("Error").GetProperty("Code").GetString());
        Assert.Equal("InvalidParameter", (await SandboxHarness.JsonAsync(limit)).GetProperty("Response").GetProperty("Error").GetProperty("Code").GetString());
        Assert.Equal("ResourceNotFound.TopicNotExist", (await SandboxHarness.JsonAsync(otherRegion)).GetProperty("Response").GetProperty("Error").GetProperty("Code").GetString());
    }
}
