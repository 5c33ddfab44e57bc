using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ctdr.CloudEmulator.Common;

namespace Ctdr.CloudEmulator.Alibaba;

/// <summary>
/// The WAF 3.0 OpenAPI (<c>waf-openapi</c> 2021-10-01) on <c>wafopenapi.&lt;region&gt;.aliyuncs.com</c>: RPC style,
/// parameters from the URL query and a form body merged, authenticated with POP signature V3 (<c>Authorization:
/// ACS3-HMAC-SHA256 ...</c>) or V2 (<c>Signature</c> parameter), the request time within 15 minutes and each nonce
/// used once. Errors answer <c>{"RequestId","HostId","Code","Message","Recommend"}</c>.
/// </summary>
internal sealed class WafEndpoint(SandboxState state)
{
    public const string Version = "2021-10-01";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);
    private static readonly string[] V2Required = ["AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Action", "Version"];
    private static readonly string[] V3Required = ["x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

    public async Task HandleAsync(HttpContext context, string region)
    {
        var requestId = RequestIdOf();
        var host = $"wafopenapi.{region}.aliyuncs.com";
        try
        {
            var signed = await SignedRequest.FromHttpAsync(context.Request, context.RequestAborted);
            var parameters = Parameters(signed);
            var (key, action) = Authenticate(signed, parameters);
            var faults = state.Faults.Take("alibaba", action);
            if (faults.LatencyMs > 0)
            {
                await state.Faults.DelayAsync(faults.LatencyMs, context.RequestAborted);
            }

            if (faults.SignatureRejection)
            {
                throw new WafApiException(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation (injected by the sandbox).");
            }

            if (faults.Throttle)
            {
                throw new WafApiException(400, "Throttling.User", "Request was denied due to user flow control (injected by the sandbox).");
            }

            if (faults.Http500)
            {
                throw new WafApiException(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure (injected by the sandbox).");
            }

            var body = Dispatch(action, key, region, parameters);
            body["RequestId"] = requestId;
            await HttpWrite.BytesAsync(context, 200, Encoding.UTF8.GetBytes(body.ToJsonString(JsonOptions)), "application/json;charset=utf-8");
        }
        catch (WafApiException e)
        {
            await ErrorAsync(context, requestId, host, e.Status, e.Code, e.Message);
        }
    }

    /// <summary>The real service's error body; <c>Recommend</c> points at its troubleshooting page for the request.</summary>
    internal static Task ErrorAsync(HttpContext context, string requestId, string host, int status, string code, string message) =>
        HttpWrite.JsonAsync(context, status, new Dictionary<string, string>
        {
            ["RequestId"] = requestId,
            ["HostId"] = host,
            ["Code"] = code,
            ["Message"] = message,
            ["Recommend"] = $"https://api.aliyun.com/troubleshoot?q={Uri.EscapeDataString(code)}&product=waf-openapi&requestId={requestId}",
        });

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string RequestIdOf()
    {
        var hex = HttpWrite.NewRequestId(32);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>URL query then form body, in arrival order.</summary>
    private static List<KeyValuePair<string, string>> Parameters(SignedRequest signed)
    {
        var parameters = new List<KeyValuePair<string, string>>(signed.Query);
        var contentType = signed.Header("Content-Type") ?? string.Empty;
        if (signed.Body.Length > 0 && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (name, values) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(signed.Body)))
            {
                parameters.AddRange(values.Select(v => KeyValuePair.Create(name, v ?? string.Empty)));
            }
        }

        return parameters;
    }

    private static string? Param(List<KeyValuePair<string, string>> parameters, string name) =>
        parameters.FirstOrDefault(p => p.Key == name) is { Key: not null } found ? found.Value : null;

    private static WafApiException Missing(string name) =>
        new(400, "MissingParameter", $"The input parameter \"{name}\" that is mandatory for processing this request is not supplied.");

    /// <summary>Checks the signature (V3 header or V2 parameter), time and nonce; answers the key and the action.</summary>
    private (AliyunKey Key, string Action) Authenticate(SignedRequest signed, List<KeyValuePair<string, string>> parameters)
    {
        var authorization = signed.Header("Authorization");
        var now = state.Clock.GetUtcNow();
        if (authorization is not null && authorization.TrimStart().StartsWith(PopV3Authorization.Algorithm, StringComparison.Ordinal))
        {
            var parsed = PopV3Authorization.Parse(authorization.Trim())
                ?? throw new WafApiException(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. The Authorization header must be 'ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>'.");
            foreach (var name in V3Required)
            {
                if (string.IsNullOrEmpty(signed.Header(name)))
                {
                    throw Missing(name);
                }
            }

            var signedNames = parsed.SignedHeaders.Select(h => h.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            if (!signedNames.Contains("host") || V3Required.Any(h => !signedNames.Contains(h)))
            {
                throw new WafApiException(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. SignedHeaders must list host and every x-acs-* header.");
            }

            var key = KeyOf(parsed.AccessKeyId);
            CheckTime(signed.Header("x-acs-date"), now);
            var declared = signed.Header("x-acs-content-sha256")!.Trim();
            var stringToSign = PopSignatureV3.StringToSign(PopSignatureV3.CanonicalRequest(signed, parsed.SignedHeaders));
            if (!string.Equals(declared, Crypto.Sha256Hex(signed.Body), StringComparison.Ordinal)
                || !Crypto.FixedTimeEquals(PopSignatureV3.Sign(key.Secret, stringToSign), parsed.Signature))
            {
                throw new WafApiException(400, "SignatureDoesNotMatch",
                    $"The request signature does not conform to Aliyun standards. server string to sign is:{HttpWrite.Escape(stringToSign)}");
            }

            CheckNonce(key, signed.Header("x-acs-signature-nonce")!, now);
            CheckVersion(signed.Header("x-acs-version")!);
            return (key, signed.Header("x-acs-action")!.Trim());
        }

        var signature = Param(parameters, "Signature");
        if (signature is null)
        {
            throw new WafApiException(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: neither an ACS3-HMAC-SHA256 Authorization header nor a Signature parameter.");
        }

        foreach (var name in V2Required)
        {
            if (string.IsNullOrEmpty(Param(parameters, name)))
            {
                throw Missing(name);
            }
        }

        if (Param(parameters, "SignatureMethod") != "HMAC-SHA1" || Param(parameters, "SignatureVersion") != "1.0")
        {
            throw new WafApiException(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.");
        }

        var v2Key = KeyOf(Param(parameters, "AccessKeyId")!);
        CheckTime(Param(parameters, "Timestamp"), now);
        var v2StringToSign = PopSignatureV2.StringToSign(signed.Method, parameters);
        if (!Crypto.FixedTimeEquals(PopSignatureV2.Sign(v2Key.Secret, v2StringToSign), signature))
        {
            throw new WafApiException(400, "SignatureDoesNotMatch", $"Specified signature is not matched with our calculation. server string to sign is:{v2StringToSign}");
        }

        CheckNonce(v2Key, Param(parameters, "SignatureNonce")!, now);
        CheckVersion(Param(parameters, "Version")!);
        return (v2Key, Param(parameters, "Action")!);
    }

    private AliyunKey KeyOf(string accessKeyId) =>
        state.AliyunKeys.TryGetValue(accessKeyId, out var key)
            ? key
            : throw new WafApiException(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");

    private static void CheckTime(string? value, DateTimeOffset now)
    {
        var time = PopSignatureV2.ParseTimestamp(value)
            ?? throw new WafApiException(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
        if ((time - now).Duration() > MaxSkew)
        {
            throw new WafApiException(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }
    }

    private void CheckNonce(AliyunKey key, string nonce, DateTimeOffset now)
    {
        if (!state.Waf.UseNonce(key.Id, nonce.Trim(), now))
        {
            throw new WafApiException(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
    }

    private static void CheckVersion(string version)
    {
        if (version.Trim() != Version)
        {
            throw new WafApiException(400, "InvalidVersion", $"Specified parameter Version is not valid: {version}.");
        }
    }

    private JsonObject Dispatch(string action, AliyunKey key, string region, List<KeyValuePair<string, string>> parameters)
    {
        var now = state.Clock.GetUtcNow();
        var store = state.Waf;
        if (action == "DescribeInstance")
        {
            var own = store.InstanceOf(key.OwnerUid, region);
            return own is null
                ? []
                : new JsonObject
                {
                    ["InstanceId"] = own.Id, ["Edition"] = own.Edition, ["RegionId"] = own.Region, ["Status"] = 1, ["PayType"] = "Subscription",
                    ["StartTime"] = now.AddDays(-30).ToUnixTimeMilliseconds(), ["EndTime"] = now.AddDays(335).ToUnixTimeMilliseconds(), ["InDebt"] = "0",
                };
        }

        string Required(string name) => Param(parameters, name) is { Length: > 0 } value ? value : throw Missing(name);
        long RequiredLong(string name) => long.TryParse(Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new WafApiException(400, "InvalidParameter", $"The parameter {name} must be an integer.");
        long? OptionalLong(string name) => Param(parameters, name) is { Length: > 0 } ? RequiredLong(name) : null;
        int Page(string name, int fallback, int max) => Param(parameters, name) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n : throw new WafApiException(400, "InvalidParameter", $"The parameter {name} must be 1-{max}.")
            : fallback;

        if (action is not ("DescribeDomains" or "DescribeDefenseTemplates" or "CreateDefenseTemplate" or "DescribeDefenseRules" or "DescribeDefenseRule"
            or "CreateDefenseRule" or "ModifyDefenseRule" or "ModifyDefenseRuleStatus" or "DeleteDefenseRule"))
        {
            throw new WafApiException(404, "InvalidAction.NotFound", $"Specified api is not found, please check your url and method: {action}.");
        }

        var instance = store.Instance(key.OwnerUid, region, Required("InstanceId"));
        var defenseType = Param(parameters, "DefenseType") is { Length: > 0 } t ? t : "template";
        if (defenseType != "template" && action is not ("DescribeDomains" or "DescribeDefenseTemplates" or "CreateDefenseTemplate"))
        {
            throw new WafApiException(400, "InvalidParameter", $"The sandbox serves template protection rules only (DefenseType={defenseType}).");
        }

        var pageNumber = Page("PageNumber", 1, 100_000);
        var pageSize = Page("PageSize", 10, 100);
        switch (action)
        {
            case "DescribeDomains":
                return store.Read(_ => Paged(instance.Domains.Select(d => (JsonNode)new JsonObject
                {
                    ["Domain"] = d, ["Cname"] = $"{d.Replace('.', '-')}.sbx5000000001.yundunwaf5.com", ["Status"] = 1, ["ResourceManagerResourceGroupId"] = "rg-acfmsandbox",
                }), "Domains", pageNumber, pageSize));
            case "DescribeDefenseTemplates":
            {
                var scene = Param(parameters, "DefenseScene");
                var type = Param(parameters, "TemplateType");
                return store.Read(_ => Paged(instance.Templates.Values
                    .Where(x => (string.IsNullOrEmpty(scene) || x.Scene == scene) && (string.IsNullOrEmpty(type) || x.Type == type))
                    .Select(x => (JsonNode)new JsonObject
                    {
                        ["TemplateId"] = x.Id, ["TemplateName"] = x.Name, ["TemplateType"] = x.Type, ["TemplateOrigin"] = x.Origin, ["DefenseScene"] = x.Scene,
                        ["TemplateStatus"] = x.Status, ["Description"] = x.Description, ["GmtModified"] = x.GmtModified,
                    }), "Templates", pageNumber, pageSize));
            }

            case "CreateDefenseTemplate":
            {
                var type = Required("TemplateType");
                if (type is not ("user_default" or "user_custom"))
                {
                    throw new WafApiException(400, "InvalidParameter", "TemplateType must be user_default or user_custom.");
                }

                var status = Required("TemplateStatus") switch
                {
                    "0" => 0,
                    "1" => 1,
                    _ => throw new WafApiException(400, "InvalidParameter", "TemplateStatus must be 0 or 1."),
                };
                var id = store.CreateTemplate(instance, Required("TemplateName"), type, Required("TemplateOrigin"), Required("DefenseScene"), status,
                    Param(parameters, "Description") ?? string.Empty, now);
                return new JsonObject { ["TemplateId"] = id };
            }

            case "DescribeDefenseRules":
            {
                var (templateId, ruleId, scene, name) = RuleQuery(Param(parameters, "Query"));
                var whitelist = Param(parameters, "RuleType") == "whitelist";
                return store.Read(_ => Paged(instance.Rules.Values
                    .Where(r => (r.Scene == "whitelist") == whitelist)
                    .Where(r => (templateId is null || r.TemplateId == templateId) && (ruleId is null || r.Id == ruleId)
                                && (scene is null || r.Scene == scene) && (name is null || r.Name == name))
                    .Select(r => (JsonNode)RuleJson(r)), "Rules", pageNumber, pageSize));
            }

            case "DescribeDefenseRule":
            {
                var rule = store.Rule(instance, RequiredLong("RuleId"), OptionalLong("TemplateId"));
                return store.Read(_ => new JsonObject { ["Rule"] = RuleJson(rule) });
            }

            case "CreateDefenseRule":
            {
                var scene = Required("DefenseScene");
                var templateId = OptionalLong("TemplateId") ?? throw Missing("TemplateId");
                var ids = store.CreateRules(instance, templateId, scene, RuleObjects(Required("Rules")), now);
                return new JsonObject { ["RuleIds"] = string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) };
            }

            case "ModifyDefenseRule":
                store.ModifyRules(instance, OptionalLong("TemplateId"), RuleObjects(Required("Rules")), now);
                return [];
            case "ModifyDefenseRuleStatus":
            {
                var status = Required("RuleStatus") switch
                {
                    "0" => 0,
                    "1" => 1,
                    _ => throw new WafApiException(400, "InvalidParameter", "RuleStatus must be 0 or 1."),
                };
                store.SetRuleStatus(instance, OptionalLong("TemplateId"), RequiredLong("RuleId"), status, now);
                return [];
            }

            default:
            {
                var ids = Required("RuleIds").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(i => long.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new WafApiException(400, "InvalidParameter", $"RuleIds holds '{i}', which is not a rule id."))
                    .ToList();
                store.DeleteRules(instance, OptionalLong("TemplateId"), ids, now);
                return [];
            }
        }
    }

    private static JsonObject Paged(IEnumerable<JsonNode> items, string name, int pageNumber, int pageSize)
    {
        var all = items.ToList();
        return new JsonObject
        {
            ["TotalCount"] = all.Count,
            [name] = new JsonArray([.. all.Skip((pageNumber - 1) * pageSize).Take(pageSize)]),
        };
    }

    private static JsonObject RuleJson(WafRule rule) => new()
    {
        ["RuleId"] = rule.Id,
        ["RuleName"] = rule.Name,
        ["TemplateId"] = rule.TemplateId,
        ["DefenseScene"] = rule.Scene,
        ["DefenseType"] = "template",
        ["DefenseOrigin"] = rule.Origin,
        ["RuleType"] = rule.Scene == "whitelist" ? "whitelist" : "defense",
        ["ActionExternal"] = JsonSerializer.Serialize(new Dictionary<string, string> { ["action"] = rule.Action }),
        ["Config"] = rule.Config.ToJsonString(JsonOptions),
        ["Status"] = rule.Status,
        ["GmtCreate"] = rule.GmtCreate,
        ["GmtModified"] = rule.GmtModified,
    };

    /// <summary><c>Rules</c>: a JSON array (or one object) of rule objects, as a string.</summary>
    private static List<JsonObject> RuleObjects(string rules)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(rules);
        }
        catch (JsonException)
        {
            throw new WafApiException(400, "InvalidParameter", "The parameter Rules must be a JSON array of rule objects.");
        }

        var objects = node switch
        {
            JsonArray array when array.All(n => n is JsonObject) => array.Select(n => (JsonObject)n!.DeepClone()).ToList(),
            JsonObject single => [(JsonObject)single.DeepClone()],
            _ => throw new WafApiException(400, "InvalidParameter", "The parameter Rules must be a JSON array of rule objects."),
        };
        return objects.Count == 0 ? throw new WafApiException(400, "InvalidParameter", "The parameter Rules holds no rule.") : objects;
    }

    /// <summary>The filters of DescribeDefenseRules' <c>Query</c> the sandbox understands: templateId, ruleId, scene, name.</summary>
    private static (long? TemplateId, long? RuleId, string? Scene, string? Name) RuleQuery(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return (null, null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(query);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WafApiException(400, "InvalidParameter", "The parameter Query must be a JSON object.");
            }

            static long? Number(JsonElement root, string name) =>
                root.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetInt64() : long.Parse(v.GetString() ?? "0", CultureInfo.InvariantCulture) : null;
            static string? Text(JsonElement root, string name) => root.TryGetProperty(name, out var v) ? v.GetString() : null;
            return (Number(root, "templateId"), Number(root, "ruleId"), Text(root, "scene"), Text(root, "name"));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new WafApiException(400, "InvalidParameter", "The parameter Query must be a JSON object such as {\"templateId\":12345}.");
        }
    }
}
