using System.Globalization;
using System.Text;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Tencent;

/// <summary>One SearchLog result: the record's JSON and its stable position (topic, package, index in package).</summary>
internal sealed record ClsLog(byte[] Json, string Position);

/// <summary>A SearchLog page: results, the paging Context and whether the window is exhausted.</summary>
internal sealed record ClsPage(IReadOnlyList<ClsLog> Logs, string? Context, bool ListOver);

/// <summary>
/// Tencent Cloud Log Service (API 3.0, version 2020-10-16) over <see cref="HttpClient"/>: TC3-signed POSTs to the
/// account's endpoint or <c>cls.tencentcloudapi.com</c>, with the real Host header. Errors come back with HTTP 200
/// as <c>{"Response":{"Error":{"Code","Message"}}}</c> and become <see cref="CloudApiException"/>.
/// </summary>
internal sealed class ClsClient(HttpClient http, CloudCredentials credentials, string region, Uri? endpoint, TimeProvider clock)
{
    public const string Host = "cls.tencentcloudapi.com";
    private const string Version = "2020-10-16";
    private readonly Tc3Api api = new(http, credentials, region, endpoint, clock, "cls", Version);

    /// <summary>DescribeTopics filtered by topic id (or the first topic when null): the number of matches.</summary>
    public async Task<int> CountTopicsAsync(string? topicId, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object> { ["Limit"] = 1 };
        if (topicId is not null)
        {
            request["Filters"] = new[] { new Dictionary<string, object> { ["Key"] = "topicId", ["Values"] = new[] { topicId } } };
        }

        using var document = await SendAsync("DescribeTopics", request, cancellationToken);
        return document.RootElement.TryGetProperty("TotalCount", out var total) && total.TryGetInt32(out var count) ? count : 0;
    }

    public async Task<ClsPage> SearchLogAsync(string topicId, long from, long to, string? context, int limit, bool newestFirst, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object>
        {
            ["TopicId"] = topicId,
            ["From"] = from,
            ["To"] = to,
            ["Query"] = "*",
            ["SyntaxRule"] = 1,
            ["Sort"] = newestFirst ? "desc" : "asc",
            ["Limit"] = limit,
        };
        if (context is not null)
        {
            request["Context"] = context;
        }

        using var document = await SendAsync("SearchLog", request, cancellationToken);
        var root = document.RootElement;
        var logs = new List<ClsLog>();
        if (root.TryGetProperty("Results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                var json = Text(result, "LogJson");
                if (string.IsNullOrEmpty(json))
                {
                    json = Text(result, "RawLog") ?? string.Empty;
                }

                var position = string.Create(CultureInfo.InvariantCulture,
                    $"{Text(result, "TopicId") ?? topicId}:{Text(result, "PkgId")}:{(result.TryGetProperty("PkgLogId", out var index) ? index.ToString() : string.Empty)}");
                logs.Add(new ClsLog(Encoding.UTF8.GetBytes(json), position));
            }
        }

        var listOver = root.TryGetProperty("ListOver", out var over) && over.ValueKind == JsonValueKind.True;
        var next = Text(root, "Context");
        return new ClsPage(logs, string.IsNullOrEmpty(next) ? null : next, listOver);
    }

    private Task<JsonDocument> SendAsync(string action, Dictionary<string, object> payload, CancellationToken cancellationToken) =>
        api.SendAsync(action, payload, cancellationToken);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString() : null;
}
