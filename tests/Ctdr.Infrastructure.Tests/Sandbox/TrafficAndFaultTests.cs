using System.Globalization;
using System.Net;
using System.Text.Json;
using Ctdr.CloudEmulator;

namespace Ctdr.Infrastructure.Tests.Sandbox;

/// <summary>The traffic generator (determinism, scenarios, the WAF block list) and the injected faults.</summary>
public sealed class TrafficAndFaultTests
{
    private static readonly string Host = SandboxHarness.WafHost;
    private static readonly string BlockListPath = "/_sandbox/blocklist/alibaba/" + SandboxAccounts.AliUid;

    [Fact]
    public async Task Generate_GivesIdenticalRecords_ForTheSameSeedAndClock()
    {
        var first = await RecordsAsync(seed: 11);
        var second = await RecordsAsync(seed: 11);
        var other = await RecordsAsync(seed: 12);

        Assert.Equal(700, first.Waf.Count);
        Assert.Equal(first.Waf, second.Waf);
        Assert.Equal(first.Lts, second.Lts);
        Assert.Equal(first.Cls, second.Cls);
        Assert.NotEqual(first.Waf, other.Waf);

        static async Task<(List<string> Waf, List<string> Lts, List<string> Cls)> RecordsAsync(int seed)
        {
            await using var sandbox = await SandboxHarness.StartAsync(seed);
            await sandbox.GenerateAsync("alibaba-waf", 500);
            await sandbox.GenerateAsync("alibaba-waf", 100, "sqli");
            await sandbox.GenerateAsync("alibaba-waf", 100, "dirscan");
            await sandbox.GenerateAsync("huawei-waf-access", 50);
            await sandbox.GenerateAsync("tencent-waf", 50);
            var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, null);
            var waf = logs.Select(l => string.Join('|', l.Contents.Select(c => c.Key + "=" + c.Value))).ToList();

            using var lts = await sandbox.LtsQueryAsync(SandboxAccounts.Huawei.WafLogGroup.Streams[1].LogStreamId, new Dictionary<string, object>
            {
                ["start_time"] = "0", ["end_time"] = "9999999999999", ["limit"] = 100,
            });
            var ltsContents = (await SandboxHarness.JsonAsync(lts)).GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("content").GetString()!).ToList();

            using var cls = await sandbox.ClsAsync("SearchLog", new { TopicId = SandboxAccounts.Tencent.Topics[0].TopicId, From = 0L, To = 9_999_999_999_999L, Limit = 100 });
            var clsJson = (await SandboxHarness.JsonAsync(cls)).GetProperty("Response").GetProperty("Results").EnumerateArray().Select(r => r.GetProperty("LogJson").GetString()!).ToList();
            Assert.Equal(50, ltsContents.Count);
            Assert.Equal(50, clsJson.Count);
            return (waf, ltsContents, clsJson);
        }
    }

    [Fact]
    public async Task Generate_DirectoryScan_IsBlockedByScanProtectionAfterTwentyRequests()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("alibaba-waf", 30, "dirscan");

        var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, null);

        Assert.Equal(30, logs.Count);
        Assert.Equal(10, logs.Count(l => l["final_action"] == "block" && l["final_plugin"] == "antiscan"));
        Assert.Equal(20, logs.Count(l => l["final_action"] is null && l["status"] == "404"));
        Assert.All(logs, l => Assert.Equal("198.51.100.23", l["real_client_ip"]));
    }

    [Fact]
    public async Task BlockList_MakesTheWafBlockTheAddressWithTheRule_UntilItExpires()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Put, BlockListPath, new { cidr = "203.0.113.0/24", ruleId = "20001", expiresAt = SandboxHarness.Start.AddMinutes(10) });
        await sandbox.GenerateAsync("alibaba-waf", 3, "sqli");
        sandbox.Clock.Advance(TimeSpan.FromMinutes(11));
        await sandbox.GenerateAsync("alibaba-waf", 2, "sqli");

        var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, null);
        var blockedByAcl = logs.Where(l => l.Time == (uint)SandboxHarness.Start.ToUnixTimeSeconds()).ToList();
        var afterExpiry = logs.Where(l => l.Time != (uint)SandboxHarness.Start.ToUnixTimeSeconds()).ToList();

        Assert.Equal(3, blockedByAcl.Count);
        Assert.All(blockedByAcl, l =>
        {
            Assert.Equal("block", l["final_action"]);
            Assert.Equal("acl", l["final_plugin"]);
            Assert.Equal("20001", l["final_rule_id"]);
            Assert.Equal("20001", l["acl_rule_id"]);
            Assert.Equal("405", l["status"]);
        });
        Assert.Equal(2, afterExpiry.Count);
        Assert.All(afterExpiry, l =>
        {
            Assert.Equal("waf", l["final_plugin"]);
            Assert.Equal("sqli", l["final_rule_type"]);
        });
        Assert.Equal(0, (await sandbox.ControlAsync(HttpMethod.Get, BlockListPath)).GetArrayLength());
    }

    [Fact]
    public async Task BlockList_BlocksBenignTrafficFromABlockedAddress_AndForgetsRemovedEntries()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Put, BlockListPath, new { cidr = "192.0.2.0/24", ruleId = "30003" });
        await sandbox.GenerateAsync("alibaba-waf", 50);
        var listed = await sandbox.ControlAsync(HttpMethod.Get, BlockListPath);
        await sandbox.ControlAsync(HttpMethod.Delete, BlockListPath + "?cidr=192.0.2.0/24");
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        await sandbox.GenerateAsync("alibaba-waf", 50);

        var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, null);

        Assert.Equal("192.0.2.0/24", listed[0].GetProperty("cidr").GetString());
        Assert.Equal(50, logs.Count(l => l["final_rule_id"] == "30003" && l["final_plugin"] == "acl"));
        Assert.Equal(50, logs.Count(l => l["final_action"] is null));
    }

    [Fact]
    public async Task Tick_GeneratesRateTimesSecondsPerStream_PlusActiveScenarios()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Put, "/_sandbox/rates", new Dictionary<string, double> { ["alibaba-waf"] = 10, ["tencent-waf"] = 0.5, ["huawei-waf-access"] = 0, ["alibaba-cloudfirewall"] = 0, ["alibaba-actiontrail"] = 0 });
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/scenarios/portscan/start", new { rate = 4, durationSeconds = 60 });

        var added = await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/traffic/tick", new { seconds = 3 });
        var scenarios = await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/scenarios");

        Assert.Equal(30, added.GetProperty("alibaba-waf").GetInt64());
        Assert.Equal(1, added.GetProperty("tencent-waf").GetInt64());
        Assert.Equal(12, added.GetProperty("alibaba-cloudfirewall").GetInt64());
        Assert.Equal(0, added.GetProperty("huawei-waf-access").GetInt64());
        Assert.Equal("portscan", scenarios.GetProperty("active")[0].GetProperty("name").GetString());

        sandbox.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, (await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/scenarios")).GetProperty("active").GetArrayLength());
    }

    [Fact]
    public async Task Tick_StartsTheAttackScenariosInTurn_OnTheDemoSchedule()
    {
        await using var sandbox = await SandboxHarness.StartAsync(scenarioEvery: TimeSpan.FromMinutes(2));

        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/traffic/tick", new { seconds = 1 });
        var first = await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/scenarios");
        sandbox.Clock.Advance(TimeSpan.FromSeconds(61));
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/traffic/tick", new { seconds = 1 });
        var between = await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/scenarios");
        sandbox.Clock.Advance(TimeSpan.FromSeconds(60));
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/traffic/tick", new { seconds = 1 });
        var second = await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/scenarios");

        Assert.Equal(["sqli"], first.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(0, between.GetProperty("active").GetArrayLength());
        Assert.Equal(["xss"], second.GetProperty("active").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Accounts_ListsTheSeededCredentialsAndResources()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var accounts = await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/accounts");

        var alibaba = accounts.GetProperty("alibaba").GetProperty("account");
        Assert.Equal("5000000000000001", alibaba.GetProperty("aliUid").GetString());
        Assert.Equal(SandboxAccounts.Alibaba.FullAccess.AccessKeySecret, alibaba.GetProperty("fullAccess").GetProperty("accessKeySecret").GetString());
        Assert.Equal(4, alibaba.GetProperty("logStores").GetArrayLength());
        Assert.Equal(SandboxAccounts.Huawei.ProjectId, accounts.GetProperty("huawei").GetProperty("account").GetProperty("projectId").GetString());
        Assert.Equal(SandboxAccounts.Tencent.Topics[0].TopicId, accounts.GetProperty("tencent").GetProperty("account").GetProperty("topics")[0].GetProperty("topicId").GetString());
    }

    // ---------------------------------------------------------------- faults

    [Fact]
    public async Task Http500Fault_FailsTheNextMatchingRequestOnly()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "http500", provider = "alibaba", api = "GetProject", times = 1 });

        using var logStore = await sandbox.SlsV1Async(Host, "/logstores/wafnew-logstore");
        using var failed = await sandbox.SlsV1Async(Host, "/");
        using var next = await sandbox.SlsV1Async(Host, "/");

        Assert.Equal(HttpStatusCode.OK, logStore.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("InternalServerError", (await SandboxHarness.JsonAsync(failed)).GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task ThrottleFault_AnswersEachProvidersThrottlingError_ForItsDuration()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "throttle429", forSeconds = 30 });

        using var sls = await sandbox.SlsV1Async(Host, "/");
        using var lts = await sandbox.LtsQueryAsync(SandboxAccounts.Huawei.WafLogGroup.Streams[0].LogStreamId, new Dictionary<string, object> { ["start_time"] = "0", ["end_time"] = "1" });
        using var cls = await sandbox.ClsAsync("SearchLog", new { TopicId = SandboxAccounts.Tencent.Topics[0].TopicId, From = 0L, To = 1L });
        sandbox.Clock.Advance(TimeSpan.FromSeconds(31));
        using var after = await sandbox.SlsV1Async(Host, "/");

        Assert.Equal(HttpStatusCode.Forbidden, sls.StatusCode);
        Assert.Equal("ReadQuotaExceed", (await SandboxHarness.JsonAsync(sls)).GetProperty("errorCode").GetString());
        Assert.Equal((HttpStatusCode)429, lts.StatusCode);
        Assert.Equal("APIGW.0308", (await SandboxHarness.JsonAsync(lts)).GetProperty("error_code").GetString());
        Assert.Equal("RequestLimitExceeded", (await SandboxHarness.JsonAsync(cls)).GetProperty("Response").GetProperty("Error").GetProperty("Code").GetString());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SignatureRejectionFault_RejectsACorrectSignature()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "signatureRejection", provider = "alibaba" });

        using var rejected = await sandbox.SlsV1Async(Host, "/");
        using var next = await sandbox.SlsV1Async(Host, "/");

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("SignatureNotMatch", (await SandboxHarness.JsonAsync(rejected)).GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task MalformedPageFault_DamagesTheFirstThreeLogsOfAPullLogsPage()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var records = Enumerable.Range(0, 5).Select(i => new Dictionary<string, string>
        {
            ["real_client_ip"] = "192.0.2.10",
            ["request_traceid"] = "trace-" + i.ToString(CultureInfo.InvariantCulture),
            ["host"] = "shop.example.com",
        }).ToArray();
        await sandbox.ControlAsync(HttpMethod.Post, $"/_sandbox/alibaba/{SandboxHarness.WafProject}/noindex-logstore/records", records);
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "malformedPage", provider = "alibaba", api = "PullLogs" });

        var (logs, _) = await SlsEndpointTests.DrainAsync(sandbox, "deflate", "noindex-logstore");

        Assert.Equal(5, logs.Count);
        Assert.Null(logs[0]["request_traceid"]);
        Assert.Equal("shop.example.com", logs[0]["host"]);
        Assert.Equal("tra", logs[1]["request_traceid"]);
        Assert.Equal("shop.exa", logs[1]["host"]);
        Assert.Equal(0u, logs[2].Time);
        Assert.Equal("trace-2", logs[2]["request_traceid"]);
        Assert.Equal(["trace-3", "trace-4"], logs.Skip(3).Select(l => l["request_traceid"]));
    }

    [Fact]
    public async Task MalformedPageFault_DamagesLtsAndClsRecords()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.GenerateAsync("huawei-waf-attack", 4, "sqli");
        await sandbox.GenerateAsync("tencent-waf", 4);
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "malformedPage", times = 2 });

        using var lts = await sandbox.LtsQueryAsync(SandboxAccounts.Huawei.WafLogGroup.Streams[0].LogStreamId, new Dictionary<string, object> { ["start_time"] = "0", ["end_time"] = "9999999999999" });
        using var cls = await sandbox.ClsAsync("SearchLog", new { TopicId = SandboxAccounts.Tencent.Topics[0].TopicId, From = 0L, To = 9_999_999_999_999L, Sort = "asc" });

        var contents = (await SandboxHarness.JsonAsync(lts)).GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("content").GetString()!).ToList();
        var logJson = (await SandboxHarness.JsonAsync(cls)).GetProperty("Response").GetProperty("Results").EnumerateArray().Select(l => l.GetProperty("LogJson").GetString()!).ToList();
        foreach (var page in new[] { (contents, "requestid"), (logJson, "uuid") })
        {
            Assert.Equal(4, page.Item1.Count);
            Assert.False(JsonDocument.Parse(page.Item1[0]).RootElement.TryGetProperty(page.Item2, out _));
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(page.Item1[1]));
            Assert.Equal("sandbox-malformed-record: this line is not JSON", page.Item1[2]);
            Assert.True(JsonDocument.Parse(page.Item1[3]).RootElement.TryGetProperty(page.Item2, out _));
        }
    }

    [Fact]
    public async Task LatencyFault_HoldsTheResponseUntilTheSandboxClockPasses()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "latency", latencyMs = 5000, provider = "alibaba" });
        var delaying = sandbox.Cloud.State.NextInjectedDelayAsync();

        var pending = sandbox.SlsV1Async(Host, "/");
        await delaying;
        Assert.False(pending.IsCompleted);
        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(5000));
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Faults_AreListedAndCleared()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "http500", times = 3 });

        var listed = await sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/faults");
        var cleared = await sandbox.ControlAsync(HttpMethod.Delete, "/_sandbox/faults");
        using var response = await sandbox.SlsV1Async(Host, "/");

        Assert.Equal("http500", listed[0].GetProperty("kind").GetString());
        Assert.Equal(3, listed[0].GetProperty("remainingTimes").GetInt32());
        Assert.Equal(1, cleared.GetProperty("cleared").GetInt32());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
