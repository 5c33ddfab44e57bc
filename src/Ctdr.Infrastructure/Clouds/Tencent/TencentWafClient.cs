using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Tencent;

/// <summary>A WAF instance: id, name, region and edition (<c>sparta-waf</c> SaaS, <c>clb-waf</c> load-balancer).</summary>
internal sealed record TencentWafInstanceItem(string InstanceId, string InstanceName, string Region, string Edition);

/// <summary>A protected domain and the instance that protects it.</summary>
internal sealed record TencentWafDomainItem(string Domain, string DomainId, string InstanceId, string Edition);

/// <summary>One entry of a domain's IP access control (ActionType 42 blocklist, 40 allowlist); <c>ValidTs</c> is its end in Unix seconds.</summary>
internal sealed record TencentIpEntryItem(string Id, string RuleId, int ActionType, string Ip, string Note, long ValidTs, int ValidStatus);

/// <summary>
/// Tencent Cloud WAF (API 3.0, service <c>waf</c>, version <c>2018-01-25</c>) over <see cref="Tc3Api"/>:
/// DescribeInstances, DescribeDomains, and a domain's IP access control — CreateIpAccessControl,
/// DescribeIpAccessControl, DeleteIpAccessControlV2 (by rule id; DeleteIpAccessControl by IP is the older form).
/// Lists are read page by page (Offset/OffSet, Limit).
/// </summary>
internal sealed class TencentWafClient(Tc3Api api)
{
    public const string Version = "2018-01-25";
    public const int Blocklist = 42;
    private const int PageSize = 100;

    public async Task<IReadOnlyList<TencentWafInstanceItem>> DescribeInstancesAsync(CancellationToken cancellationToken) =>
        await PagesAsync("DescribeInstances", "Offset", [], root => Items(root, "Instances"), item => new TencentWafInstanceItem(
            Text(item, "InstanceId") ?? string.Empty, Text(item, "InstanceName") ?? string.Empty, Text(item, "Region") ?? string.Empty, Text(item, "Edition") ?? string.Empty),
            root => Number(root, "Total"), cancellationToken);

    /// <summary>DescribeDomains with filters (name → values), e.g. <c>Domain</c> or <c>InstanceId</c>.</summary>
    public async Task<IReadOnlyList<TencentWafDomainItem>> DescribeDomainsAsync(IReadOnlyDictionary<string, string> filters, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object>
        {
            ["Filters"] = filters.Select(f => new Dictionary<string, object> { ["Name"] = f.Key, ["Values"] = new[] { f.Value }, ["ExactMatch"] = true }).ToArray(),
        };
        return await PagesAsync("DescribeDomains", "Offset", request, root => Items(root, "Domains"), item => new TencentWafDomainItem(
            Text(item, "Domain") ?? string.Empty, Text(item, "DomainId") ?? string.Empty, Text(item, "InstanceId") ?? string.Empty, Text(item, "Edition") ?? string.Empty),
            root => Number(root, "Total"), cancellationToken);
    }

    /// <summary>The domain's blocklist entries whose IP contains <paramref name="ip"/> (the service's filter).</summary>
    public async Task<IReadOnlyList<TencentIpEntryItem>> DescribeBlocklistAsync(string domain, string ip, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object> { ["Domain"] = domain, ["ActionType"] = Blocklist, ["Ip"] = ip };
        return await PagesAsync("DescribeIpAccessControl", "OffSet", request,
            root => root.TryGetProperty("Data", out var data) ? Items(data, "Res") : [],
            item => new TencentIpEntryItem(
                Text(item, "Id") ?? string.Empty,
                Text(item, "RuleId") ?? string.Empty,
                (int)(Number(item, "ActionType") ?? 0),
                Text(item, "Ip") ?? string.Empty,
                Text(item, "Note") ?? string.Empty,
                Number(item, "ValidTs") ?? 0,
                (int)(Number(item, "ValidStatus") ?? 0)),
            root => root.TryGetProperty("Data", out var data) ? Number(data, "TotalCount") : null, cancellationToken);
    }

    /// <summary>CreateIpAccessControl for one address on the blocklist, expiring at <paramref name="end"/> (a TimedJob): the new RuleId.</summary>
    public async Task<string> CreateBlockAsync(string instanceId, string domain, string edition, string ip, string note, long start, long end, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object>
        {
            ["InstanceId"] = instanceId,
            ["Domain"] = domain,
            ["Edition"] = edition,
            ["IpList"] = new[] { ip },
            ["ActionType"] = Blocklist,
            ["SourceType"] = "custom",
            ["Note"] = note,
            ["JobType"] = "TimedJob",
            ["JobDateTime"] = new Dictionary<string, object>
            {
                ["Timed"] = new[] { new Dictionary<string, long> { ["StartDateTime"] = start, ["EndDateTime"] = end } },
                ["TimeTZone"] = "UTC+8",
            },
        };
        using var document = await api.SendAsync("CreateIpAccessControl", request, cancellationToken);
        return Text(document.RootElement, "RuleId")
            ?? throw new CloudApiException(CloudProvider.TencentCloud, 200, "InvalidResponse", "CreateIpAccessControl answered no RuleId.");
    }

    /// <summary>DeleteIpAccessControlV2 of one blocklist rule: how many rule ids failed (0 when deleted).</summary>
    public async Task<long> DeleteRuleAsync(string domain, string ruleId, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object>
        {
            ["Domain"] = domain,
            ["RuleIds"] = new[] { ulong.Parse(ruleId, System.Globalization.CultureInfo.InvariantCulture) },
            ["DeleteAll"] = false,
            ["SourceType"] = "custom",
            ["ActionType"] = Blocklist,
        };
        using var document = await api.SendAsync("DeleteIpAccessControlV2", request, cancellationToken);
        return Number(document.RootElement, "FailedCount") ?? 0;
    }

    private async Task<List<T>> PagesAsync<T>(string action, string offsetName, Dictionary<string, object> request, Func<JsonElement, JsonElement[]> items, Func<JsonElement, T> read, Func<JsonElement, long?> total, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        while (true)
        {
            var page = new Dictionary<string, object>(request) { [offsetName] = all.Count, ["Limit"] = PageSize };
            using var document = await api.SendAsync(action, page, cancellationToken);
            var found = items(document.RootElement);
            all.AddRange(found.Select(read));
            if (found.Length < PageSize || all.Count >= (total(document.RootElement) ?? all.Count))
            {
                return all;
            }
        }
    }

    private static JsonElement[] Items(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}
