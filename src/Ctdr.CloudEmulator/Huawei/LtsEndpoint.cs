using System.Globalization;
using System.Text.Json;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;

namespace Ctdr.CloudEmulator.Huawei;

/// <summary>
/// Huawei Cloud Log Tank Service: <c>lts.&lt;region&gt;.myhuaweicloud.com</c>. Requests are signed with AK/SK
/// (<c>SDK-HMAC-SHA256</c>, X-Sdk-Date within 15 minutes); gateway failures answer <c>{"error_code":"APIGW.xxxx",
/// "error_msg","request_id"}</c>, service failures <c>{"error_code":"LTS.xxxx","error_msg"}</c>.
/// </summary>
internal sealed class LtsEndpoint(SandboxState state)
{
    public async Task HandleAsync(HttpContext context, string region)
    {
        var requestId = HttpWrite.NewRequestId(32, upper: false);
        context.Response.Headers["X-Request-Id"] = requestId;
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        var api = segments switch
        {
            ["v2", _, "groups"] when method == "GET" => "ListLogGroups",
            ["v2", _, "groups", _, "streams"] when method == "GET" => "ListLogStreams",
            ["v2", _, "groups", _, "streams", _, "content", "query"] when method == "POST" => "ListLogs",
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
            await Gateway(context, 404, "APIGW.0101", $"The API does not exist or has not been published in the environment: {method} {context.Request.Path}", requestId);
            return;
        }

        var projectId = segments[1];
        if (projectId != key.ProjectId || !state.LtsProjects.TryGetValue(projectId, out var project) || project.Region != region)
        {
            await Gateway(context, 403, "APIGW.0302", $"The IAM user is not authorized to access project {projectId} in {region}", requestId);
            return;
        }

        if (faults.Throttle)
        {
            await Gateway(context, 429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit (injected by the sandbox)", requestId);
            return;
        }

        if (faults.Http500)
        {
            await Service(context, 500, "LTS.0010", "The system encountered an internal error");
            return;
        }

        if (api == "ListLogGroups")
        {
            await HttpWrite.JsonAsync(context, 200, new
            {
                log_groups = project.Groups.Values.Select(g => new { log_group_id = g.Id, log_group_name = g.Name, creation_time = g.CreateTime, ttl_in_days = 30 }).ToArray(),
            });
            return;
        }

        if (!project.Groups.TryGetValue(segments[3], out var group))
        {
            await Service(context, 404, "LTS.0201", "The log group does not exist");
            return;
        }

        if (api == "ListLogStreams")
        {
            await HttpWrite.JsonAsync(context, 200, new
            {
                log_streams = group.Streams.Values.Select(s => new { log_stream_id = s.Id, log_stream_name = s.Name, creation_time = s.CreateTime, filter_count = 0 }).ToArray(),
            });
            return;
        }

        if (!group.Streams.TryGetValue(segments[5], out var stream))
        {
            await Service(context, 404, "LTS.0208", "The log stream does not exist");
            return;
        }

        try
        {
            await ListLogsAsync(context, stream, signed.Body, faults.MalformedPage);
        }
        catch (LtsParameterException e)
        {
            await Service(context, 400, "LTS.0007", "Invalid request parameter: " + e.Message);
        }
    }

    /// <summary>LTS line numbers: 19 digits, log time in ms × 10^6 plus the arrival number, so they sort by time.</summary>
    internal static long LineNumber(JsonLogEntry entry) => (entry.TimeMs * 1_000_000) + (entry.Sequence % 1_000_000);

    private static async Task ListLogsAsync(HttpContext context, JsonLogStream stream, byte[] body, bool malformed)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new LtsParameterException("the body is not JSON: " + e.Message);
        }

        var start = Millis(root, "start_time") ?? throw new LtsParameterException("start_time is required (Unix milliseconds as a string)");
        var end = Millis(root, "end_time") ?? throw new LtsParameterException("end_time is required (Unix milliseconds as a string)");
        if (start >= end)
        {
            throw new LtsParameterException("start_time must be earlier than end_time");
        }

        var limit = root.TryGetProperty("limit", out var l) ? (l.TryGetInt32(out var n) ? n : throw new LtsParameterException("limit must be an integer")) : 50;
        if (limit is < 1 or > 5000)
        {
            throw new LtsParameterException("limit must be between 1 and 5000");
        }

        var isDesc = root.TryGetProperty("is_desc", out var d) && d.ValueKind == JsonValueKind.True;
        var isCount = root.TryGetProperty("is_count", out var c) && c.ValueKind == JsonValueKind.True;
        var searchType = root.TryGetProperty("search_type", out var st) ? st.GetString() ?? "init" : "init";
        if (searchType is not ("init" or "forwards" or "backwards"))
        {
            throw new LtsParameterException("search_type must be init, forwards or backwards");
        }

        long? lineNum = null;
        if (root.TryGetProperty("line_num", out var ln) && ln.ValueKind != JsonValueKind.Null)
        {
            lineNum = long.TryParse(ln.ValueKind == JsonValueKind.String ? ln.GetString() : ln.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new LtsParameterException("line_num must be the line_num of a returned log");
        }

        if (searchType != "init" && lineNum is null)
        {
            throw new LtsParameterException("line_num is required with search_type forwards or backwards");
        }

        LogQuery query;
        try
        {
            query = LogQuery.Parse(root.TryGetProperty("keywords", out var k) ? k.GetString() : null);
        }
        catch (LogQueryException e)
        {
            throw new LtsParameterException("keywords: " + e.Message);
        }

        var matches = stream.Snapshot()
            .Where(e => e.TimeMs >= start && e.TimeMs <= end && query.Matches(new JsonLogView(e.Json)))
            .Select(e => (Line: LineNumber(e), Entry: e))
            .OrderBy(m => m.Line)
            .ToList();
        if (isDesc)
        {
            matches.Reverse();
        }

        // "forwards" continues in the listing order after line_num, "backwards" returns the page before it.
        List<(long Line, JsonLogEntry Entry)> page;
        if (searchType == "init")
        {
            page = matches.Take(limit).ToList();
        }
        else
        {
            bool After((long Line, JsonLogEntry) m) => isDesc ? m.Line < lineNum : m.Line > lineNum;
            page = searchType == "forwards"
                ? matches.Where(After).Take(limit).ToList()
                : matches.Where(m => !After(m) && m.Line != lineNum).TakeLast(limit).ToList();
        }

        var logs = page.Select((m, i) => new Dictionary<string, object>
        {
            ["content"] = malformed ? Malformation.Json(m.Entry.Json, i, "requestid", "access_log.requestid") : m.Entry.Json,
            ["line_num"] = m.Line.ToString(CultureInfo.InvariantCulture),
            ["labels"] = new Dictionary<string, string> { ["hostName"] = "waf-engine-198-18-30-11", ["category"] = "LTS" },
        }).ToArray();

        await HttpWrite.JsonAsync(context, 200, new Dictionary<string, object>
        {
            ["count"] = isCount ? matches.Count : logs.Length,
            ["logs"] = logs,
            ["isQueryComplete"] = true,
        });
    }

    private static long? Millis(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : throw new LtsParameterException($"{name} must be Unix milliseconds");
    }

    private static Task Gateway(HttpContext context, int status, string code, string message, string requestId) =>
        ApigGate.GatewayAsync(context, status, code, message, requestId);

    private static Task Service(HttpContext context, int status, string code, string message) =>
        HttpWrite.JsonAsync(context, status, new Dictionary<string, string> { ["error_code"] = code, ["error_msg"] = message });

    private sealed class LtsParameterException(string message) : Exception(message);
}
