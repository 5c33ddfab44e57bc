using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Clouds.Alibaba.Sls.Protocol;
using K4os.Compression.LZ4;

namespace Ctdr.Infrastructure.Clouds.Alibaba.Sls;

internal enum SlsSignatureVersion
{
    V1,
    V4,
}

/// <summary>A shard as ListShards returns it.</summary>
internal sealed record SlsShard(int Id, bool ReadOnly);

/// <summary>One PullLogs answer: the decoded log groups and the cursor to continue from.</summary>
internal sealed record SlsPullPage(LogGroupList Groups, string NextCursor, int Count);

/// <summary>
/// The Simple Log Service data-plane API for one account and region, over <see cref="HttpClient"/>: signs every
/// request (V1 by default, V4 on request), sends it to the account's endpoint or the real host with the real Host
/// header (<c>&lt;project&gt;.&lt;region&gt;.log.aliyuncs.com</c>), and maps error bodies
/// (<c>{"errorCode","errorMessage"}</c>) to <see cref="CloudApiException"/>.
/// </summary>
internal sealed class SlsClient(
    HttpClient http,
    CloudCredentials credentials,
    string region,
    Uri? endpoint,
    TimeProvider clock,
    SlsSignatureVersion signatureVersion = SlsSignatureVersion.V1,
    string pullCompression = "lz4")
{
    private const int MaxRawBodyBytes = 256 * 1024 * 1024;

    public string RegionHost => $"{region}.log.aliyuncs.com";

    public string ProjectHost(string project) => $"{project}.{region}.log.aliyuncs.com";

    /// <summary>ListProject (<c>GET /</c> on the region host): the cheapest call that needs valid credentials.</summary>
    public Task ListProjectsAsync(CancellationToken cancellationToken) =>
        SendAsync(RegionHost, "/", [P("offset", "0"), P("size", "1")], cancellationToken);

    public Task GetProjectAsync(string project, CancellationToken cancellationToken) =>
        SendAsync(ProjectHost(project), "/", [], cancellationToken);

    public Task GetLogStoreAsync(string project, string logStore, CancellationToken cancellationToken) =>
        SendAsync(ProjectHost(project), $"/logstores/{logStore}", [], cancellationToken);

    public Task GetIndexAsync(string project, string logStore, CancellationToken cancellationToken) =>
        SendAsync(ProjectHost(project), $"/logstores/{logStore}/index", [], cancellationToken);

    public async Task<IReadOnlyList<SlsShard>> ListShardsAsync(string project, string logStore, CancellationToken cancellationToken)
    {
        var response = await SendAsync(ProjectHost(project), $"/logstores/{logStore}/shards", [], cancellationToken);
        using var document = ParseJson(response);
        var shards = new List<SlsShard>();
        foreach (var shard in document.RootElement.EnumerateArray())
        {
            var readOnly = shard.TryGetProperty("status", out var status) && string.Equals(status.GetString(), "readonly", StringComparison.OrdinalIgnoreCase);
            shards.Add(new SlsShard(shard.GetProperty("shardID").GetInt32(), readOnly));
        }

        return shards;
    }

    /// <summary>GetCursor: <paramref name="from"/> is "begin", "end" or a Unix time in seconds (server receive time).</summary>
    public async Task<string> GetCursorAsync(string project, string logStore, int shard, string from, CancellationToken cancellationToken)
    {
        var response = await SendAsync(ProjectHost(project), $"/logstores/{logStore}/shards/{Num(shard)}", [P("type", "cursor"), P("from", from)], cancellationToken);
        using var document = ParseJson(response);
        return document.RootElement.GetProperty("cursor").GetString()
            ?? throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", "GetCursor answered no cursor.");
    }

    /// <summary>PullLogs: up to <paramref name="count"/> log groups after <paramref name="cursor"/>, decoded from protobuf.</summary>
    public async Task<SlsPullPage> PullLogsAsync(string project, string logStore, int shard, string cursor, int count, CancellationToken cancellationToken)
    {
        var response = await SendAsync(ProjectHost(project), $"/logstores/{logStore}/shards/{Num(shard)}",
            [P("type", "log"), P("cursor", cursor), P("count", Num(count))], cancellationToken, pull: true);
        var next = response.Header("x-log-cursor")
            ?? throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", "PullLogs answered no x-log-cursor header.");
        var raw = Decompress(response);
        LogGroupList groups;
        try
        {
            groups = LogGroupList.Parser.ParseFrom(raw);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException exception)
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", $"PullLogs answered a body that is not a LogGroupList: {exception.Message}", exception);
        }

        var countHeader = response.Header("x-log-count");
        var groupCount = int.TryParse(countHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : groups.LogGroups.Count;
        return new SlsPullPage(groups, next, groupCount);
    }

    /// <summary>GetLogs (v1): the records of [from, to) (log time) matching the query, each as the JSON object the service returns.</summary>
    public async Task<IReadOnlyList<byte[]>> GetLogsAsync(string project, string logStore, long from, long to, string query, int line, int offset, bool reverse, CancellationToken cancellationToken)
    {
        var response = await SendAsync(ProjectHost(project), $"/logstores/{logStore}",
        [
            P("type", "log"), P("from", Num(from)), P("to", Num(to)), P("query", query), P("line", Num(line)), P("offset", Num(offset)),
            P("reverse", reverse ? "true" : "false"),
        ], cancellationToken);
        return SplitArray(response);
    }

    /// <summary>Each Log of the page as a flat UTF-8 JSON object: its contents plus <c>__time__</c>, <c>__topic__</c>, <c>__source__</c> and <c>__tag__:*</c>, all string values (the shape GetLogs returns).</summary>
    public static IEnumerable<(int Group, int Index, byte[] Json)> Records(LogGroupList groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        for (var g = 0; g < groups.LogGroups.Count; g++)
        {
            var group = groups.LogGroups[g];
            for (var i = 0; i < group.Logs.Count; i++)
            {
                var log = group.Logs[i];
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                writer.WriteStartObject();
                writer.WriteString("__time__", log.Time.ToString(CultureInfo.InvariantCulture));
                writer.WriteString("__topic__", group.Topic);
                writer.WriteString("__source__", group.Source);
                foreach (var tag in group.LogTags)
                {
                    writer.WriteString("__tag__:" + tag.Key, tag.Value);
                }

                foreach (var content in log.Contents)
                {
                    writer.WriteString(content.Key, content.Value);
                }

                writer.WriteEndObject();
                writer.Flush();
                yield return (g, i, buffer.WrittenSpan.ToArray());
            }
        }
    }

    // Records are data, never embedded in HTML or script by us: keep non-ASCII and markup characters as they are.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private async Task<CloudResponse> SendAsync(string host, string path, KeyValuePair<string, string>[] query, CancellationToken cancellationToken, bool pull = false)
    {
        var now = clock.GetUtcNow();
        var headers = new List<KeyValuePair<string, string>>
        {
            P("Host", host),
            P("x-log-apiversion", "0.6.0"),
            P("x-log-bodyrawsize", "0"),
        };
        if (signatureVersion == SlsSignatureVersion.V4)
        {
            headers.AddRange(SlsSignerV4.SigningHeaders([], now));
        }
        else
        {
            headers.Add(P("x-log-signaturemethod", "hmac-sha1"));
            headers.Add(P("Date", now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)));
        }

        var signable = new SignableRequest("GET", path, query, headers, ReadOnlyMemory<byte>.Empty);
        var authorization = signatureVersion == SlsSignatureVersion.V4
            ? SlsSignerV4.Authorization(signable, credentials, region)
            : SlsSignerV1.Authorization(signable, credentials);

        using var request = new HttpRequestMessage(HttpMethod.Get, CloudHttp.RequestUri(endpoint, host, path, query));
        foreach (var header in headers)
        {
            if (header.Key == "Host")
            {
                request.Headers.Host = header.Value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("User-Agent", CloudHttp.UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", pull ? "application/x-protobuf" : "application/json");
        if (pull && !string.IsNullOrEmpty(pullCompression))
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", pullCompression);
        }

        var response = await CloudHttp.SendAsync(http, request, CloudProvider.AlibabaCloud, host, cancellationToken);
        if ((int)response.Status is < 200 or > 299)
        {
            var (code, message) = CloudHttp.ErrorFields(response.Body, null, "errorCode", "errorMessage");
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status,
                code ?? $"Http{(int)response.Status}", message ?? CloudHttp.Snippet(response.Body));
        }

        return response;
    }

    private static byte[] Decompress(CloudResponse response)
    {
        var type = response.Header("x-log-compresstype");
        if (string.IsNullOrEmpty(type))
        {
            return response.Body;
        }

        if (!int.TryParse(response.Header("x-log-bodyrawsize"), NumberStyles.None, CultureInfo.InvariantCulture, out var rawSize) || rawSize > MaxRawBodyBytes)
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", "PullLogs answered a compressed body without a usable x-log-bodyrawsize.");
        }

        try
        {
            switch (type.ToLowerInvariant())
            {
                case "lz4":
                    var raw = new byte[rawSize];
                    var decoded = LZ4Codec.Decode(response.Body, 0, response.Body.Length, raw, 0, rawSize);
                    if (decoded != rawSize)
                    {
                        throw new InvalidDataException($"LZ4 body decoded to {decoded} bytes, x-log-bodyrawsize says {rawSize}.");
                    }

                    return raw;
                case "deflate":
                    using (var input = new ZLibStream(new MemoryStream(response.Body), CompressionMode.Decompress))
                    using (var output = new MemoryStream(rawSize))
                    {
                        input.CopyTo(output);
                        return output.ToArray();
                    }

                default:
                    throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "UnsupportedCompression", $"PullLogs answered x-log-compresstype {type}, which Ctdr does not decode.");
            }
        }
        catch (InvalidDataException exception)
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", $"PullLogs answered a corrupt {type} body: {exception.Message}", exception);
        }
    }

    private static JsonDocument ParseJson(CloudResponse response)
    {
        try
        {
            return JsonDocument.Parse(response.Body);
        }
        catch (JsonException exception)
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", $"Answer is not JSON: {CloudHttp.Snippet(response.Body)}", exception);
        }
    }

    /// <summary>The elements of a JSON array body, each as its own bytes.</summary>
    private static List<byte[]> SplitArray(CloudResponse response)
    {
        var records = new List<byte[]>();
        try
        {
            var reader = new Utf8JsonReader(response.Body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", "GetLogs answered something other than a JSON array.");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                records.Add(response.Body[start..(int)reader.BytesConsumed]);
            }
        }
        catch (JsonException exception)
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", "GetLogs answered malformed JSON.", exception);
        }

        return records;
    }

    private static KeyValuePair<string, string> P(string key, string value) => KeyValuePair.Create(key, value);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
