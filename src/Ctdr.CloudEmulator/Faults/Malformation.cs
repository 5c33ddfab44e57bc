using System.Text.Json.Nodes;
using Ctdr.CloudEmulator.Alibaba.Protocol;

namespace Ctdr.CloudEmulator.Faults;

/// <summary>
/// What a <c>malformedPage</c> fault does to a page. The first three records of the page (in page order) are
/// damaged, the rest are left as they are; paging (cursors, counts, line numbers, contexts) is unchanged.
/// <list type="bullet">
/// <item>record 1: its identity field is missing (<c>request_traceid</c>; <c>event</c> for ActionTrail;
/// <c>src_ip</c> for Cloud Firewall; <c>requestid</c> / <c>access_log.requestid</c> for Huawei; <c>uuid</c> for Tencent);</item>
/// <item>record 2: values truncated to half their length (SLS: every content value; LTS/CLS: the JSON text itself,
/// so it is no longer valid JSON);</item>
/// <item>record 3: SLS: its log time is 0 (<c>__time__</c> "0"); LTS/CLS: its content is <see cref="NotJson"/>.</item>
/// </list>
/// For PullLogs the protobuf stays valid; only the logs inside it are damaged.
/// </summary>
internal static class Malformation
{
    public const string NotJson = "sandbox-malformed-record: this line is not JSON";

    private static readonly string[] SlsIdentityKeys = ["request_traceid", "event", "src_ip"];

    public static void Apply(LogGroupList list)
    {
        var logs = list.LogGroups.SelectMany(g => g.Logs).Take(3).ToList();
        if (logs.Count > 0)
        {
            var identity = IdentityKey(logs[0].Contents.Select(c => c.Key));
            var content = logs[0].Contents.FirstOrDefault(c => c.Key == identity);
            if (content is not null)
            {
                logs[0].Contents.Remove(content);
            }
        }

        if (logs.Count > 1)
        {
            foreach (var content in logs[1].Contents)
            {
                content.Value = Half(content.Value);
            }
        }

        if (logs.Count > 2)
        {
            logs[2].Time = 0;
        }
    }

    public static void Apply(List<Dictionary<string, string>> rows, string logStore)
    {
        _ = logStore;
        if (rows.Count > 0)
        {
            rows[0].Remove(IdentityKey(rows[0].Keys));
        }

        if (rows.Count > 1)
        {
            foreach (var key in rows[1].Keys.Where(k => !k.StartsWith("__", StringComparison.Ordinal)).ToList())
            {
                rows[1][key] = Half(rows[1][key]);
            }
        }

        if (rows.Count > 2)
        {
            rows[2]["__time__"] = "0";
        }
    }

    /// <summary>The damaged form of the <paramref name="index"/>-th JSON record of a page (index 0, 1 or 2).</summary>
    public static string Json(string json, int index, params string[] identityKeys) => index switch
    {
        0 => RemoveKeys(json, identityKeys),
        1 => Half(json),
        2 => NotJson,
        _ => json,
    };

    private static string IdentityKey(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        return SlsIdentityKeys.FirstOrDefault(list.Contains) ?? list.FirstOrDefault(k => !k.StartsWith("__", StringComparison.Ordinal)) ?? string.Empty;
    }

    private static string Half(string value) => value[..(value.Length / 2)];

    private static string RemoveKeys(string json, string[] keys)
    {
        try
        {
            if (JsonNode.Parse(json) is JsonObject obj)
            {
                foreach (var key in keys)
                {
                    obj.Remove(key);
                }

                return obj.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Already not JSON.
        }

        return json;
    }
}
