using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ctdr.CloudEmulator.Alibaba.Protocol;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;
using Google.Protobuf;
using K4os.Compression.LZ4;

namespace Ctdr.CloudEmulator.Alibaba;

/// <summary>
/// The SLS data plane: <c>&lt;project&gt;.&lt;region&gt;.log.aliyuncs.com</c> (and the bare region host). Every request
/// is authenticated (signature V1 or V4, request time within 15 minutes), authorised, then served from the logstores.
/// Every response carries <c>x-log-requestid</c>; errors have the body <c>{"errorCode","errorMessage"}</c>.
/// </summary>
internal sealed class SlsEndpoint(SandboxState state)
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    public async Task HandleAsync(HttpContext context, string? projectName, string region)
    {
        context.Response.Headers["x-log-requestid"] = HttpWrite.NewRequestId();
        var request = context.Request;
        var segments = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var type = request.Query["type"].ToString();
        var (api, logStoreName, shardText) = Identify(request.Method, segments, type, projectName is null);

        var faults = api is null ? FaultSet.None : state.Faults.Take("alibaba", api);
        if (faults.LatencyMs > 0)
        {
            await state.Faults.DelayAsync(faults.LatencyMs, context.RequestAborted);
        }

        var signed = await SignedRequest.FromHttpAsync(request, context.RequestAborted);
        var key = Authenticate(signed, region, faults, out var failure);
        if (failure is not null)
        {
            await failure(context);
            return;
        }

        if (api is null)
        {
            await Error(context, 400, "ParameterInvalid", $"The sandbox cloud does not implement {request.Method} {request.Path}{request.QueryString}.");
            return;
        }

        if (projectName is null)
        {
            await ListProjectsAsync(context, key!, region);
            return;
        }

        if (!state.SlsProjects.TryGetValue(projectName, out var project) || project.Region != region)
        {
            await Error(context, 404, "ProjectNotExist", $"The Project does not exist : {projectName}");
            return;
        }

        var resource = $"acs:log:{region}:{project.OwnerUid}:project/{project.Name}" + (logStoreName is null ? string.Empty : "/logstore/" + logStoreName);
        if (key!.OwnerUid != project.OwnerUid || (!key.CanRead && IsDataRead(api)))
        {
            await Error(context, 403, "Unauthorized", $"denied by sts or ram, action: {Action(api)}, resource: {resource}");
            return;
        }

        if (faults.Http500)
        {
            await Error(context, 500, "InternalServerError", "Internal server error (injected by the sandbox).");
            return;
        }

        if (faults.Throttle)
        {
            await Error(context, 403, "ReadQuotaExceed", $"Project read quota exceed: {project.Name} (injected by the sandbox).");
            return;
        }

        if (api == "GetProject")
        {
            await HttpWrite.JsonAsync(context, 200, ProjectJson(project));
            return;
        }

        if (api == "ListLogStores")
        {
            var names = project.LogStores.Keys.Order(StringComparer.Ordinal).ToArray();
            await HttpWrite.JsonAsync(context, 200, new Dictionary<string, object> { ["count"] = names.Length, ["total"] = names.Length, ["logstores"] = names });
            return;
        }

        if (logStoreName is null || !project.LogStores.TryGetValue(logStoreName, out var logStore))
        {
            await Error(context, 404, "LogStoreNotExist", $"logstore {logStoreName} does not exist");
            return;
        }

        try
        {
            switch (api)
            {
                case "GetLogStore":
                    await HttpWrite.JsonAsync(context, 200, LogStoreJson(logStore));
                    break;
                case "GetIndex":
                    await GetIndexAsync(context, logStore);
                    break;
                case "ListShards":
                    await HttpWrite.JsonAsync(context, 200, logStore.Shards.Select((shard, i) => ShardJson(shard, i, logStore.Shards.Length)).ToArray());
                    break;
                case "GetLogs":
                    await GetLogsAsync(context, logStore, faults.MalformedPage);
                    break;
                case "GetHistograms":
                    await GetHistogramsAsync(context, logStore);
                    break;
                default:
                    if (!int.TryParse(shardText, NumberStyles.None, CultureInfo.InvariantCulture, out var shardId) || shardId >= logStore.Shards.Length)
                    {
                        await Error(context, 404, "ShardNotExist", $"shard {shardText} does not exist");
                        break;
                    }

                    var shard = logStore.Shards[shardId];
                    await (api switch
                    {
                        "GetCursor" => GetCursorAsync(context, shard),
                        "GetCursorTime" => GetCursorTimeAsync(context, shard),
                        _ => PullLogsAsync(context, shard, faults.MalformedPage),
                    });
                    break;
            }
        }
        catch (SlsParameterException e)
        {
            await Error(context, e.Status, e.Code, e.Message);
        }
    }

    /// <summary>Which API a request is, from method, path and <c>type</c>; the logstore and shard it addresses.</summary>
    internal static (string? Api, string? LogStore, string? Shard) Identify(string method, string[] segments, string type, bool bareHost)
    {
        if (method != "GET")
        {
            return (null, null, null);
        }

        if (bareHost)
        {
            return (segments.Length == 0 ? "ListProject" : null, null, null);
        }

        return segments switch
        {
            [] => ("GetProject", null, null),
            ["logstores"] => ("ListLogStores", null, null),
            ["logstores", var ls] => (type switch { "log" => "GetLogs", "histogram" => "GetHistograms", _ => "GetLogStore" }, ls, null),
            ["logstores", var ls, "index"] => ("GetIndex", ls, null),
            ["logstores", var ls, "shards"] => ("ListShards", ls, null),
            ["logstores", var ls, "shards", var shard] => (type switch { "cursor" => "GetCursor", "cursor_time" => "GetCursorTime", "log" => "PullLogs", _ => null }, ls, shard),
            _ => (null, null, null),
        };
    }

    /// <summary>
    /// The APIs that read log data (cursors, pulls, queries), as opposed to project and logstore metadata. The
    /// read-denied key may see metadata but no data, as a RAM policy without log:GetCursorOrData and
    /// log:GetLogStoreLogs would.
    /// </summary>
    private static bool IsDataRead(string api) => api is not ("GetProject" or "ListLogStores" or "GetLogStore" or "GetIndex");

    private static string Action(string api) => api switch
    {
        "GetProject" => "log:GetProject",
        "ListLogStores" => "log:ListLogStores",
        "GetLogStore" => "log:GetLogStore",
        "GetIndex" => "log:GetIndex",
        "ListShards" => "log:ListShards",
        "GetCursor" or "GetCursorTime" or "PullLogs" => "log:GetCursorOrData",
        _ => "log:GetLogStoreLogs",
    };

    private AliyunKey? Authenticate(SignedRequest signed, string region, FaultSet faults, out Func<HttpContext, Task>? failure)
    {
        failure = null;
        var authorization = SlsAuthorization.Parse(signed.Header("Authorization"));
        if (authorization is null)
        {
            failure = c => Error(c, 401, "Unauthorized", signed.Header("Authorization") is null
                ? "The request has no Authorization header."
                : "The Authorization header is neither 'LOG <AccessKeyId>:<signature>' nor 'SLS4-HMAC-SHA256 Credential=...,Signature=...'.");
            return null;
        }

        if (!state.AliyunKeys.TryGetValue(authorization.AccessKeyId, out var key))
        {
            failure = c => Error(c, 401, "Unauthorized", $"AccessKeyId not found: {authorization.AccessKeyId}");
            return null;
        }

        var now = state.Clock.GetUtcNow();
        string stringToSign;
        bool valid;
        if (authorization.Version == SlsSignatureVersion.V1)
        {
            var dateText = SlsSignatureV1.DateValue(signed);
            if (SlsSignatureV1.ParseDate(dateText) is not { } date)
            {
                failure = c => Error(c, 400, "InvalidRequestTime", $"Invalid request time: '{dateText}' is not an RFC 822 GMT date.");
                return null;
            }

            if ((date - now).Duration() > MaxSkew)
            {
                failure = c => Error(c, 400, "RequestTimeExpired", $"Request time {dateText} has been expired while server time is {now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)}.");
                return null;
            }

            valid = SlsSignatureV1.Verify(signed, key.Secret, authorization.Signature, out stringToSign);
        }
        else
        {
            var dateText = signed.Header("x-log-date");
            if (SlsSignatureV4.ParseDateTime(dateText) is not { } date)
            {
                failure = c => Error(c, 400, "InvalidRequestTime", $"Invalid request time: x-log-date '{dateText}' is not yyyyMMddTHHmmssZ.");
                return null;
            }

            if ((date - now).Duration() > MaxSkew)
            {
                failure = c => Error(c, 400, "RequestTimeExpired", $"Request time {dateText} has been expired while server time is {now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.");
                return null;
            }

            if (authorization.ScopeDate != dateText![..8] || authorization.ScopeRegion != region)
            {
                failure = c => Error(c, 401, "SignatureNotMatch", $"credential scope {authorization.ScopeDate}/{authorization.ScopeRegion} does not match request date {dateText[..8]} and region {region}");
                return null;
            }

            valid = SlsSignatureV4.Verify(signed, key.Secret, authorization, out stringToSign);
        }

        if (!valid || faults.SignatureRejection)
        {
            var shown = HttpWrite.Escape(stringToSign);
            failure = c => Error(c, 401, "SignatureNotMatch", $"signature {shown} not match");
            return null;
        }

        return key;
    }

    private async Task ListProjectsAsync(HttpContext context, AliyunKey key, string region)
    {
        var projects = state.SlsProjects.Values
            .Where(p => p.OwnerUid == key.OwnerUid && p.Region == region)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(ProjectJson)
            .ToArray();
        await HttpWrite.JsonAsync(context, 200, new Dictionary<string, object> { ["count"] = projects.Length, ["total"] = projects.Length, ["projects"] = projects });
    }

    private static Dictionary<string, object> ProjectJson(SlsProject p) => new()
    {
        ["projectName"] = p.Name,
        ["description"] = p.Description,
        ["region"] = p.Region,
        ["owner"] = p.OwnerUid,
        ["status"] = "Normal",
        ["createTime"] = p.CreateTime.ToString(CultureInfo.InvariantCulture),
        ["lastModifyTime"] = p.CreateTime.ToString(CultureInfo.InvariantCulture),
        ["resourceGroupId"] = "rg-acfmsandbox00001",
        ["dataRedundancyType"] = "LRS",
        ["internetEndpoint"] = $"{p.Region}.log.aliyuncs.com",
        ["internalEndpoint"] = $"{p.Region}-intranet.log.aliyuncs.com",
    };

    private static Dictionary<string, object> LogStoreJson(SlsLogStore s) => new()
    {
        ["logstoreName"] = s.Name,
        ["ttl"] = s.TtlDays,
        ["shardCount"] = s.Shards.Length,
        ["enable_tracking"] = false,
        ["autoSplit"] = true,
        ["maxSplitShard"] = 64,
        ["appendMeta"] = true,
        ["telemetryType"] = string.Empty,
        ["mode"] = "standard",
        ["createTime"] = s.CreateTime,
        ["lastModifyTime"] = s.CreateTime,
    };

    private static Dictionary<string, object> ShardJson(SlsShard shard, int index, int shardCount) => new()
    {
        ["shardID"] = shard.Id,
        ["status"] = "readwrite",
        ["inclusiveBeginKey"] = KeyBoundary(index, shardCount),
        ["exclusiveEndKey"] = KeyBoundary(index + 1, shardCount),
        ["createTime"] = shard.CreateTime,
    };

    /// <summary>Shards split the 128-bit MD5 key space evenly; a boundary is 32 hex digits (the last one all f).</summary>
    private static string KeyBoundary(int index, int shardCount)
    {
        if (index >= shardCount)
        {
            return new string('f', 32);
        }

        var value = (System.Numerics.BigInteger.One << 128) * index / shardCount;
        return value.ToString("x32", CultureInfo.InvariantCulture)[^32..];
    }

    private static async Task GetIndexAsync(HttpContext context, SlsLogStore store)
    {
        if (!store.IndexEnabled)
        {
            await Error(context, 404, "IndexConfigNotExist", $"index config doesn't exist for logstore {store.Name}");
            return;
        }

        string[] delimiters = [",", " ", "'", "\"", ";", "=", "(", ")", "[", "]", "{", "}", "?", "@", "&", "<", ">", "/", ":", "\n", "\t", "\r"];
        var keys = new Dictionary<string, object>();
        foreach (var name in IndexedKeys(store.Name))
        {
            keys[name] = new Dictionary<string, object> { ["type"] = "text", ["token"] = delimiters, ["caseSensitive"] = false, ["chn"] = false, ["doc_value"] = true, ["alias"] = string.Empty };
        }

        await HttpWrite.JsonAsync(context, 200, new Dictionary<string, object>
        {
            ["ttl"] = store.TtlDays,
            ["max_text_len"] = 2048,
            ["log_reduce"] = false,
            ["line"] = new Dictionary<string, object> { ["token"] = delimiters, ["caseSensitive"] = false, ["chn"] = false },
            ["keys"] = keys,
            ["lastModifyTime"] = store.CreateTime,
        });
    }

    private static string[] IndexedKeys(string logStore) => logStore switch
    {
        "cloudfirewall-logstore" => ["log_type", "src_ip", "src_port", "dst_ip", "dst_port", "direction", "ip_protocol", "app_name", "acl_rule_id", "rule_result", "rule_source", "ips_rule_id", "attack_type_name_en"],
        _ when logStore.StartsWith("actiontrail_", StringComparison.Ordinal) => ["event"],
        _ => ["time", "host", "request_method", "request_path", "querystring", "real_client_ip", "remote_addr", "http_user_agent", "status", "request_traceid", "final_action", "final_plugin", "final_rule_id", "final_rule_type"],
    };

    // ---------------------------------------------------------------- cursors and PullLogs

    private static string EncodeCursor(long offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    private static long DecodeCursor(string? cursor, string name)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(cursor ?? string.Empty));
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new SlsParameterException(400, "InvalidCursor", $"{name} {cursor} is invalid");
    }

    private static Task GetCursorAsync(HttpContext context, SlsShard shard)
    {
        var from = context.Request.Query["from"].ToString();
        long offset = from switch
        {
            "begin" => shard.Range.Begin,
            "end" => shard.Range.End,
            _ when long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) => shard.OffsetAtReceiveTime(seconds),
            _ => throw new SlsParameterException(400, "ParameterInvalid", $"from {from} is invalid: use begin, end or a Unix time in seconds"),
        };
        return HttpWrite.JsonAsync(context, 200, new Dictionary<string, string> { ["cursor"] = EncodeCursor(offset) });
    }

    private static Task GetCursorTimeAsync(HttpContext context, SlsShard shard)
    {
        var offset = DecodeCursor(context.Request.Query["cursor"], "cursor");
        var (begin, end) = shard.Range;
        if (offset < begin || offset > end)
        {
            throw new SlsParameterException(400, "InvalidCursor", $"cursor {context.Request.Query["cursor"]} is out of range [{EncodeCursor(begin)}, {EncodeCursor(end)}]");
        }

        var group = shard.GroupAt(offset) ?? shard.GroupAt(end - 1);
        return HttpWrite.JsonAsync(context, 200, new Dictionary<string, long> { ["cursor_time"] = group?.ReceiveTime ?? shard.CreateTime });
    }

    private static async Task PullLogsAsync(HttpContext context, SlsShard shard, bool malformed)
    {
        var query = context.Request.Query;
        var cursorText = query["cursor"].ToString();
        var offset = DecodeCursor(cursorText, "cursor");
        var countText = query["count"].ToString();
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 1000)
        {
            throw new SlsParameterException(400, "ParameterInvalid", $"count {countText} is invalid: it must be between 1 and 1000");
        }

        var (begin, end) = shard.Range;
        if (offset < begin || offset > end)
        {
            // The data the cursor points at was dropped (or never existed): the service refuses the cursor and the
            // client must get a new one (GetCursor from=begin).
            throw new SlsParameterException(400, "InvalidCursor", $"cursor {cursorText} is out of range [{EncodeCursor(begin)}, {EncodeCursor(end)}]");
        }

        var endOffset = long.MaxValue;
        if (query.ContainsKey("end_cursor") && query["end_cursor"].ToString().Length > 0)
        {
            endOffset = DecodeCursor(query["end_cursor"], "end_cursor");
            if (endOffset < offset)
            {
                throw new SlsParameterException(400, "InvalidCursor", $"end_cursor {query["end_cursor"]} is before cursor {cursorText}");
            }
        }

        var groups = shard.Read(offset, count, endOffset);
        var next = offset + groups.Count;

        byte[] raw;
        if (malformed && groups.Count > 0)
        {
            var list = new LogGroupList();
            list.LogGroups.AddRange(groups.Select(g => g.Decode()));
            Malformation.Apply(list);
            raw = list.ToByteArray();
        }
        else
        {
            raw = ConcatenateGroups(groups);
        }

        var headers = context.Response.Headers;
        headers["x-log-cursor"] = EncodeCursor(next);
        headers["x-log-count"] = groups.Count.ToString(CultureInfo.InvariantCulture);
        headers["x-log-bodyrawsize"] = raw.Length.ToString(CultureInfo.InvariantCulture);

        var body = raw;
        if (raw.Length > 0)
        {
            var accepted = context.Request.Headers.AcceptEncoding.ToString()
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(e => e.Split(';')[0].Trim().ToLowerInvariant())
                .FirstOrDefault(e => e is "lz4" or "deflate");
            if (accepted is not null)
            {
                body = accepted == "lz4" ? Lz4(raw) : Deflate(raw);
                headers["x-log-compresstype"] = accepted;
            }
        }

        await HttpWrite.BytesAsync(context, 200, body, "application/x-protobuf");
    }

    /// <summary>A <c>LogGroupList</c> is field 1 repeated: each stored group goes out as tag, length, bytes.</summary>
    private static byte[] ConcatenateGroups(List<SlsStoredGroup> groups)
    {
        var size = 0;
        foreach (var g in groups)
        {
            size += 1 + CodedOutputStream.ComputeLengthSize(g.Payload.Length) + g.Payload.Length;
        }

        var buffer = new byte[size];
        var output = new CodedOutputStream(buffer);
        foreach (var g in groups)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(g.Payload));
        }

        output.Flush();
        return buffer;
    }

    /// <summary>SLS "lz4": one raw LZ4 block without a size prefix; the raw size travels in <c>x-log-bodyrawsize</c>.</summary>
    private static byte[] Lz4(byte[] raw)
    {
        var target = new byte[LZ4Codec.MaximumOutputSize(raw.Length)];
        var written = LZ4Codec.Encode(raw, 0, raw.Length, target, 0, target.Length);
        return target.AsSpan(0, written).ToArray();
    }

    /// <summary>SLS "deflate": a zlib stream (header, deflate data, Adler-32).</summary>
    private static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    // ---------------------------------------------------------------- GetLogs and histograms

    private sealed record Match(long Time, int Shard, int GroupIndex, int LogIndex, LogGroup Group, Log Log);

    private static (long From, long To, LogQuery Query, string? Topic) QueryParameters(HttpContext context)
    {
        var q = context.Request.Query;
        if (!long.TryParse(q["from"], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(q["to"], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            throw new SlsParameterException(400, "ParameterInvalid", "from and to must be Unix times in seconds");
        }

        if (from >= to)
        {
            throw new SlsParameterException(400, "ParameterInvalid", $"from ({from}) must be less than to ({to})");
        }

        LogQuery query;
        try
        {
            query = LogQuery.Parse(q["query"]);
        }
        catch (LogQueryException e)
        {
            throw new SlsParameterException(400, "ParameterInvalid", "query is invalid: " + e.Message);
        }

        var topic = q.ContainsKey("topic") ? q["topic"].ToString() : null;
        return (from, to, query, topic);
    }

    private static List<Match> Search(SlsLogStore store, long from, long to, LogQuery query, string? topic, out long scanned)
    {
        var matches = new List<Match>();
        scanned = 0;
        foreach (var shard in store.Shards)
        {
            var groups = shard.Snapshot();
            for (var gi = 0; gi < groups.Count; gi++)
            {
                var stored = groups[gi];
                if (stored.MaxTime < from || stored.MinTime >= to)
                {
                    continue;
                }

                var group = stored.Decode();
                if (topic is not null && group.Topic != topic)
                {
                    continue;
                }

                for (var li = 0; li < group.Logs.Count; li++)
                {
                    var log = group.Logs[li];
                    if (log.Time < from || log.Time >= to)
                    {
                        continue;
                    }

                    scanned++;
                    if (query.Matches(new SlsLogView(group, log)))
                    {
                        matches.Add(new Match(log.Time, shard.Id, gi, li, group, log));
                    }
                }
            }
        }

        return matches;
    }

    private static async Task GetLogsAsync(HttpContext context, SlsLogStore store, bool malformed)
    {
        if (!store.IndexEnabled)
        {
            await Error(context, 404, "IndexConfigNotExist", $"logstore {store.Name} has no index config, GetLogs needs one");
            return;
        }

        var q = context.Request.Query;
        var (from, to, query, topic) = QueryParameters(context);
        var line = 100;
        if (q.ContainsKey("line") && (!int.TryParse(q["line"], NumberStyles.None, CultureInfo.InvariantCulture, out line) || line > 100))
        {
            throw new SlsParameterException(400, "ParameterInvalid", $"line {q["line"]} is invalid: it must be between 0 and 100");
        }

        var offset = 0;
        if (q.ContainsKey("offset") && !int.TryParse(q["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            throw new SlsParameterException(400, "ParameterInvalid", $"offset {q["offset"]} is invalid");
        }

        var reverse = q["reverse"].ToString();
        if (reverse.Length > 0 && reverse is not ("true" or "false"))
        {
            throw new SlsParameterException(400, "ParameterInvalid", $"reverse {reverse} is invalid: true or false");
        }

        var matches = Search(store, from, to, query, topic, out var scanned);
        IEnumerable<Match> ordered = matches
            .OrderBy(m => m.Time)
            .ThenBy(m => m.Group.LogTags.FirstOrDefault(t => t.Key == "__receive_time__")?.Value, StringComparer.Ordinal)
            .ThenBy(m => m.Shard)
            .ThenBy(m => m.GroupIndex)
            .ThenBy(m => m.LogIndex);
        if (reverse == "true")
        {
            ordered = ordered.Reverse();
        }

        var page = ordered.Skip(offset).Take(line).Select(Row).ToList();
        if (malformed)
        {
            Malformation.Apply(page, store.Name);
        }

        var headers = context.Response.Headers;
        headers["x-log-progress"] = "Complete";
        headers["x-log-count"] = page.Count.ToString(CultureInfo.InvariantCulture);
        headers["x-log-processed-rows"] = scanned.ToString(CultureInfo.InvariantCulture);
        headers["x-log-elapsed-millisecond"] = "1";
        headers["x-log-has-sql"] = "False";
        headers["x-log-where-query"] = q["query"].ToString();
        headers["x-log-agg-query"] = string.Empty;
        headers["x-log-query-info"] = "{}";
        await HttpWrite.JsonAsync(context, 200, page);
    }

    private static Dictionary<string, string> Row(Match m)
    {
        var row = new Dictionary<string, string>(m.Log.Contents.Count + 4, StringComparer.Ordinal)
        {
            ["__time__"] = m.Log.Time.ToString(CultureInfo.InvariantCulture),
            ["__topic__"] = m.Group.Topic ?? string.Empty,
            ["__source__"] = m.Group.Source ?? string.Empty,
        };
        foreach (var tag in m.Group.LogTags)
        {
            row["__tag__:" + tag.Key] = tag.Value;
        }

        foreach (var content in m.Log.Contents)
        {
            row[content.Key] = content.Value;
        }

        return row;
    }

    private static async Task GetHistogramsAsync(HttpContext context, SlsLogStore store)
    {
        if (!store.IndexEnabled)
        {
            await Error(context, 404, "IndexConfigNotExist", $"logstore {store.Name} has no index config, GetHistograms needs one");
            return;
        }

        var (from, to, query, topic) = QueryParameters(context);
        var matches = Search(store, from, to, query, topic, out _);
        var span = to - from;
        var width = Math.Max(1, (span + 59) / 60);
        var buckets = new List<Dictionary<string, object>>();
        for (var start = from; start < to; start += width)
        {
            var stop = Math.Min(to, start + width);
            buckets.Add(new Dictionary<string, object>
            {
                ["from"] = start,
                ["to"] = stop,
                ["count"] = matches.Count(m => m.Time >= start && m.Time < stop),
                ["progress"] = "Complete",
            });
        }

        context.Response.Headers["x-log-progress"] = "Complete";
        context.Response.Headers["x-log-count"] = matches.Count.ToString(CultureInfo.InvariantCulture);
        await HttpWrite.JsonAsync(context, 200, buckets);
    }

    internal static Task Error(HttpContext context, int status, string code, string message) =>
        HttpWrite.JsonAsync(context, status, new Dictionary<string, string> { ["errorCode"] = code, ["errorMessage"] = message });

    private sealed class SlsLogView(LogGroup group, Log log) : ILogView
    {
        public bool TryGet(string key, out string value)
        {
            switch (key)
            {
                case "__topic__":
                    value = group.Topic ?? string.Empty;
                    return true;
                case "__source__":
                    value = group.Source ?? string.Empty;
                    return true;
                case "__time__":
                    value = log.Time.ToString(CultureInfo.InvariantCulture);
                    return true;
            }

            foreach (var content in log.Contents)
            {
                if (content.Key == key)
                {
                    value = content.Value;
                    return true;
                }
            }

            value = string.Empty;
            return false;
        }

        public IEnumerable<string> Values => log.Contents.Select(c => c.Value);
    }
}

/// <summary>A request parameter the service refuses, with the status and error code it answers.</summary>
internal sealed class SlsParameterException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}
