using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// Where an SLS pull resumes, per shard: the cursor of the page being read and how many of that page's logs were
/// already delivered (a pull may stop mid-page at MaxRecords; the same cursor returns the same page). Shards that
/// were read-only (split or merged) and drained are listed in <c>done</c> so they are not read again. Stored as
/// <c>{"v":1,"shards":{"0":{"cursor":"MTQ0...","skip":0}},"done":[2]}</c>; opaque to everyone else.
/// </summary>
internal sealed class SlsCheckpoint
{
    [JsonPropertyName("v")]
    public int Version { get; set; } = 1;

    [JsonPropertyName("shards")]
    public Dictionary<string, SlsShardPosition> Shards { get; set; } = [];

    [JsonPropertyName("done")]
    public List<int> Done { get; set; } = [];

    public static SlsCheckpoint Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new SlsCheckpoint();
        }

        try
        {
            var checkpoint = JsonSerializer.Deserialize<SlsCheckpoint>(text);
            if (checkpoint is { Version: 1 })
            {
                return checkpoint;
            }
        }
        catch (JsonException)
        {
        }

        throw new ArgumentException("The checkpoint is not an SLS pull checkpoint.", nameof(text));
    }

    public SlsShardPosition? Position(int shard) => Shards.GetValueOrDefault(Key(shard));

    public void Set(int shard, SlsShardPosition position) => Shards[Key(shard)] = position;

    public void Remove(int shard) => Shards.Remove(Key(shard));

    public override string ToString() => JsonSerializer.Serialize(this);

    private static string Key(int shard) => shard.ToString(CultureInfo.InvariantCulture);
}

internal sealed record SlsShardPosition(
    [property: JsonPropertyName("cursor")] string Cursor,
    [property: JsonPropertyName("skip")] int Skip);
