using System.Globalization;
using System.Text.Json;
using Ctdr.CloudEmulator.Common;

namespace Ctdr.CloudEmulator.Tencent;

/// <summary>
/// Tencent Cloud WAF API 3.0: <c>waf.tencentcloudapi.com</c>, version <c>2018-01-25</c>, TC3-signed for service
/// <c>waf</c>. Serves DescribeInstances, DescribeDomains, and the IP access control of a domain:
/// CreateIpAccessControl, DescribeIpAccessControl, DeleteIpAccessControlV2 (by rule id) and the older
/// DeleteIpAccessControl (by IP or entry id). Errors are <c>{"Response":{"Error":{"Code","Message"},"RequestId"}}</c> with HTTP 200.
/// </summary>
internal sealed class TencentWafEndpoint(SandboxState state)
{
    public const string Version = "2018-01-25";
    private static readonly string[] Actions = ["CreateIpAccessControl", "DescribeIpAccessControl", "DeleteIpAccessControlV2", "DeleteIpAccessControl", "DescribeInstances", "DescribeDomains"];

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var action = context.Request.Headers["X-TC-Action"].ToString();
        var faults = state.Faults.Take("tencent", action);
        if (faults.LatencyMs > 0)
        {
            await state.Faults.DelayAsync(faults.LatencyMs, context.RequestAborted);
        }

        var signed = await SignedRequest.FromHttpAsync(context.Request, context.RequestAborted);
        if (await Tc3Gate.AuthenticateAsync(context, state, signed, "waf", faults, requestId) is not { } key)
        {
            return;
        }

        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            await Tc3Gate.ErrorAsync(context, "InvalidAction", $"The requested action `{action}` is not supported by the sandbox ({string.Join(", ", Actions)}).", requestId);
            return;
        }

        if (context.Request.Headers["X-TC-Version"].ToString() != Version)
        {
            await Tc3Gate.ErrorAsync(context, "NoSuchVersion", $"The API version `{context.Request.Headers["X-TC-Version"]}` does not exist for waf; use {Version}.", requestId);
            return;
        }

        if (faults.Throttle)
        {
            await Tc3Gate.ErrorAsync(context, "RequestLimitExceeded", "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls (injected by the sandbox).", requestId);
            return;
        }

        if (faults.Http500)
        {
            await Tc3Gate.ErrorAsync(context, "InternalError", "An internal error has occurred. Retry your request (injected by the sandbox).", requestId, status: 500);
            return;
        }

        if (!state.TencentWafs.TryGetValue(key.AppId, out var waf))
        {
            await Tc3Gate.ErrorAsync(context, "ResourceNotFound", "The account has no WAF instance.", requestId);
            return;
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(signed.Body.Length == 0 ? "{}"u8.ToArray() : signed.Body);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await Tc3Gate.ErrorAsync(context, "InvalidParameter", "The request body is not valid JSON.", requestId);
            return;
        }

        try
        {
            var now = state.Clock.GetUtcNow();
            var response = action switch
            {
                "CreateIpAccessControl" => Create(waf, body, now),
                "DescribeIpAccessControl" => Describe(waf, body, now),
                "DeleteIpAccessControlV2" => DeleteV2(waf, body),
                "DeleteIpAccessControl" => DeleteByItems(waf, body),
                "DescribeInstances" => Instances(waf),
                _ => Domains(waf, body),
            };
            await Tc3Gate.OkAsync(context, response, requestId);
        }
        catch (TencentWafException e)
        {
            await Tc3Gate.ErrorAsync(context, e.Code, e.Message, requestId);
        }
    }

    private static Dictionary<string, object> Create(TencentWafStore waf, JsonElement body, DateTimeOffset now)
    {
        var ips = body.TryGetProperty("IpList", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(i => i.GetString() ?? string.Empty).ToList()
            : throw new TencentWafException("MissingParameter", "The request is missing a required parameter `IpList`.");
        var actionType = Int(body, "ActionType") ?? throw new TencentWafException("MissingParameter", "The request is missing a required parameter `ActionType`.");
        var jobType = Text(body, "JobType");
        long? start = null, end = null;
        if (jobType == "TimedJob")
        {
            var timed = body.TryGetProperty("JobDateTime", out var job) && job.TryGetProperty("Timed", out var t) && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0
                ? t[0]
                : throw new TencentWafException("InvalidParameter", "JobType TimedJob needs JobDateTime.Timed with StartDateTime and EndDateTime.");
            start = Long(timed, "StartDateTime") ?? 0;
            end = Long(timed, "EndDateTime") is { } e && e > 0 ? e : null;
            if (end is not null && (end <= start || end <= now.ToUnixTimeSeconds()))
            {
                throw new TencentWafException("InvalidParameter", "JobDateTime.Timed.EndDateTime must be later than StartDateTime and than now.");
            }
        }
        else if (jobType is not null)
        {
            throw new TencentWafException("InvalidParameter", $"JobType {jobType} is not supported by the sandbox (TimedJob).");
        }
        else if (Long(body, "ValidTS") is { } validTs && validTs != TencentWafStore.Permanent)
        {
            end = validTs;
        }

        var ruleId = waf.Create(Text(body, "InstanceId"), Text(body, "Domain"), ips, actionType, Text(body, "Edition"),
            Text(body, "SourceType") ?? "custom", Text(body, "Note") ?? string.Empty, jobType ?? "TimedJob", start, end, now);
        return new Dictionary<string, object> { ["RuleId"] = ruleId };
    }

    private static Dictionary<string, object> Describe(TencentWafStore waf, JsonElement body, DateTimeOffset now)
    {
        var actionType = Int(body, "ActionType");
        var ip = Text(body, "Ip");
        var ruleId = Long(body, "RuleId");
        var validStatus = Int(body, "ValidStatus") ?? 0;
        var offset = (int)(Long(body, "OffSet") ?? 0);
        var limit = (int)(Long(body, "Limit") ?? 20);
        if (offset < 0 || limit is < 1 or > 100)
        {
            throw new TencentWafException("InvalidParameterValue", "OffSet must be at least 0 and Limit between 1 and 100.");
        }

        var nowSeconds = now.ToUnixTimeSeconds();
        var matches = waf.Describe(Text(body, "Domain"))
            .Where(e => actionType is null || e.ActionType == actionType)
            .Where(e => string.IsNullOrEmpty(ip) || e.Ip.Contains(ip, StringComparison.Ordinal))
            .Where(e => ruleId is null || (long)e.RuleId == ruleId)
            .Where(e => validStatus == 0 || (validStatus == 1) == (e.ValidTs > nowSeconds))
            .ToList();
        var res = matches.Skip(offset).Take(limit).Select(e => new Dictionary<string, object>
        {
            ["Id"] = e.Id,
            ["ActionType"] = e.ActionType,
            ["Ip"] = e.Ip,
            ["Note"] = e.Note,
            ["Source"] = e.Source,
            ["TsVersion"] = e.CreateTime,
            ["ValidTs"] = e.ValidTs,
            ["ValidStatus"] = e.ValidTs > nowSeconds ? 1 : 2,
            ["RuleId"] = e.RuleId,
            ["IpList"] = new[] { e.Ip },
            ["CreateTime"] = e.CreateTime,
            ["JobType"] = e.JobType,
            ["CronType"] = string.Empty,
            ["JobDateTime"] = new Dictionary<string, object>
            {
                ["Timed"] = new[] { new Dictionary<string, long> { ["StartDateTime"] = e.StartTs ?? 0, ["EndDateTime"] = e.ValidTs == TencentWafStore.Permanent ? 0 : e.ValidTs } },
                ["Cron"] = Array.Empty<object>(),
                ["TimeTZone"] = "UTC+8",
            },
        }).ToArray();
        return new Dictionary<string, object>
        {
            ["Data"] = new Dictionary<string, object> { ["Res"] = res, ["TotalCount"] = matches.Count },
            ["UsedTotal"] = waf.UsedTotal(),
        };
    }

    private static Dictionary<string, object> DeleteV2(TencentWafStore waf, JsonElement body)
    {
        var deleteAll = body.TryGetProperty("DeleteAll", out var all) && all.ValueKind == JsonValueKind.True;
        var ruleIds = body.TryGetProperty("RuleIds", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(i => i.TryGetUInt64(out var id) ? id : throw new TencentWafException("InvalidParameterValue", "RuleIds must be integers.")).ToList()
            : [];
        if (!deleteAll && ruleIds.Count == 0)
        {
            throw new TencentWafException("MissingParameter", "The request is missing a required parameter `RuleIds` (or DeleteAll true).");
        }

        var actionType = Int(body, "ActionType");
        if (deleteAll && actionType is null)
        {
            throw new TencentWafException("MissingParameter", "ActionType is required with DeleteAll true.");
        }

        return new Dictionary<string, object> { ["FailedCount"] = waf.Delete(Text(body, "Domain"), ruleIds, deleteAll, actionType) };
    }

    private static Dictionary<string, object> DeleteByItems(TencentWafStore waf, JsonElement body)
    {
        var domain = Text(body, "Domain");
        var isId = body.TryGetProperty("IsId", out var flag) && flag.ValueKind == JsonValueKind.True;
        var items = body.TryGetProperty("Items", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(i => i.GetString() ?? string.Empty).ToList()
            : [];
        var entries = waf.Describe(domain);
        var ruleIds = entries.Where(e => items.Contains(isId ? e.Id : e.Ip, StringComparer.Ordinal)).Select(e => e.RuleId).Distinct().ToList();
        var failed = items.Where(i => !entries.Any(e => (isId ? e.Id : e.Ip) == i)).ToArray();
        var deleteAll = body.TryGetProperty("DeleteAll", out var all) && all.ValueKind == JsonValueKind.True;
        waf.Delete(domain, ruleIds, deleteAll, Int(body, "ActionType"));
        return new Dictionary<string, object> { ["FailedItems"] = JsonSerializer.Serialize(failed), ["FailedCount"] = failed.Length };
    }

    private static Dictionary<string, object> Instances(TencentWafStore waf)
    {
        var i = waf.Instance;
        var instance = new Dictionary<string, object>
        {
            ["InstanceId"] = i.InstanceId,
            ["InstanceName"] = i.InstanceName,
            ["ResourceIds"] = "sandbox-resource-" + i.InstanceId,
            ["Region"] = i.Region,
            ["PayMode"] = 1,
            ["RenewFlag"] = 1,
            ["Mode"] = 0,
            ["Level"] = 102,
            ["ValidTime"] = "2099-12-31 23:59:59",
            ["BeginTime"] = "2025-01-01 00:00:00",
            ["DomainCount"] = i.Domains.Count,
            ["SubDomainLimit"] = 100,
            ["MainDomainCount"] = 1,
            ["MainDomainLimit"] = 10,
            ["MaxQPS"] = 2500,
            ["AppId"] = ulong.Parse(waf.AppId, CultureInfo.InvariantCulture),
            ["Edition"] = i.Edition,
            ["Status"] = 1,
            ["RegionId"] = 1,
        };
        return new Dictionary<string, object> { ["Total"] = 1, ["Instances"] = new[] { instance } };
    }

    private static Dictionary<string, object> Domains(TencentWafStore waf, JsonElement body)
    {
        var filters = new List<(string Name, string[] Values)>();
        if (body.TryGetProperty("Filters", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var filter in list.EnumerateArray())
            {
                filters.Add((Text(filter, "Name") ?? string.Empty,
                    filter.TryGetProperty("Values", out var values) && values.ValueKind == JsonValueKind.Array ? [.. values.EnumerateArray().Select(v => v.GetString() ?? string.Empty)] : []));
            }
        }

        var offset = (int)(Long(body, "Offset") ?? 0);
        var limit = (int)(Long(body, "Limit") ?? 20);
        var i = waf.Instance;
        var domains = i.Domains
            .Where(d => filters.All(f => f.Name switch
            {
                "InstanceId" => f.Values.Contains(i.InstanceId, StringComparer.Ordinal),
                "Domain" => f.Values.Contains(d.Name, StringComparer.OrdinalIgnoreCase),
                "DomainId" => f.Values.Contains(d.Id, StringComparer.Ordinal),
                "Edition" => f.Values.Contains(i.Edition, StringComparer.Ordinal),
                _ => throw new TencentWafException("InvalidParameterValue", $"Filter {f.Name} is not supported by the sandbox (InstanceId, Domain, DomainId, Edition)."),
            }))
            .ToList();
        var page = domains.Skip(offset).Take(limit).Select(d => new Dictionary<string, object>
        {
            ["Domain"] = d.Name,
            ["DomainId"] = d.Id,
            ["InstanceId"] = i.InstanceId,
            ["InstanceName"] = i.InstanceName,
            ["Cname"] = d.Name.Replace('.', '-') + ".qcloudwaf.com",
            ["Edition"] = i.Edition,
            ["Region"] = i.Region,
            ["AppId"] = ulong.Parse(waf.AppId, CultureInfo.InvariantCulture),
            ["Mode"] = 1,
            ["Engine"] = 20,
            ["Status"] = 1,
            ["State"] = 0,
            ["FlowMode"] = 0,
            ["ClsStatus"] = 1,
            ["Level"] = 200,
            ["CreateTime"] = "2025-01-01 00:00:00",
            ["ModifyTime"] = "2025-01-01 00:00:00",
            ["Note"] = string.Empty,
        }).ToArray();
        return new Dictionary<string, object> { ["Total"] = domains.Count, ["Domains"] = page };
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var number) ? number : throw new TencentWafException("InvalidParameterValue", $"{name} must be an integer.")
            : null;

    private static int? Int(JsonElement body, string name) => Long(body, name) is { } value ? (int)value : null;
}
