using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ctdr.CloudEmulator;

namespace Ctdr.Infrastructure.Tests.Sandbox;

/// <summary>
/// The multi-stage scenario <c>killchain</c>: one generation call plays its stages in order, with increasing times,
/// from one attacker address (web streams) and one RAM user (audit trail).
/// </summary>
public sealed class KillChainScenarioTests
{
    private const string AttackerIp = "203.0.113.66";

    /// <summary>The generation time in these tests: 300 ms into a second, so the chain starts at the next whole second.</summary>
    private static readonly DateTimeOffset GeneratedAt = SandboxHarness.Start.AddMilliseconds(300);

    private static readonly DateTimeOffset Origin = SandboxHarness.Start.AddSeconds(1);

    [Fact]
    public async Task Generate_WritesScanThenInjectionThenWebShell_WhenTheChainPlaysOnTheAlibabaWaf()
    {
        await using var sandbox = await StartAtGenerationTimeAsync();

        await sandbox.GenerateAsync("alibaba-waf", 40, "killchain");
        var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, null);

        var origin = Origin.ToUnixTimeSeconds();
        Assert.Equal(40, logs.Count);
        Assert.All(logs, l => Assert.Equal(AttackerIp, l["real_client_ip"]));
        Assert.Equal([.. Repeat("scan", 20), .. Repeat("sqli", 12), .. Repeat("webshell", 8)], logs.Select(l => l["final_rule_type"] ?? (l["status"] == "404" ? "scan" : "other")));
        Assert.Equal([.. Repeat(origin, 20), .. Repeat(origin + 1, 12), .. Repeat(origin + 2, 8)], logs.Select(l => (long)l.Time));
        Assert.Equal(20, logs.Take(20).Select(l => l["request_path"]).Distinct().Count());
        Assert.All(logs.Skip(20), l => Assert.Equal("405", l["status"]));
        Assert.Equal(["POST /upload.php", "GET /uploads/shell.php?cmd=id"], logs.Skip(32).Take(2).Select(l => l["request_method"] + " " + l["request_uri"]));
    }

    [Fact]
    public async Task Generate_GivesEveryRecordALaterTimeThanTheOneBefore_WhenTheLogKeepsMilliseconds()
    {
        await using var sandbox = await StartAtGenerationTimeAsync();

        await sandbox.GenerateAsync("huawei-waf-attack", 40, "killchain");
        var stream = SandboxAccounts.Huawei.WafLogGroup.Streams.Single(s => s.Stream == "huawei-waf-attack").LogStreamId;
        using var response = await sandbox.LtsQueryAsync(stream, new Dictionary<string, object>
        {
            ["start_time"] = "0", ["end_time"] = "9999999999999", ["limit"] = 100, ["is_desc"] = false,
        });
        var logs = (await SandboxHarness.JsonAsync(response)).GetProperty("logs").EnumerateArray()
            .Select(l => JsonDocument.Parse(l.GetProperty("content").GetString()!).RootElement.Clone())
            .ToList();

        var times = logs.Select(l => l.GetProperty("time").GetInt64()).ToList();
        var origin = Origin.ToUnixTimeMilliseconds();
        Assert.Equal(40, logs.Count);
        Assert.All(logs, l => Assert.Equal(AttackerIp, l.GetProperty("sip").GetString()));
        Assert.Equal([.. Repeat("robot", 20), .. Repeat("sqli", 12), .. Repeat("webshell", 8)], logs.Select(l => l.GetProperty("attack").GetString()));
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.First < pair.Second, $"{pair.First} then {pair.Second}"));
        Assert.Equal([origin, origin + 50, origin + 1000, origin + 2000, origin + 2875], new[] { times[0], times[1], times[20], times[32], times[39] });
        Assert.All(logs.Take(20), l => Assert.Equal("log", l.GetProperty("action").GetString()));
        Assert.All(logs.Skip(20), l => Assert.Equal("block", l.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Generate_WritesDiscoveryThenAccessKeyThenStopLogging_WhenTheChainPlaysOnTheAuditTrail()
    {
        await using var sandbox = await StartAtGenerationTimeAsync();

        await sandbox.GenerateAsync("alibaba-actiontrail", 10, "killchain");
        var events = await AuditEventsAsync(sandbox);

        var origin = Origin.ToUnixTimeSeconds();
        Assert.Equal(
            ["GetCallerIdentity", "ListUsers", "ListAccessKeys", "DescribeTrails", "DescribeInstances", "GetCallerIdentity", "ListUsers", "ListAccessKeys", "CreateAccessKey", "StopLogging"],
            events.Select(e => e.Event.GetProperty("eventName").GetString()));
        Assert.Equal([.. Repeat(origin + 3, 8), origin + 4, origin + 5], events.Select(e => e.Time));
        Assert.Equal(
            [.. Repeat(Origin.AddSeconds(3).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), 8),
             Origin.AddSeconds(4).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
             Origin.AddSeconds(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)],
            events.Select(e => e.Event.GetProperty("eventTime").GetString()));
        Assert.All(events, e =>
        {
            Assert.Equal(AttackerIp, e.Event.GetProperty("sourceIpAddress").GetString());
            Assert.Equal("deploy-bot", e.Event.GetProperty("userIdentity").GetProperty("userName").GetString());
        });
        Assert.All(events.Take(8), e => Assert.Equal("Read", e.Event.GetProperty("eventRW").GetString()));
        Assert.Equal("deploy-bot", events[8].Event.GetProperty("requestParameters").GetProperty("UserName").GetString());
        Assert.StartsWith("LTAI5tSbxDeployBot", events[8].Event.GetProperty("responseElements").GetProperty("AccessKey").GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        Assert.Equal("sandbox-trail", events[9].Event.GetProperty("requestParameters").GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData("alibaba-waf", 19, 20)]
    [InlineData("tencent-waf", 0, 20)]
    [InlineData("alibaba-actiontrail", 1, 2)]
    public async Task Generate_Answers400NamingTheMinimum_WhenTheCountCannotHoldEveryStage(string stream, int count, int minimum)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.Http.PostAsJsonAsync("/_sandbox/generate", new { stream, count, scenario = "killchain" });
        var body = await SandboxHarness.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Scenario 'killchain' plays all its stages in one call: '{stream}' needs a count of at least {minimum}, not {count}.", body.GetProperty("message").GetString());
        Assert.Equal(0, (await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/state")).GetProperty("streams").GetProperty(stream).GetInt64());
    }

    [Fact]
    public async Task Generate_GivesIdenticalChains_ForTheSameSeedAndClock()
    {
        var first = await RecordsAsync(seed: 21);
        var second = await RecordsAsync(seed: 21);
        var other = await RecordsAsync(seed: 22);

        Assert.Equal(50, first.Count);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);

        static async Task<List<string>> RecordsAsync(int seed)
        {
            await using var sandbox = await SandboxHarness.StartAsync(seed);
            await sandbox.GenerateAsync("alibaba-waf", 40, "killchain");
            await sandbox.GenerateAsync("alibaba-actiontrail", 10, "killchain");
            var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, null);
            var events = await AuditEventsAsync(sandbox);
            return [.. logs.Select(l => string.Join('|', l.Contents.Select(c => c.Key + "=" + c.Value))), .. events.Select(e => e.Event.GetRawText())];
        }
    }

    [Fact]
    public async Task Tick_PlaysTheChainRoundItsLoopPlan_WhenTheScenarioRunsInTheBackground()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Put, "/_sandbox/rates", new Dictionary<string, double> { ["alibaba-waf"] = 0, ["alibaba-cloudfirewall"] = 0, ["alibaba-actiontrail"] = 0, ["huawei-waf-access"] = 0, ["tencent-waf"] = 0 });
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/scenarios/killchain/start", new { rate = 10, durationSeconds = 60 });

        var added = await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/traffic/tick", new { seconds = 4 });
        var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, null);
        var events = await AuditEventsAsync(sandbox);

        Assert.Equal(40, added.GetProperty("alibaba-waf").GetInt64());
        Assert.Equal(0, added.GetProperty("alibaba-cloudfirewall").GetInt64());
        Assert.Equal([.. Repeat("scan", 20), .. Repeat("sqli", 12), .. Repeat("webshell", 8)], logs.Select(l => l["final_rule_type"] ?? (l["status"] == "404" ? "scan" : "other")));
        Assert.Equal(40, events.Count);
        Assert.Equal(["CreateAccessKey", "StopLogging"], events.Skip(38).Select(e => e.Event.GetProperty("eventName").GetString()));
        Assert.All(events.Take(38), e => Assert.Equal("Read", e.Event.GetProperty("eventRW").GetString()));
        Assert.All(logs, l => Assert.Equal((uint)SandboxHarness.Start.ToUnixTimeSeconds(), l.Time));
    }

    private static async Task<SandboxHarness> StartAtGenerationTimeAsync()
    {
        var sandbox = await SandboxHarness.StartAsync();
        sandbox.Clock.SetUtcNow(GeneratedAt);
        return sandbox;
    }

    /// <summary>The audit trail's events in log order (time, then arrival), with their log times.</summary>
    private static async Task<List<(long Time, JsonElement Event)>> AuditEventsAsync(SandboxHarness sandbox)
    {
        var trail = SandboxHarness.Ali.LogStores[2];
        var from = SandboxHarness.Start.ToUnixTimeSeconds();
        using var response = await sandbox.SlsV1Async($"{trail.Project}.cn-hangzhou.log.aliyuncs.com", "/logstores/" + trail.LogStore, new Dictionary<string, string>
        {
            ["type"] = "log", ["from"] = from.ToString(CultureInfo.InvariantCulture), ["to"] = (from + 60).ToString(CultureInfo.InvariantCulture),
            ["query"] = "*", ["line"] = "100", ["offset"] = "0", ["reverse"] = "false",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await SandboxHarness.JsonAsync(response)).EnumerateArray().Select(r => (
            long.Parse(r.GetProperty("__time__").GetString()!, CultureInfo.InvariantCulture),
            JsonDocument.Parse(r.GetProperty("event").GetString()!).RootElement.Clone()))];
    }

    private static IEnumerable<T> Repeat<T>(T value, int times) => Enumerable.Repeat(value, times);
}
