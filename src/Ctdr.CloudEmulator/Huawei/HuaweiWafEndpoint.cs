using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;

namespace Ctdr.CloudEmulator.Huawei;

/// <summary>
/// Huawei Cloud WAF: <c>waf.&lt;region&gt;.myhuaweicloud.com</c>, AK/SK-signed like every API behind the gateway.
/// Serves ListPolicy (<c>GET /v1/{project_id}/waf/policy</c>), ListCompositeHosts
/// (<c>GET /v1/{project_id}/composite-waf/host</c>), ListHost (<c>GET /v1/{project_id}/waf/instance</c>) and the
/// black/white IP rules of a policy (<c>GET|POST /v1/{project_id}/waf/policy/{policy_id}/whiteblackip</c>,
/// <c>DELETE …/whiteblackip/{rule_id}</c>). Service errors are <c>{"error_code":"WAF.xxxxxxxx","error_msg"}</c>.
/// </summary>
internal sealed partial class HuaweiWafEndpoint(SandboxState state)
{
    public async Task HandleAsync(HttpContext context, string region)
    {
        var requestId = HttpWrite.NewRequestId(32, upper: false);
        context.Response.Headers["X-Request-Id"] = requestId;
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        var api = segments switch
        {
            ["v1", _, "waf", "policy"] when method == "GET" => "ListPolicy",
            ["v1", _, "composite-waf", "host"] when method == "GET" => "ListCompositeHosts",
            ["v1", _, "waf", "instance"] when method == "GET" => "ListHost",
            ["v1", _, "waf", "policy", _, "whiteblackip"] when method == "GET" => "ListWhiteblackipRule",
            ["v1", _, "waf", "policy", _, "whiteblackip"] when method == "POST" => "CreateWhiteblackipRule",
            ["v1", _, "waf", "policy", _, "whiteblackip", _] when method == "DELETE" => "DeleteWhiteBlackIpRule",
            _ => null,
        };

        var faults = api is null ? FaultSet.None : state.Faults.Take("huawei", api);
        if (faults.LatencyMs > 0)
        {
            await state.Faults.DelayAsync(faults.LatencyMs, context.RequestAborted);
        }

        var signed = await SignedRequest.FromHttpAsync(context.Request, context.RequestAborted);
        if (await ApigGate.AuthenticateAsync(context, state, signed, faults, requestId) is not { } key)
        {
            return;
        }

        if (api is null)
        {
            await ApigGate.GatewayAsync(context, 404, "APIGW.0101", $"The API does not exist or has not been published in the environment: {method} {context.Request.Path}", requestId);
            return;
        }

        var projectId = segments[1];
        if (projectId != key.ProjectId || !state.LtsProjects.TryGetValue(projectId, out var project) || project.Region != region
            || !state.HuaweiWafs.TryGetValue(projectId, out var waf))
        {
            await ApigGate.GatewayAsync(context, 403, "APIGW.0302", $"The IAM user is not authorized to access project {projectId} in {region}", requestId);
            return;
        }

        if (faults.Throttle)
        {
            await ApigGate.GatewayAsync(context, 429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit (injected by the sandbox)", requestId);
            return;
        }

        if (faults.Http500)
        {
            await ErrorAsync(context, 500, "WAF.00010001", "Internal server error (injected by the sandbox)");
            return;
        }

        try
        {
            var now = state.Clock.GetUtcNow();
            object answer = api switch
            {
                "ListPolicy" => ListPolicies(waf),
                "ListCompositeHosts" => ListHosts(waf, composite: true),
                "ListHost" => ListHosts(waf, composite: false),
                "ListWhiteblackipRule" => ListRules(waf, segments[4], signed.Query),
                "CreateWhiteblackipRule" => Rule(Create(waf, segments[4], signed.Body, now)),
                _ => Rule(waf.Delete(segments[4], segments[6])),
            };
            await HttpWrite.JsonAsync(context, 200, answer);
        }
        catch (HuaweiWafException e)
        {
            await ErrorAsync(context, e.Status, e.Code, e.Message);
        }
    }

    private static Dictionary<string, object> ListPolicies(HuaweiWafStore waf)
    {
        var items = waf.Policies().Select(p => new Dictionary<string, object>
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["level"] = 2,
            ["full_detection"] = false,
            ["action"] = new Dictionary<string, string> { ["category"] = "block" },
            ["options"] = new Dictionary<string, bool> { ["webattack"] = true, ["common"] = true, ["whiteblackip"] = true, ["geoip"] = true, ["cc"] = true, ["custom"] = true },
            ["hosts"] = p.Hosts.Select(h => h.Id).ToArray(),
            ["bind_host"] = p.Hosts.Select(h => new Dictionary<string, string> { ["id"] = h.Id, ["hostname"] = h.Name, ["waf_type"] = "cloud" }).ToArray(),
            ["timestamp"] = p.Timestamp,
        }).ToArray();
        return new Dictionary<string, object> { ["total"] = items.Length, ["items"] = items };
    }

    private static Dictionary<string, object> ListHosts(HuaweiWafStore waf, bool composite)
    {
        var items = waf.Policies().SelectMany(p => p.Hosts.Select(h =>
        {
            var item = new Dictionary<string, object>
            {
                ["id"] = h.Id,
                ["hostid"] = h.Id,
                ["hostname"] = h.Name,
                ["policyid"] = p.Id,
                ["access_code"] = h.Id[..12],
                ["protect_status"] = 1,
                ["access_status"] = 1,
                ["proxy"] = false,
                ["timestamp"] = p.Timestamp,
                ["paid_type"] = "prePaid",
                ["web_tag"] = string.Empty,
                ["exclusive_ip"] = false,
                ["region"] = string.Empty,
                ["enterprise_project_id"] = "0",
            };
            if (composite)
            {
                item["waf_type"] = "cloud";
            }

            return item;
        })).ToArray();
        var list = new Dictionary<string, object> { ["total"] = items.Length, ["items"] = items };
        if (composite)
        {
            list["cloud_total"] = items.Length;
            list["premium_total"] = 0;
        }

        return list;
    }

    private static Dictionary<string, object> ListRules(HuaweiWafStore waf, string policyId, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var page = Page(query, "page", 1, int.MaxValue);
        var size = Page(query, "pagesize", 10, 100);
        var name = query.FirstOrDefault(q => q.Key == "name").Value;
        var rules = waf.Rules(policyId).Where(r => string.IsNullOrEmpty(name) || r.Name.Contains(name, StringComparison.Ordinal)).ToList();
        return new Dictionary<string, object>
        {
            ["total"] = rules.Count,
            ["size"] = rules.Count,
            ["items"] = rules.Skip((page - 1) * size).Take(size).Select(Rule).ToArray(),
        };
    }

    private static HuaweiIpRule Create(HuaweiWafStore waf, string policyId, byte[] body, DateTimeOffset now)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new HuaweiWafException(400, "WAF.00021005", "The request body is not valid JSON");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new HuaweiWafException(400, "WAF.00021005", "The request body must be a JSON object");
        }

        var name = Text(root, "name");
        if (name is null || !RuleName().IsMatch(name))
        {
            throw new HuaweiWafException(400, "WAF.00021005", "name is required: at most 64 letters, digits, '-', '_' and '.'");
        }

        if (Text(root, "ip_group_id") is not null)
        {
            throw new HuaweiWafException(400, "WAF.00021005", "The sandbox has no IP address groups: give addr");
        }

        var addr = Text(root, "addr") ?? throw new HuaweiWafException(400, "WAF.00021005", "addr or ip_group_id is required");
        HuaweiWafStore.Network(addr);
        var white = root.TryGetProperty("white", out var w) && w.TryGetInt32(out var value) ? value : throw new HuaweiWafException(400, "WAF.00021005", "white is required: 0 block, 1 allow, 2 log only");
        if (white is < 0 or > 2)
        {
            throw new HuaweiWafException(400, "WAF.00021005", "white must be 0 (block), 1 (allow) or 2 (log only)");
        }

        var description = Text(root, "description");
        if (description is { Length: > 128 })
        {
            throw new HuaweiWafException(400, "WAF.00021005", "description is longer than 128 characters");
        }

        var timeMode = Text(root, "time_mode") ?? "permanent";
        long? start = null, terminal = null;
        if (timeMode == "customize")
        {
            start = Seconds(root, "start");
            terminal = Seconds(root, "terminal");
            if (start >= terminal)
            {
                throw new HuaweiWafException(400, "WAF.00021005", "start must be earlier than terminal");
            }
        }
        else if (timeMode != "permanent")
        {
            throw new HuaweiWafException(400, "WAF.00021005", "time_mode must be permanent or customize");
        }

        return waf.Create(policyId, name, addr, white, description, timeMode, start, terminal, now);
    }

    private static Dictionary<string, object> Rule(HuaweiIpRule rule)
    {
        var item = new Dictionary<string, object>
        {
            ["id"] = rule.Id,
            ["name"] = rule.Name,
            ["policyid"] = rule.PolicyId,
            ["addr"] = rule.Addr,
            ["white"] = rule.White,
            ["description"] = rule.Description ?? string.Empty,
            ["status"] = 1,
            ["time_mode"] = rule.TimeMode,
            ["timestamp"] = rule.Timestamp,
        };
        if (rule is { Start: { } start, Terminal: { } terminal })
        {
            item["start"] = start;
            item["terminal"] = terminal;
        }

        return item;
    }

    private static long Seconds(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.TryGetInt64(out var seconds) && seconds is > 0 and <= int.MaxValue
            ? seconds
            : throw new HuaweiWafException(400, "WAF.00021005", $"{name} is required with time_mode customize (a Unix timestamp in seconds)");

    private static int Page(IReadOnlyList<KeyValuePair<string, string>> query, string name, int fallback, int max)
    {
        var text = query.FirstOrDefault(q => q.Key == name).Value;
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max
            ? value
            : throw new HuaweiWafException(400, "WAF.00021005", $"{name} must be an integer between 1 and {max}");
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        HttpWrite.JsonAsync(context, status, new Dictionary<string, string> { ["error_code"] = code, ["error_msg"] = message });

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleName();
}
