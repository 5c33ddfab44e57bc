using System.Globalization;
using System.Text.Json;
using Ctdr.CloudEmulator.Alibaba;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;
using Ctdr.CloudEmulator.Traffic;

namespace Ctdr.CloudEmulator.Control;

public sealed record GenerateRequest(string? Provider, string Stream, int Count, string? Scenario = null, int? Seed = null);

public sealed record ScenarioStartRequest(double? Rate = null, double? DurationSeconds = null);

public sealed record BlockRequest(string? Ip = null, string? Cidr = null, string? RuleId = null, DateTimeOffset? ExpiresAt = null);

public sealed record TickRequest(double Seconds);

/// <summary>
/// The sandbox control API under <c>/_sandbox/</c> (JSON, loopback callers only by default): accounts, state,
/// appending records, generating traffic, scenarios, rates, faults and the WAF block list.
/// </summary>
internal static class ControlApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Hosting.ProviderRouter.ControlPrefix);

        api.MapGet("/accounts", (HttpContext context) => Results.Json(Accounts(context), HttpWrite.Json));
        api.MapGet("/state", (SandboxState state, TrafficGenerator generator) => Results.Json(State(state, generator), HttpWrite.Json));

        api.MapPost("/alibaba/{project}/{logStore}/records", AppendAlibaba);
        api.MapPost("/huawei/{projectId}/{groupId}/{streamId}/records", AppendHuawei);
        api.MapPost("/tencent/{topicId}/records", AppendTencent);

        api.MapPost("/generate", (GenerateRequest request, TrafficGenerator generator) => Guard(() =>
        {
            if (request.Provider is { } provider && !request.Stream.StartsWith(provider.ToLowerInvariant() + "-", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Stream '{request.Stream}' does not belong to provider '{provider}'.");
            }

            return Results.Json(generator.Generate(request.Stream, request.Count, request.Scenario, request.Seed), HttpWrite.Json);
        }));

        api.MapGet("/scenarios", (TrafficGenerator generator) => Results.Json(new { scenarios = Scenarios.All, active = generator.ActiveScenarios }, HttpWrite.Json));
        api.MapPost("/scenarios/{name}/start", async (string name, HttpRequest request, TrafficGenerator generator) =>
        {
            var body = await OptionalBody<ScenarioStartRequest>(request) ?? new ScenarioStartRequest();
            return Guard(() => Results.Json(generator.StartScenario(name, body.Rate, body.DurationSeconds), HttpWrite.Json));
        });
        api.MapPost("/scenarios/{name}/stop", (string name, TrafficGenerator generator) =>
            generator.StopScenario(name) ? Results.Json(new { stopped = name }, HttpWrite.Json) : Problem(404, $"Scenario '{name}' is not running."));

        api.MapGet("/rates", (TrafficGenerator generator) => Results.Json(generator.Rates, HttpWrite.Json));
        api.MapPut("/rates", (Dictionary<string, double> rates, TrafficGenerator generator) => Guard(() =>
        {
            generator.SetRates(rates);
            return Results.Json(generator.Rates, HttpWrite.Json);
        }));
        api.MapPost("/traffic/start", (TrafficGenerator generator) =>
        {
            generator.Running = true;
            return Results.Json(new { running = true }, HttpWrite.Json);
        });
        api.MapPost("/traffic/stop", (TrafficGenerator generator) =>
        {
            generator.Running = false;
            return Results.Json(new { running = false }, HttpWrite.Json);
        });
        api.MapPost("/traffic/tick", (TickRequest request, TrafficGenerator generator, SandboxState state) => Guard(() =>
        {
            if (request.Seconds is <= 0 or > 3600)
            {
                throw new ArgumentException("seconds must be in (0, 3600].");
            }

            var before = state.StreamNames.ToDictionary(s => s, state.RecordCount, StringComparer.Ordinal);
            var wasRunning = generator.Running;
            generator.Running = true;
            generator.Tick(TimeSpan.FromSeconds(request.Seconds));
            generator.Running = wasRunning;
            return Results.Json(state.StreamNames.Order(StringComparer.Ordinal).ToDictionary(s => s, s => state.RecordCount(s) - before[s], StringComparer.Ordinal), HttpWrite.Json);
        }));

        api.MapGet("/faults", (SandboxState state) => Results.Json(state.Faults.List(), HttpWrite.Json));
        api.MapPost("/faults", (FaultRequest request, SandboxState state) => Guard(() => Results.Json(state.Faults.Add(request), HttpWrite.Json)));
        api.MapDelete("/faults", (SandboxState state) => Results.Json(new { cleared = state.Faults.Clear() }, HttpWrite.Json));

        api.MapGet("/blocklist/alibaba/{uid}", (string uid, SandboxState state) =>
            state.BlockLists.TryGetValue(uid, out var list) ? Results.Json(list.List(state.Clock.GetUtcNow()), HttpWrite.Json) : Problem(404, $"No Alibaba Cloud account {uid}."));
        api.MapPut("/blocklist/alibaba/{uid}", (string uid, BlockRequest request, SandboxState state) => Guard(() =>
        {
            if (!state.BlockLists.TryGetValue(uid, out var list))
            {
                return Problem(404, $"No Alibaba Cloud account {uid}.");
            }

            var target = request.Ip ?? request.Cidr ?? throw new ArgumentException("ip or cidr is required.");
            var ruleId = string.IsNullOrWhiteSpace(request.RuleId) ? throw new ArgumentException("ruleId is required.") : request.RuleId;
            return Results.Json(list.Add(target, ruleId, request.ExpiresAt, state.Clock.GetUtcNow()), HttpWrite.Json);
        }));
        api.MapDelete("/blocklist/alibaba/{uid}", (string uid, string? ip, string? cidr, SandboxState state) => Guard(() =>
            state.BlockLists.TryGetValue(uid, out var list)
                ? Results.Json(new { removed = list.Remove(ip ?? cidr) }, HttpWrite.Json)
                : Problem(404, $"No Alibaba Cloud account {uid}.")));
        MapWafBlockLists(api);
    }

    /// <summary>What the Huawei (by project) and Tencent (by AppId) WAF APIs put in force, per policy or domain; read only, the WAF APIs change it.</summary>
    private static void MapWafBlockLists(RouteGroupBuilder api)
    {
        api.MapGet("/blocklist/huawei/{projectId}", (string projectId, SandboxState state) =>
            state.HuaweiWafs.ContainsKey(projectId)
                ? Results.Json(state.WafBlockEntries("huawei", projectId, state.Clock.GetUtcNow()), HttpWrite.Json)
                : Problem(404, $"No Huawei Cloud project {projectId}."));
        api.MapGet("/blocklist/tencent/{appId}", (string appId, SandboxState state) =>
            state.TencentWafs.ContainsKey(appId)
                ? Results.Json(state.WafBlockEntries("tencent", appId, state.Clock.GetUtcNow()), HttpWrite.Json)
                : Problem(404, $"No Tencent Cloud account {appId}."));
    }

    private static object Accounts(HttpContext context) => new
    {
        sandboxBaseAddress = $"{context.Request.Scheme}://{context.Request.Host}",
        note = "Connect to the sandbox address and send the provider's real Host header; the Host names below are what the real services use.",
        alibaba = new
        {
            account = SandboxAccounts.Alibaba,
            slsEndpoint = $"{SandboxAccounts.AlibabaRegion}.log.aliyuncs.com",
            hostPattern = "<project>." + SandboxAccounts.AlibabaRegion + ".log.aliyuncs.com",
            wafEndpoint = $"wafopenapi.{SandboxAccounts.AlibabaRegion}.aliyuncs.com",
            wafInstanceId = SandboxAccounts.AlibabaWafInstanceId,
        },
        huawei = new
        {
            account = SandboxAccounts.Huawei,
            ltsEndpoint = $"lts.{SandboxAccounts.HuaweiRegion}.myhuaweicloud.com",
            wafEndpoint = $"waf.{SandboxAccounts.HuaweiRegion}.myhuaweicloud.com",
            waf = SandboxWafs.Huawei,
        },
        tencent = new
        {
            account = SandboxAccounts.Tencent,
            clsEndpoint = "cls.tencentcloudapi.com",
            version = Tencent.ClsEndpoint.Version,
            wafEndpoint = "waf.tencentcloudapi.com",
            wafVersion = Tencent.TencentWafEndpoint.Version,
            waf = SandboxWafs.Tencent,
        },
    };

    private static object State(SandboxState state, TrafficGenerator generator)
    {
        var now = state.Clock.GetUtcNow();
        return new
        {
            now,
            trafficRunning = generator.Running,
            rates = generator.Rates,
            streams = state.StreamNames.Order(StringComparer.Ordinal).ToDictionary(s => s, state.RecordCount, StringComparer.Ordinal),
            logStores = state.SlsProjects.Values.SelectMany(p => p.LogStores.Values).OrderBy(s => s.Project.Name, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => new
            {
                project = s.Project.Name,
                logStore = s.Name,
                records = s.RecordCount,
                shards = s.Shards.Select(sh => new { shardId = sh.Id, records = sh.RecordCount, beginOffset = sh.Range.Begin, endOffset = sh.Range.End }).ToArray(),
            }).ToArray(),
            activeScenarios = generator.ActiveScenarios,
            faults = state.Faults.List(),
            blockLists = state.BlockLists.ToDictionary(b => b.Key, b => b.Value.List(now), StringComparer.Ordinal),
        };
    }

    private static async Task<IResult> AppendAlibaba(string project, string logStore, HttpRequest request, SandboxState state)
    {
        var store = state.FindLogStore(project, logStore);
        if (store is null)
        {
            return Problem(404, $"No logstore {project}/{logStore}.");
        }

        using var document = await ReadJson(request);
        if (document is null)
        {
            return Problem(400, "The body must be JSON: an array of flat string maps, or {\"topic\",\"source\",\"records\":[...]}.");
        }

        var root = document.RootElement;
        var seededTopic = SandboxAccounts.Alibaba.LogStores.FirstOrDefault(l => l.Project == project && l.LogStore == logStore)?.Topic ?? string.Empty;
        var topic = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("topic", out var t) ? t.GetString() ?? string.Empty : seededTopic;
        var source = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("source", out var s) ? s.GetString() ?? string.Empty : string.Empty;
        var array = root.ValueKind == JsonValueKind.Array ? root : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("records", out var r) ? r : default;
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Problem(400, "Expected an array of records (or an object with 'records').");
        }

        var now = state.Clock.GetUtcNow().ToUnixTimeSeconds();
        var records = new List<SlsRecord>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return Problem(400, "Each record must be a JSON object of fields.");
            }

            var time = now;
            var contents = new List<KeyValuePair<string, string>>();
            foreach (var field in item.EnumerateObject())
            {
                var value = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : field.Value.GetRawText();
                if (field.Name == "__time__")
                {
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out time))
                    {
                        return Problem(400, $"__time__ '{value}' is not Unix seconds.");
                    }
                }
                else if (field.Name is not ("__topic__" or "__source__"))
                {
                    contents.Add(new(field.Name, value));
                }
            }

            records.Add(new SlsRecord(time, contents));
        }

        var groups = records.Count == 0 ? 0 : store.Append(records, topic, source, now);
        return Results.Json(new { appended = records.Count, logGroups = groups, logStoreRecords = store.RecordCount }, HttpWrite.Json);
    }

    private static Task<IResult> AppendHuawei(string projectId, string groupId, string streamId, HttpRequest request, SandboxState state) =>
        AppendJson(request, state, state.FindLtsStream(projectId, groupId, streamId), $"No LTS log stream {projectId}/{groupId}/{streamId}.");

    private static Task<IResult> AppendTencent(string topicId, HttpRequest request, SandboxState state) =>
        AppendJson(request, state, state.ClsTopics.GetValueOrDefault(topicId)?.Stream, $"No CLS topic {topicId}.");

    /// <summary>Records are JSON objects (or strings, stored as they are); the log time is now unless the body gives <c>timeMs</c>.</summary>
    private static async Task<IResult> AppendJson(HttpRequest request, SandboxState state, JsonLogStream? stream, string notFound)
    {
        if (stream is null)
        {
            return Problem(404, notFound);
        }

        using var document = await ReadJson(request);
        if (document is null)
        {
            return Problem(400, "The body must be JSON: an array of records, or {\"timeMs\",\"records\":[...]}.");
        }

        var root = document.RootElement;
        var time = state.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("timeMs", out var t) && !t.TryGetInt64(out time))
        {
            return Problem(400, "timeMs must be Unix milliseconds.");
        }

        var array = root.ValueKind == JsonValueKind.Array ? root : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("records", out var r) ? r : default;
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Problem(400, "Expected an array of records (or an object with 'records').");
        }

        var records = array.EnumerateArray()
            .Select(item => (time, item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText()))
            .ToList();
        if (records.Count > 0)
        {
            stream.Append(records);
        }

        return Results.Json(new { appended = records.Count, streamRecords = stream.Count }, HttpWrite.Json);
    }

    private static async Task<JsonDocument?> ReadJson(HttpRequest request)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<T?> OptionalBody<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength is 0 or null && request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, HttpWrite.Json, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException e)
        {
            return Problem(400, e.Message);
        }
        catch (FormatException e)
        {
            return Problem(400, e.Message);
        }
    }

    private static IResult Problem(int status, string message) =>
        Results.Json(new { error = status == 404 ? "NotFound" : "BadRequest", message }, HttpWrite.Json, statusCode: status);
}
