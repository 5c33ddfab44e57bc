using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Clouds.Alibaba.Waf;

/// <summary>
/// Blocks addresses on an Alibaba Cloud WAF 3.0 instance with IP blacklist rules (<c>ip_blacklist</c>) in Ctdr's
/// protection template: the template named <see cref="AlibabaWafOptions.TemplateName"/>, else the instance's default
/// IP blacklist template, else a new default template of that name (a default template protects every object of the
/// instance that has no custom template, so the block is instance-wide and <see cref="WafScope.Domain"/> is not used).
/// Ctdr's rules are the IP blacklist rules of that template whose name starts with <c>ctdr-</c>; each holds up to
/// <see cref="AlibabaWafOptions.MaxAddressesPerRule"/> addresses. Every change is read back with DescribeDefenseRule.
/// </summary>
internal sealed class AlibabaWafBlocker(
    IHttpClientFactory httpClients,
    TimeProvider clock,
    IOptions<CloudConnectorOptions> cloudOptions,
    IOptions<AlibabaWafOptions> wafOptions) : IWafBlocker
{
    public const string HttpClientName = "ctdr-clouds-alibaba-waf";
    public const string Scene = "ip_blacklist";
    public const string RulePrefix = "ctdr-";
    private const string DefaultTemplate = "user_default";

    // A change reads a rule and writes it back whole: changes to one instance from this process take turns, so
    // two playbooks blocking at once cannot overwrite each other's address.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> instanceLocks = new(StringComparer.Ordinal);

    public CloudProvider Provider => CloudProvider.AlibabaCloud;

    /// <summary>DescribeInstance in each WAF region the account's regions map to (Chinese mainland → cn-hangzhou, elsewhere → ap-southeast-1), with the instance's domains.</summary>
    public async Task<IReadOnlyList<WafInstanceInfo>> ListInstancesAsync(ConnectorAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var instances = new List<WafInstanceInfo>();
        foreach (var region in WafRegions(account))
        {
            var client = Client(account, region);
            if (await client.DescribeInstanceAsync(cancellationToken) is { } instance)
            {
                var domains = await client.DescribeDomainsAsync(instance.InstanceId, cancellationToken);
                instances.Add(new WafInstanceInfo(instance.InstanceId, region, instance.Edition, domains));
            }
        }

        return instances;
    }

    public async Task<WafBlockResult> BlockAsync(ConnectorAccount account, WafScope scope, WafBlockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var target = ParseAddress(request.Address);
        var gate = Gate(account, scope);
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await BlockLockedAsync(account, scope, target, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<WafBlockResult> BlockLockedAsync(ConnectorAccount account, WafScope scope, string target, CancellationToken cancellationToken)
    {
        var client = await ClientForAsync(account, scope.InstanceId, cancellationToken);
        var templateId = await FindTemplateAsync(client, scope.InstanceId, cancellationToken)
            ?? await client.CreateDefenseTemplateAsync(scope.InstanceId, wafOptions.Value.TemplateName, Scene, DefaultTemplate,
                "IP blacklist rules placed by Ctdr response playbooks", cancellationToken);
        var rules = await CtdrRulesAsync(client, scope.InstanceId, templateId, cancellationToken);

        if (rules.FirstOrDefault(r => r.RemoteAddresses.Any(a => Covers(a, target))) is { } covering)
        {
            if (covering.Enabled && IsBlock(covering))
            {
                return new WafBlockResult(WafChange.AlreadyPresent, Id(covering.RuleId), Describe(covering, templateId, $"already blocks {target}"));
            }

            // Ctdr's rule holds the address but someone switched it off or to monitor: put it back to blocking.
            await client.ModifyDefenseRuleAsync(scope.InstanceId, templateId, Scene, RulesJson(covering.RuleId, covering.RuleName, covering.RemoteAddresses), cancellationToken);
            return await VerifyAsync(client, scope.InstanceId, templateId, covering.RuleId, target, WafChange.Added, cancellationToken);
        }

        var capacity = wafOptions.Value.MaxAddressesPerRule;
        long ruleId;
        if (rules.Where(r => r.RemoteAddresses.Count < capacity).OrderBy(r => r.RuleId).FirstOrDefault() is { } room)
        {
            ruleId = room.RuleId;
            await client.ModifyDefenseRuleAsync(scope.InstanceId, templateId, Scene, RulesJson(room.RuleId, room.RuleName, [.. room.RemoteAddresses, target]), cancellationToken);
        }
        else
        {
            var name = NextRuleName(rules);
            var ids = await client.CreateDefenseRuleAsync(scope.InstanceId, templateId, Scene, RulesJson(null, name, [target]), cancellationToken);
            ruleId = ids.Count == 1 ? ids[0] : throw new CloudApiException(CloudProvider.AlibabaCloud, 200, "InvalidResponse", $"CreateDefenseRule answered {ids.Count} rule ids for one rule.");
        }

        return await VerifyAsync(client, scope.InstanceId, templateId, ruleId, target, WafChange.Added, cancellationToken);
    }

    public async Task<WafBlockResult> UnblockAsync(ConnectorAccount account, WafScope scope, string address, string? ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        var target = ParseAddress(address);
        var gate = Gate(account, scope);
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await UnblockLockedAsync(account, scope, target, ruleId, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<WafBlockResult> UnblockLockedAsync(ConnectorAccount account, WafScope scope, string target, string? ruleId, CancellationToken cancellationToken)
    {
        var client = await ClientForAsync(account, scope.InstanceId, cancellationToken);
        if (await FindTemplateAsync(client, scope.InstanceId, cancellationToken) is not { } templateId)
        {
            return new WafBlockResult(WafChange.AlreadyAbsent, ruleId ?? string.Empty, $"Instance {scope.InstanceId} has no IP blacklist template of Ctdr's; {target} is not blocked by Ctdr.");
        }

        var rules = await CtdrRulesAsync(client, scope.InstanceId, templateId, cancellationToken);
        var holding = rules.Where(r => r.RemoteAddresses.Any(a => SameNetwork(a, target)))
            .OrderBy(r => Id(r.RuleId) == ruleId ? 0 : 1).ThenBy(r => r.RuleId).ToList();
        if (holding.Count == 0)
        {
            return new WafBlockResult(WafChange.AlreadyAbsent, ruleId ?? string.Empty, $"No Ctdr rule of template {Id(templateId)} holds {target}.");
        }

        var details = new List<string>();
        foreach (var rule in holding)
        {
            var remaining = rule.RemoteAddresses.Where(a => !SameNetwork(a, target)).ToList();
            if (remaining.Count == 0)
            {
                await client.DeleteDefenseRuleAsync(scope.InstanceId, templateId, [rule.RuleId], cancellationToken);
                await VerifyDeletedAsync(client, scope.InstanceId, templateId, rule.RuleId, cancellationToken);
                details.Add($"Rule {Id(rule.RuleId)} ({rule.RuleName}) held only {target} and was deleted.");
            }
            else
            {
                await client.ModifyDefenseRuleAsync(scope.InstanceId, templateId, Scene, RulesJson(rule.RuleId, rule.RuleName, remaining), cancellationToken);
                var read = await client.DescribeDefenseRuleAsync(scope.InstanceId, templateId, rule.RuleId, cancellationToken);
                if (read.RemoteAddresses.Any(a => SameNetwork(a, target)))
                {
                    throw new CloudApiException(CloudProvider.AlibabaCloud, 200, "VerificationFailed", $"Rule {Id(rule.RuleId)} still holds {target} after ModifyDefenseRule.");
                }

                details.Add(Describe(read, templateId, $"no longer holds {target}"));
            }
        }

        return new WafBlockResult(WafChange.Removed, Id(holding[0].RuleId), string.Join(' ', details));
    }

    public async Task<string?> FindBlockingRuleAsync(ConnectorAccount account, WafScope scope, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var target = ParseAddress(address);
        var client = await ClientForAsync(account, scope.InstanceId, cancellationToken);
        if (await FindTemplateAsync(client, scope.InstanceId, cancellationToken) is not { } templateId)
        {
            return null;
        }

        var rules = await CtdrRulesAsync(client, scope.InstanceId, templateId, cancellationToken);
        return rules.Where(r => r.Enabled && IsBlock(r) && r.RemoteAddresses.Any(a => Covers(a, target))).Select(r => Id(r.RuleId)).FirstOrDefault();
    }

    /// <summary>Ctdr's template when it exists (by name), else the instance's default IP blacklist template; null when neither exists.</summary>
    private async Task<long?> FindTemplateAsync(AlibabaWafClient client, string instanceId, CancellationToken cancellationToken)
    {
        var templates = await client.DescribeDefenseTemplatesAsync(instanceId, Scene, cancellationToken);
        var chosen = templates.FirstOrDefault(t => t.DefenseScene == Scene && string.Equals(t.TemplateName, wafOptions.Value.TemplateName, StringComparison.Ordinal))
                     ?? templates.FirstOrDefault(t => t.DefenseScene == Scene && t.TemplateType == DefaultTemplate);
        return chosen?.TemplateId;
    }

    private static async Task<List<WafRule>> CtdrRulesAsync(AlibabaWafClient client, string instanceId, long templateId, CancellationToken cancellationToken) =>
        [.. (await client.DescribeDefenseRulesAsync(instanceId, templateId, Scene, cancellationToken))
            .Where(r => r.DefenseScene == Scene && r.TemplateId == templateId && r.RuleName.StartsWith(RulePrefix, StringComparison.Ordinal))];

    private static async Task<WafBlockResult> VerifyAsync(AlibabaWafClient client, string instanceId, long templateId, long ruleId, string target, WafChange change, CancellationToken cancellationToken)
    {
        var read = await client.DescribeDefenseRuleAsync(instanceId, templateId, ruleId, cancellationToken);
        if (!read.Enabled || !IsBlock(read) || !read.RemoteAddresses.Any(a => Covers(a, target)))
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, 200, "VerificationFailed",
                $"Rule {Id(ruleId)} read back does not block {target} (status {read.Status}, action '{read.Action}', {read.RemoteAddresses.Count} address(es)).");
        }

        return new WafBlockResult(change, Id(ruleId), Describe(read, templateId, $"blocks {target}"));
    }

    private static async Task VerifyDeletedAsync(AlibabaWafClient client, string instanceId, long templateId, long ruleId, CancellationToken cancellationToken)
    {
        try
        {
            await client.DescribeDefenseRuleAsync(instanceId, templateId, ruleId, cancellationToken);
        }
        catch (CloudApiException exception) when (exception.HttpStatus is >= 400 and < 500 && exception.ErrorCode.Contains("NotExist", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        throw new CloudApiException(CloudProvider.AlibabaCloud, 200, "VerificationFailed", $"Rule {Id(ruleId)} can still be read after DeleteDefenseRule.");
    }

    private static string Describe(WafRule rule, long templateId, string what) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Rule {rule.RuleId} ({rule.RuleName}) of IP blacklist template {templateId} {what}; it is {(rule.Enabled ? "on" : "off")}, action {rule.Action}, {rule.RemoteAddresses.Count} address(es).");

    private static bool IsBlock(WafRule rule) => string.Equals(rule.Action, "block", StringComparison.Ordinal);

    /// <summary><c>ctdr-blocklist-&lt;n&gt;</c> with n one more than the highest of the existing rules.</summary>
    private static string NextRuleName(IEnumerable<WafRule> rules)
    {
        const string stem = RulePrefix + "blocklist-";
        var highest = rules.Select(r => r.RuleName.StartsWith(stem, StringComparison.Ordinal) && int.TryParse(r.RuleName[stem.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
        return stem + (highest + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>Rules</c> parameter: one enabled, blocking, custom-origin IP blacklist rule (with <c>id</c> when it exists).</summary>
    private static string RulesJson(long? id, string name, IReadOnlyList<string> addresses)
    {
        var rule = new Dictionary<string, object>(StringComparer.Ordinal);
        if (id is { } existing)
        {
            rule["id"] = existing;
        }

        rule["name"] = name;
        rule["remoteAddr"] = addresses;
        rule["action"] = "block";
        rule["status"] = 1;
        rule["origin"] = "custom";
        return JsonSerializer.Serialize(new[] { rule });
    }

    /// <summary>An IP address (canonical text) or a CIDR block (canonical network text); anything else is refused before any call.</summary>
    internal static string ParseAddress(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Trim();
        if (IPAddress.TryParse(text, out var ip) && !text.Contains('/', StringComparison.Ordinal))
        {
            return ip.ToString();
        }

        if (IPNetwork.TryParse(text, out var network))
        {
            return network.ToString();
        }

        throw new ArgumentException($"'{address}' is neither an IP address nor a CIDR block.", nameof(address));
    }

    private static IPNetwork? Network(string text)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var ip) && !text.Contains('/', StringComparison.Ordinal))
        {
            return new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        return IPNetwork.TryParse(text, out var network) ? network : null;
    }

    /// <summary>Whether a rule entry blocks all of the target: the same address or network, or a network containing it.</summary>
    private static bool Covers(string entry, string target) =>
        Network(entry) is { } outer && Network(target) is { } inner && outer.PrefixLength <= inner.PrefixLength && outer.Contains(inner.BaseAddress);

    private static bool SameNetwork(string entry, string target) => Network(entry) is { } a && Network(target) is { } b && a.Equals(b);

    private SemaphoreSlim Gate(ConnectorAccount account, WafScope scope) =>
        instanceLocks.GetOrAdd(account.AccountUid + "/" + scope.InstanceId, _ => new SemaphoreSlim(1, 1));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> WafRegions(ConnectorAccount account) =>
        account.Regions.Count == 0
            ? ["cn-hangzhou"]
            : account.Regions.Select(r => r.StartsWith("cn-", StringComparison.Ordinal) ? "cn-hangzhou" : "ap-southeast-1").Distinct(StringComparer.Ordinal);

    /// <summary>The client of the WAF region that holds the instance: the only one the account maps to, else the one whose DescribeInstance names it.</summary>
    private async Task<AlibabaWafClient> ClientForAsync(ConnectorAccount account, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var regions = WafRegions(account).ToList();
        if (regions.Count == 1)
        {
            return Client(account, regions[0]);
        }

        foreach (var region in regions)
        {
            var client = Client(account, region);
            if (await client.DescribeInstanceAsync(cancellationToken) is { } instance && instance.InstanceId == instanceId)
            {
                return client;
            }
        }

        throw new CloudApiException(CloudProvider.AlibabaCloud, 404, "InstanceNotFound", $"No WAF 3.0 instance {instanceId} in {string.Join(" or ", regions)}.");
    }

    private AlibabaWafClient Client(ConnectorAccount account, string region)
    {
        var cloud = cloudOptions.Value;
        var version = string.Equals(wafOptions.Value.SignatureVersion, "V2", StringComparison.OrdinalIgnoreCase) ? PopSignatureVersion.V2 : PopSignatureVersion.V3;
        return new AlibabaWafClient(httpClients.CreateClient(HttpClientName), account.Credentials, region, account.Endpoint, clock, version,
            new PopRetry(cloud.MaxRetries, cloud.RetryBaseDelay, cloud.TotalTimeout));
    }
}
