using System.Text.Json;
using System.Text.Json.Serialization;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds;

/// <summary>One page of a query-API window: its records, where the next page starts, whether the window is exhausted.</summary>
internal sealed record WindowPage(IReadOnlyList<RawRecord> Records, string? NextPage, bool WindowDone);

/// <summary>
/// Pulling through a query API (Huawei LTS, Tencent CLS), which has no cursor over arrival order: time windows
/// [from, to) on the record time, each read page by page with the provider's paging token (LTS line number, CLS
/// Context). A window ends <see cref="CloudConnectorOptions.QueryLag"/> before now so records still being indexed
/// are not passed over, and the next window starts <see cref="CloudConnectorOptions.QueryOverlap"/> before the
/// previous end.
/// </summary>
/// <remarks>
/// Delivery is at-least-once: the overlap and a restarted window (expired paging token) read records again, and
/// they keep the same uid (natural id, or the stable provider position), so the log store drops the duplicates.
/// Caveat: a record that becomes searchable more than lag + overlap after its own time (late delivery, clock skew
/// at the source) falls into a window already read and is missed. Checkpoint:
/// <c>{"v":1,"from":&lt;ms&gt;,"to":&lt;ms or null&gt;,"page":"&lt;token or null&gt;"}</c>.
/// </remarks>
internal static class WindowedPull
{
    public delegate Task<WindowPage> FetchPage(long fromMs, long toMs, string? page, int limit, CancellationToken cancellationToken);

    public static async Task<PullResult> RunAsync(PullRequest request, CloudConnectorOptions options, DateTimeOffset now, FetchPage fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fetch);
        var checkpoint = WindowCheckpoint.Parse(request.Checkpoint) ?? new WindowCheckpoint { From = request.StartAt.ToUnixTimeMilliseconds() };
        var end = (now - options.QueryLag).ToUnixTimeMilliseconds();
        var records = new List<RawRecord>();
        long bytes = 0;
        var caughtUp = false;

        while (records.Count < request.MaxRecords)
        {
            if (checkpoint.To is null)
            {
                if (checkpoint.From >= end)
                {
                    caughtUp = true;
                    break;
                }

                checkpoint.To = Math.Min(end, checkpoint.From + (long)options.QueryMaxWindow.TotalMilliseconds);
                checkpoint.Page = null;
            }

            var limit = Math.Min(options.QueryPageSize, request.MaxRecords - records.Count);
            var page = await fetch(checkpoint.From, checkpoint.To.Value, checkpoint.Page, limit, cancellationToken);
            records.AddRange(page.Records);
            bytes += page.Records.Sum(r => (long)r.Json.Length);

            if (page.WindowDone || page.Records.Count == 0 || page.NextPage is null)
            {
                var windowEnd = checkpoint.To.Value;
                checkpoint.From = Math.Max(checkpoint.From, windowEnd - (long)options.QueryOverlap.TotalMilliseconds);
                checkpoint.To = null;
                checkpoint.Page = null;
                if (windowEnd >= end)
                {
                    caughtUp = true;
                    break;
                }
            }
            else
            {
                checkpoint.Page = page.NextPage;
            }
        }

        return new PullResult(records, checkpoint.ToString(), caughtUp, bytes);
    }
}

internal sealed class WindowCheckpoint
{
    [JsonPropertyName("v")]
    public int Version { get; set; } = 1;

    [JsonPropertyName("from")]
    public long From { get; set; }

    [JsonPropertyName("to")]
    public long? To { get; set; }

    [JsonPropertyName("page")]
    public string? Page { get; set; }

    public static WindowCheckpoint? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            var checkpoint = JsonSerializer.Deserialize<WindowCheckpoint>(text);
            if (checkpoint is { Version: 1 })
            {
                return checkpoint;
            }
        }
        catch (JsonException)
        {
        }

        throw new ArgumentException("The checkpoint is not a query-window checkpoint.", nameof(text));
    }

    public override string ToString() => JsonSerializer.Serialize(this);
}
