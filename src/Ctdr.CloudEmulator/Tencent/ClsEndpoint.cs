using System.Globalization;
using System.Text;
using System.Text.Json;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;

namespace Ctdr.CloudEmulator.Tencent;

/// <summary>
/// Tencent Cloud Log Service API 3.0: <c>cls.tencentcloudapi.com</c> (and <c>cls.&lt;region&gt;.tencentcloudapi.com</c>).
/// <c>POST /</c> with <c>X-TC-Action</c>, <c>X-TC-Version: 2020-10-16</c>, <c>X-TC-Timestamp</c> (within 5 minutes),
/// <c>X-TC-Region</c> and a TC3-HMAC-SHA256 signature. Answers are <c>{"Response":{...,"RequestId"}}</c>; errors are
/// <c>{"Response":{"Error":{"Code","Message"},"RequestId"}}</c> with HTTP 200, as API 3.0 does (an injected
/// <c>http500</c> fault answers HTTP 500 with code InternalError).
/// </summary>
internal sealed class ClsEndpoint(SandboxState state)
{
    public const string Version = "2020-10-16";

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
        if (await Tc3Gate.AuthenticateAsync(context, state, signed, "cls", faults, requestId) is not { } key)
        {
            return;
        }

        if (action is not ("SearchLog" or "DescribeTopics"))
        {
            await Error(context, "InvalidAction", $"The requested action `{action}` is not supported by the sandbox (SearchLog, DescribeTopics).", requestId);
            return;
        }

        if (context.Request.Headers["X-TC-Version"].ToString() != Version)
        {
            await Error(context, "NoSuchVersion", $"The API version `{context.Request.Headers["X-TC-Version"]}` does not exist for cls; use {Version}.", requestId);
            return;
        }

        if (faults.Throttle)
        {
            await Error(context, "RequestLimitExceeded", "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls (injected by the sandbox).", requestId);
            return;
        }

        if (faults.Http500)
        {
            await Error(context, "InternalError", "An internal error has occurred. Retry your request (injected by the sandbox).", requestId, status: 500);
            return;
        }

        var region = context.Request.Headers["X-TC-Region"].ToString();
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(signed.Body.Length == 0 ? "{}"u8.ToArray() : signed.Body);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await Error(context, "InvalidParameter", "The request body is not valid JSON.", requestId);
            return;
        }

        if (action == "DescribeTopics")
        {
            var topics = state.ClsTopics.Values.Where(t => t.Region == region && t.AppId == key.AppId).Select(t => new Dictionary<string, object>
            {
                ["TopicId"] = t.Stream.Id,
                ["TopicName"] = t.Stream.Name,
                ["LogsetId"] = t.LogsetId,
                ["Index"] = true,
                ["Status"] = true,
                ["StorageType"] = "hot",
                ["Period"] = 30,
                ["CreateTime"] = DateTimeOffset.FromUnixTimeMilliseconds(t.Stream.CreateTime).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            }).ToArray();
            await Ok(context, new Dictionary<string, object> { ["Topics"] = topics, ["TotalCount"] = topics.Length }, requestId);
            return;
        }

        try
        {
            await SearchLogAsync(context, body, region, key, faults.MalformedPage, requestId);
        }
        catch (ClsParameterException e)
        {
            await Error(context, e.Code, e.Message, requestId);
        }
    }

    private async Task SearchLogAsync(HttpContext context, JsonElement body, string region, TencentKey key, bool malformed, string requestId)
    {
        var topicId = body.TryGetProperty("TopicId", out var t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(topicId))
        {
            throw new ClsParameterException("InvalidParameter", "TopicId is required (the sandbox does not search several Topics at once).");
        }

        if (!state.ClsTopics.TryGetValue(topicId, out var topic) || topic.Region != region || topic.AppId != key.AppId)
        {
            throw new ClsParameterException("ResourceNotFound.TopicNotExist", $"Topic {topicId} does not exist in region {region}.");
        }

        var from = Long(body, "From") ?? throw new ClsParameterException("InvalidParameter", "From is required (Unix milliseconds).");
        var to = Long(body, "To") ?? throw new ClsParameterException("InvalidParameter", "To is required (Unix milliseconds).");
        if (from > to)
        {
            throw new ClsParameterException("InvalidParameter", "From must not be later than To.");
        }

        var limit = (int)(Long(body, "Limit") ?? 100);
        if (limit is < 1 or > 1000)
        {
            throw new ClsParameterException("InvalidParameter", "Limit must be between 1 and 1000.");
        }

        var sort = body.TryGetProperty("Sort", out var s) ? s.GetString() ?? "desc" : "desc";
        if (sort is not ("asc" or "desc"))
        {
            throw new ClsParameterException("InvalidParameter", "Sort must be asc or desc.");
        }

        var queryText = body.TryGetProperty("QueryString", out var qs) ? qs.GetString() : body.TryGetProperty("Query", out var q) ? q.GetString() : null;
        LogQuery query;
        try
        {
            query = LogQuery.Parse(queryText);
        }
        catch (LogQueryException e)
        {
            throw new ClsParameterException("InvalidParameter.InvalidQuery", "Query is invalid: " + e.Message);
        }

        var fingerprint = Crypto.StableHash($"{topicId}|{from}|{to}|{sort}|{queryText}").ToString(CultureInfo.InvariantCulture);
        var offset = (int)(Long(body, "Offset") ?? 0);
        if (body.TryGetProperty("Context", out var ctx) && ctx.GetString() is { Length: > 0 } contextText)
        {
            offset = DecodeContext(contextText, fingerprint);
        }

        var matches = topic.Stream.Snapshot().Where(e => e.TimeMs >= from && e.TimeMs <= to && query.Matches(new JsonLogView(e.Json))).ToList();
        if (sort == "desc")
        {
            matches.Reverse();
        }

        var page = matches.Skip(offset).Take(limit).ToList();
        var listOver = offset + page.Count >= matches.Count;
        var results = page.Select((e, i) => new Dictionary<string, object>
        {
            ["Time"] = e.TimeMs,
            ["TopicId"] = topic.Stream.Id,
            ["TopicName"] = topic.Stream.Name,
            ["Source"] = "198.18.40.12",
            ["FileName"] = string.Empty,
            ["PkgId"] = e.Batch.ToString("X16", CultureInfo.InvariantCulture),
            ["PkgLogId"] = (65536 + e.IndexInBatch).ToString(CultureInfo.InvariantCulture),
            ["HighLights"] = Array.Empty<object>(),
            ["LogJson"] = malformed ? Malformation.Json(e.Json, i, "uuid") : e.Json,
            ["HostName"] = string.Empty,
            ["RawLog"] = string.Empty,
            ["IndexStatus"] = string.Empty,
        }).ToArray();

        await Ok(context, new Dictionary<string, object>
        {
            ["Context"] = listOver ? string.Empty : EncodeContext(offset + page.Count, fingerprint),
            ["ListOver"] = listOver,
            ["Analysis"] = false,
            ["Results"] = results,
            ["ColNames"] = Array.Empty<string>(),
            ["AnalysisResults"] = Array.Empty<object>(),
            ["AnalysisRecords"] = Array.Empty<string>(),
            ["Columns"] = Array.Empty<object>(),
            ["SamplingRate"] = 1,
        }, requestId);
    }

    /// <summary>The paging context: where the next page starts, bound to the query it came from.</summary>
    private static string EncodeContext(int offset, string fingerprint) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"sbx1:{offset}:{fingerprint}")));

    private static int DecodeContext(string context, string fingerprint)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(context)).Split(':');
            if (parts is ["sbx1", var offset, var print] && print == fingerprint && int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new ClsParameterException("InvalidParameter", "Context is invalid or belongs to another query; pass it back unchanged with the same parameters.");
    }

    private static long? Long(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n
            : throw new ClsParameterException("InvalidParameter", $"{name} must be an integer.")
            : null;

    private static Task Ok(HttpContext context, Dictionary<string, object> response, string requestId) => Tc3Gate.OkAsync(context, response, requestId);

    private static Task Error(HttpContext context, string code, string message, string requestId, int status = 200) =>
        Tc3Gate.ErrorAsync(context, code, message, requestId, status);

    private sealed class ClsParameterException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
