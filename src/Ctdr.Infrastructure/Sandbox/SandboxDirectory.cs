using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Sandbox;

/// <summary>Reads the sandbox cloud's accounts from its control API (<c>GET /_sandbox/accounts</c>).</summary>
internal sealed class SandboxDirectory(IHttpClientFactory http, IOptions<SandboxSettings> settings, SandboxEndpoint endpoint) : ISandboxDirectory
{
    public const string HttpClientName = "sandbox-control";

    public bool IsEnabled => settings.Value.Enabled && endpoint.Address is not null;

    public async Task<IReadOnlyList<SandboxAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        var address = endpoint.Address ?? throw new InvalidOperationException("The sandbox cloud is not running.");
        using var client = http.CreateClient(HttpClientName);
        using var response = await client.GetAsync(new Uri(address, "/_sandbox/accounts"), cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return SandboxAccountsReader.Read(document.RootElement, address);
    }
}

/// <summary>
/// Maps the sandbox's account description (<c>GET /_sandbox/accounts</c>) to what Ctdr onboards: one account per
/// provider with its full-access key, and the log sources the sandbox fills (WAF, Cloud Firewall and ActionTrail
/// on Alibaba Cloud, the WAF attack stream on Huawei Cloud, the WAF topic on Tencent Cloud).
/// </summary>
internal static class SandboxAccountsReader
{
    public static IReadOnlyList<SandboxAccount> Read(JsonElement root, Uri endpoint)
    {
        var accounts = new List<SandboxAccount>();
        if (root.TryGetProperty("alibaba", out var alibaba) && alibaba.TryGetProperty("account", out var ali))
        {
            var uid = Text(ali, "aliUid");
            var region = Text(ali, "region");
            var key = ali.GetProperty("fullAccess");
            var sources = new List<ProposedSource>();
            foreach (var store in ali.GetProperty("logStores").EnumerateArray())
            {
                LogProduct? product = Text(store, "stream") switch
                {
                    "alibaba-waf" => LogProduct.AlibabaWaf,
                    "alibaba-cloudfirewall" => LogProduct.AlibabaCloudFirewall,
                    "alibaba-actiontrail" => LogProduct.AlibabaActionTrail,
                    _ => null,
                };
                if (product is { } known)
                {
                    sources.Add(new ProposedSource(known, $"Sandbox {LogProducts.Of(known).DisplayName}", new LogBinding(region, Text(store, "project"), Text(store, "logStore"))));
                }
            }

            accounts.Add(new SandboxAccount(CloudProvider.AlibabaCloud, uid, "Sandbox Alibaba Cloud", [region], Text(key, "accessKeyId"), Text(key, "accessKeySecret"), endpoint, sources));
        }

        if (root.TryGetProperty("huawei", out var huawei) && huawei.TryGetProperty("account", out var hw))
        {
            var projectId = Text(hw, "projectId");
            var region = Text(hw, "region");
            var key = hw.GetProperty("key");
            var group = hw.GetProperty("wafLogGroup");
            var attack = group.GetProperty("streams").EnumerateArray().FirstOrDefault(s => Text(s, "stream") == "huawei-waf-attack");
            IReadOnlyList<ProposedSource> sources = attack.ValueKind == JsonValueKind.Object
                ? [new ProposedSource(LogProduct.HuaweiWaf, "Sandbox Huawei WAF attack log", new LogBinding(region, projectId, LogGroup: Text(group, "logGroupId"), LogStream: Text(attack, "logStreamId")))]
                : [];
            accounts.Add(new SandboxAccount(CloudProvider.HuaweiCloud, projectId, "Sandbox Huawei Cloud", [region], Text(key, "accessKeyId"), Text(key, "accessKeySecret"), endpoint, sources));
        }

        if (root.TryGetProperty("tencent", out var tencent) && tencent.TryGetProperty("account", out var tc))
        {
            var region = Text(tc, "region");
            var key = tc.GetProperty("key");
            var topic = tc.GetProperty("topics").EnumerateArray().FirstOrDefault(t => Text(t, "stream") == "tencent-waf");
            IReadOnlyList<ProposedSource> sources = topic.ValueKind == JsonValueKind.Object
                ? [new ProposedSource(LogProduct.TencentWaf, "Sandbox Tencent WAF", new LogBinding(region, Topic: Text(topic, "topicId")))]
                : [];
            accounts.Add(new SandboxAccount(CloudProvider.TencentCloud, Text(tc, "appId"), "Sandbox Tencent Cloud", [region], Text(key, "accessKeyId"), Text(key, "accessKeySecret"), endpoint, sources));
        }

        return accounts;
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidOperationException($"The sandbox's account description has no '{name}'.");
}
