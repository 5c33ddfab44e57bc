using System.Globalization;
using System.Text;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Huawei;

/// <summary>An LTS log group or stream: its id and name.</summary>
internal sealed record LtsItem(string Id, string Name);

/// <summary>One record of an LTS query: its content (the raw JSON line) and its line number (the paging cursor).</summary>
internal sealed record LtsLog(string Content, string LineNum);

/// <summary>
/// Huawei Cloud IAM and LTS over <see cref="HttpClient"/>, AK/SK-signed (<see cref="HuaweiSigner"/>), sent to the
/// account's endpoint or the real host with the real Host header (<c>lts.&lt;region&gt;.myhuaweicloud.com</c>,
/// <c>iam.&lt;region&gt;.myhuaweicloud.com</c>). Error bodies (<c>{"error_code","error_msg"}</c>, or IAM's
/// <c>{"error":{"code","message"}}</c>) become <see cref="CloudApiException"/>.
/// </summary>
internal sealed class LtsClient(HttpClient http, CloudCredentials credentials, string region, Uri? endpoint, TimeProvider clock)
{
    private readonly HuaweiApi api = new(http, credentials, region, endpoint, clock);

    public string IamHost => api.IamHost;

    public string LtsHost => $"lts.{region}.myhuaweicloud.com";

    /// <summary>KeystoneListProjects by region name: checks the credentials and finds the region's project id.</summary>
    public Task<string?> FindProjectIdAsync(CancellationToken cancellationToken) => api.FindProjectIdAsync(cancellationToken);

    public async Task<IReadOnlyList<LtsItem>> ListLogGroupsAsync(string projectId, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, LtsHost, $"/v2/{projectId}/groups", [], projectId, null, cancellationToken);
        return Items(body, "log_groups", "log_group_id", "log_group_name");
    }

    public async Task<IReadOnlyList<LtsItem>> ListLogStreamsAsync(string projectId, string groupId, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, LtsHost, $"/v2/{projectId}/groups/{groupId}/streams", [], projectId, null, cancellationToken);
        return Items(body, "log_streams", "log_stream_id", "log_stream_name");
    }

    /// <summary>ListLogs: the records of [from, to) (ms), oldest first (or newest first), continuing after <paramref name="lineNum"/>.</summary>
    public async Task<IReadOnlyList<LtsLog>> QueryLogsAsync(string projectId, string groupId, string streamId, long from, long to, string? lineNum, int limit, bool newestFirst, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object>
        {
            ["start_time"] = from.ToString(CultureInfo.InvariantCulture),
            ["end_time"] = to.ToString(CultureInfo.InvariantCulture),
            ["labels"] = new Dictionary<string, string>(),
            ["is_desc"] = newestFirst,
            ["limit"] = limit,
            ["is_count"] = false,
            ["highlight"] = false,
        };
        if (lineNum is not null)
        {
            request["line_num"] = lineNum;
            request["search_type"] = newestFirst ? "backwards" : "forwards";
        }

        var body = await SendAsync(HttpMethod.Post, LtsHost, $"/v2/{projectId}/groups/{groupId}/streams/{streamId}/content/query", [],
            projectId, JsonSerializer.SerializeToUtf8Bytes(request), cancellationToken);
        using var document = Json(body);
        var logs = new List<LtsLog>();
        if (document.RootElement.TryGetProperty("logs", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                logs.Add(new LtsLog(item.GetProperty("content").GetString() ?? string.Empty, item.GetProperty("line_num").ToString()));
            }
        }

        return logs;
    }

    private Task<byte[]> SendAsync(HttpMethod method, string host, string path, KeyValuePair<string, string>[] query, string? projectId, byte[]? content, CancellationToken cancellationToken) =>
        api.SendAsync(method, host, path, query, projectId, content, cancellationToken);

    private static List<LtsItem> Items(byte[] body, string list, string id, string name)
    {
        using var document = Json(body);
        var items = new List<LtsItem>();
        if (document.RootElement.TryGetProperty(list, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                items.Add(new LtsItem(item.GetProperty(id).GetString() ?? string.Empty, item.TryGetProperty(name, out var n) ? n.GetString() ?? string.Empty : string.Empty));
            }
        }

        return items;
    }

    private static JsonDocument Json(byte[] body) => HuaweiApi.Json(body);

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
