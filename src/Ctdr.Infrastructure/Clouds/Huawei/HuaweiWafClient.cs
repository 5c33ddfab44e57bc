using System.Globalization;
using System.Text.Json;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Huawei;

/// <summary>A WAF protection policy: its id, name, and the hosts bound to it (from <c>bind_host</c>).</summary>
internal sealed record HuaweiWafPolicyItem(string Id, string Name, IReadOnlyList<HuaweiWafHostItem> BoundHosts);

/// <summary>A protected domain: host id, domain name, the policy it uses, and its mode (<c>cloud</c> or <c>premium</c>).</summary>
internal sealed record HuaweiWafHostItem(string Id, string Hostname, string? PolicyId, string WafType);

/// <summary>A black/white IP rule of a policy (<c>white</c>: 0 block, 1 allow, 2 log only; <c>terminal</c> in Unix seconds when time-limited).</summary>
internal sealed record HuaweiIpRuleItem(string Id, string Name, string? Addr, int White, string? Description, string? TimeMode, long? Terminal);

/// <summary>A black/white IP rule to create: one address, until <see cref="Terminal"/> (Unix seconds) or permanent when null.</summary>
internal sealed record HuaweiIpRuleSpec(string Name, string Addr, int White, string Description, long? Start, long? Terminal);

/// <summary>
/// Huawei Cloud WAF over <see cref="HuaweiApi"/> on <c>waf.&lt;region&gt;.myhuaweicloud.com</c>: ListPolicy
/// (<c>GET /v1/{project_id}/waf/policy</c>), ListCompositeHosts (<c>GET /v1/{project_id}/composite-waf/host</c>, the
/// domains of every mode, cloud and dedicated, each with its <c>policyid</c>), and a policy's black/white IP rules
/// (<c>GET|POST /v1/{project_id}/waf/policy/{policy_id}/whiteblackip</c>, <c>DELETE …/whiteblackip/{rule_id}</c>).
/// Lists are read page by page (<c>page</c>, <c>pagesize</c>).
/// </summary>
internal sealed class HuaweiWafClient(HuaweiApi api)
{
    private const int PageSize = 100;

    public string WafHost => $"waf.{api.Region}.myhuaweicloud.com";

    public string Region => api.Region;

    public Task<string?> FindProjectIdAsync(CancellationToken cancellationToken) => api.FindProjectIdAsync(cancellationToken);

    public Task<IReadOnlyList<HuaweiWafPolicyItem>> ListPoliciesAsync(string projectId, CancellationToken cancellationToken) =>
        ListAsync(projectId, $"/v1/{projectId}/waf/policy", [], item => new HuaweiWafPolicyItem(
            Text(item, "id") ?? string.Empty,
            Text(item, "name") ?? string.Empty,
            item.TryGetProperty("bind_host", out var hosts) && hosts.ValueKind == JsonValueKind.Array
                ? [.. hosts.EnumerateArray().Select(h => new HuaweiWafHostItem(Text(h, "id") ?? string.Empty, Text(h, "hostname") ?? string.Empty, Text(item, "id"), Text(h, "waf_type") ?? "cloud"))]
                : []), cancellationToken);

    public Task<IReadOnlyList<HuaweiWafHostItem>> ListHostsAsync(string projectId, CancellationToken cancellationToken) =>
        ListAsync(projectId, $"/v1/{projectId}/composite-waf/host", [], item => new HuaweiWafHostItem(
            Text(item, "id") ?? Text(item, "hostid") ?? string.Empty,
            Text(item, "hostname") ?? string.Empty,
            Text(item, "policyid"),
            Text(item, "waf_type") ?? "cloud"), cancellationToken);

    /// <summary>The policy's rules, narrowed by the service's (substring) name filter when given.</summary>
    public Task<IReadOnlyList<HuaweiIpRuleItem>> ListIpRulesAsync(string projectId, string policyId, string? name, CancellationToken cancellationToken) =>
        ListAsync(projectId, $"/v1/{projectId}/waf/policy/{policyId}/whiteblackip", name is null ? [] : [KeyValuePair.Create("name", name)], Rule, cancellationToken);

    public async Task<HuaweiIpRuleItem> CreateIpRuleAsync(string projectId, string policyId, HuaweiIpRuleSpec spec, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object>
        {
            ["name"] = spec.Name,
            ["addr"] = spec.Addr,
            ["white"] = spec.White,
            ["description"] = spec.Description,
        };
        if (spec is { Start: { } start, Terminal: { } terminal })
        {
            request["time_mode"] = "customize";
            request["start"] = start;
            request["terminal"] = terminal;
        }
        else
        {
            request["time_mode"] = "permanent";
        }

        var body = await api.SendAsync(HttpMethod.Post, WafHost, $"/v1/{projectId}/waf/policy/{policyId}/whiteblackip", [], projectId,
            JsonSerializer.SerializeToUtf8Bytes(request), cancellationToken);
        using var document = HuaweiApi.Json(body);
        return Rule(document.RootElement);
    }

    public async Task DeleteIpRuleAsync(string projectId, string policyId, string ruleId, CancellationToken cancellationToken) =>
        await api.SendAsync(HttpMethod.Delete, WafHost, $"/v1/{projectId}/waf/policy/{policyId}/whiteblackip/{ruleId}", [], projectId, null, cancellationToken);

    private async Task<IReadOnlyList<T>> ListAsync<T>(string projectId, string path, KeyValuePair<string, string>[] filter, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        for (var page = 1; ; page++)
        {
            KeyValuePair<string, string>[] query =
            [
                .. filter,
                KeyValuePair.Create("page", page.ToString(CultureInfo.InvariantCulture)),
                KeyValuePair.Create("pagesize", PageSize.ToString(CultureInfo.InvariantCulture)),
            ];
            var body = await api.SendAsync(HttpMethod.Get, WafHost, path, query, projectId, null, cancellationToken);
            using var document = HuaweiApi.Json(body);
            var root = document.RootElement;
            var items = root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array ? array : default;
            var count = items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;
            if (count > 0)
            {
                all.AddRange(items.EnumerateArray().Select(read));
            }

            var total = root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : all.Count;
            if (count < PageSize || all.Count >= total)
            {
                return all;
            }
        }
    }

    private static HuaweiIpRuleItem Rule(JsonElement item) => new(
        Text(item, "id") ?? throw new CloudApiException(Application.Accounts.CloudProvider.HuaweiCloud, 200, "InvalidResponse", "A black/white IP rule has no id."),
        Text(item, "name") ?? string.Empty,
        Text(item, "addr"),
        item.TryGetProperty("white", out var white) && white.TryGetInt32(out var w) ? w : -1,
        Text(item, "description"),
        Text(item, "time_mode"),
        item.TryGetProperty("terminal", out var terminal) && terminal.TryGetInt64(out var end) ? end : null);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
