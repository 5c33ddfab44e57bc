using System.Collections.Concurrent;
using System.Globalization;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Microsoft.Extensions.Logging;

namespace Ctdr.Infrastructure.Clouds.Huawei;

/// <summary>
/// Blocks addresses on Huawei Cloud WAF with one black/white IP rule per address on a protection policy (the
/// scope's instance id is the policy id; the policy protects every domain bound to it). Ctdr's rule for an address
/// is named <c>ctdr_&lt;address with '_'&gt;</c>, blocks (<c>white</c> 0), carries the reference in its description and
/// expires by itself (<c>time_mode</c> customize, <c>terminal</c> = the end) when the end fits the API's 32-bit seconds.
/// The region's project id comes from IAM and is remembered per endpoint, key and region.
/// </summary>
internal sealed partial class HuaweiWafBlocker(IHttpClientFactory httpClients, TimeProvider clock, ILogger<HuaweiWafBlocker> logger) : IWafBlocker
{
    public const string RuleNamePrefix = "ctdr_";
    private const int DescriptionLimit = 128;
    private readonly ConcurrentDictionary<(string Endpoint, string AccessKeyId, string Region), string> projectIds = new();

    public CloudProvider Provider => CloudProvider.HuaweiCloud;

    /// <summary>The name of Ctdr's rule for an address, e.g. <c>ctdr_203_0_113_7</c>.</summary>
    public static string RuleName(string address) => RuleNamePrefix + WafAddress.Parse(address).NamePart;

    /// <summary>Every policy of every region of the account, with the domains bound to it (all modes).</summary>
    public async Task<IReadOnlyList<WafInstanceInfo>> ListInstancesAsync(ConnectorAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var instances = new List<WafInstanceInfo>();
        foreach (var region in Regions(account))
        {
            var client = Client(account, region);
            var projectId = await ProjectIdAsync(account, client, cancellationToken);
            var policies = await client.ListPoliciesAsync(projectId, cancellationToken);
            var hosts = await client.ListHostsAsync(projectId, cancellationToken);
            foreach (var policy in policies)
            {
                var bound = hosts.Where(h => h.PolicyId == policy.Id).Concat(policy.BoundHosts)
                    .DistinctBy(h => h.Hostname, StringComparer.OrdinalIgnoreCase)
                    .ToList();
                var edition = bound.Count == 0 ? "cloud" : string.Join('+', bound.Select(h => h.WafType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
                instances.Add(new WafInstanceInfo(policy.Id, region, edition, [.. bound.Select(h => h.Hostname).Order(StringComparer.Ordinal)]));
            }
        }

        return instances;
    }

    public async Task<WafBlockResult> BlockAsync(ConnectorAccount account, WafScope scope, WafBlockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var address = WafAddress.Parse(request.Address);
        var now = clock.GetUtcNow();
        if (request.Until <= now)
        {
            throw new ArgumentException($"The block would end at {request.Until:u}, which is not after now ({now:u}).", nameof(request));
        }

        var name = RuleNamePrefix + address.NamePart;
        var (client, projectId) = await PolicyAsync(account, scope, cancellationToken);
        var policyId = scope.InstanceId;
        if (Ours(await client.ListIpRulesAsync(projectId, policyId, name, cancellationToken), name) is { White: 0 } existing)
        {
            LogUnchanged(logger, address.Text, policyId, existing.Id, WafChange.AlreadyPresent);
            return new WafBlockResult(WafChange.AlreadyPresent, existing.Id, $"Rule {existing.Id} ({name}) on policy {policyId} already blocks {address.Text}{Until(existing)}.");
        }

        // The API takes the end as 32-bit Unix seconds: a later end is a permanent rule that Ctdr removes itself.
        var until = request.Until.ToUnixTimeSeconds();
        var limited = until <= int.MaxValue;
        var spec = new HuaweiIpRuleSpec(name, address.Text, 0, Description(request), limited ? now.ToUnixTimeSeconds() : null, limited ? until : null);
        string createdId;
        try
        {
            createdId = (await client.CreateIpRuleAsync(projectId, policyId, spec, cancellationToken)).Id;
        }
        catch (CloudApiException exception) when (exception.HttpStatus is >= 400 and < 500)
        {
            // A retried or concurrent create already made Ctdr's rule, or another rule blocks the address (the WAF
            // refuses a second rule for it): either way the address is blocked and one rule holds it.
            var present = await BlockingRuleAsync(client, projectId, policyId, address, cancellationToken);
            if (present is null)
            {
                throw;
            }

            if (string.Equals(present.Name, name, StringComparison.Ordinal))
            {
                LogChanged(logger, address.Text, policyId, present.Id, WafChange.Added);
                return new WafBlockResult(WafChange.Added, present.Id, $"Rule {present.Id} ({name}) on policy {policyId} blocks {address.Text}{Until(present)}.");
            }

            LogUnchanged(logger, address.Text, policyId, present.Id, WafChange.AlreadyPresent);
            return new WafBlockResult(WafChange.AlreadyPresent, present.Id, $"Rule {present.Id} ({present.Name}), not created by Ctdr, already blocks {address.Text} on policy {policyId}; Ctdr leaves it as it is.");
        }

        var readBack = Ours(await client.ListIpRulesAsync(projectId, policyId, name, cancellationToken), name);
        if (readBack is not { White: 0 } || readBack.Id != createdId)
        {
            throw new CloudApiException(CloudProvider.HuaweiCloud, 200, "VerificationFailed", $"Rule {createdId} ({name}) was created on policy {policyId} but is not listed as blocking {address.Text}.");
        }

        LogChanged(logger, address.Text, policyId, createdId, WafChange.Added);
        return new WafBlockResult(WafChange.Added, createdId, $"Rule {createdId} ({name}) on policy {policyId} blocks {address.Text}{Until(readBack)}.");
    }

    public async Task<WafBlockResult> UnblockAsync(ConnectorAccount account, WafScope scope, string address, string? ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        var parsed = WafAddress.Parse(address);
        var name = RuleNamePrefix + parsed.NamePart;
        var (client, projectId) = await PolicyAsync(account, scope, cancellationToken);
        var policyId = scope.InstanceId;
        if (Ours(await client.ListIpRulesAsync(projectId, policyId, name, cancellationToken), name) is not { } rule)
        {
            LogUnchanged(logger, parsed.Text, policyId, ruleId ?? string.Empty, WafChange.AlreadyAbsent);
            return new WafBlockResult(WafChange.AlreadyAbsent, ruleId ?? string.Empty, $"Policy {policyId} has no Ctdr rule ({name}) for {parsed.Text}.");
        }

        try
        {
            await client.DeleteIpRuleAsync(projectId, policyId, rule.Id, cancellationToken);
        }
        catch (CloudApiException exception) when (exception.HttpStatus == 404)
        {
            // Deleted meanwhile (a retried delete, or by hand): the read-back below says whether it is gone.
        }

        if (Ours(await client.ListIpRulesAsync(projectId, policyId, name, cancellationToken), name) is { } still)
        {
            throw new CloudApiException(CloudProvider.HuaweiCloud, 200, "VerificationFailed", $"Rule {still.Id} ({name}) was deleted from policy {policyId} but is still listed.");
        }

        LogChanged(logger, parsed.Text, policyId, rule.Id, WafChange.Removed);
        return new WafBlockResult(WafChange.Removed, rule.Id, $"Rule {rule.Id} ({name}) was deleted from policy {policyId}; {parsed.Text} is no longer blocked by Ctdr.");
    }

    public async Task<string?> FindBlockingRuleAsync(ConnectorAccount account, WafScope scope, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        var name = RuleNamePrefix + WafAddress.Parse(address).NamePart;
        var (client, projectId) = await PolicyAsync(account, scope, cancellationToken);
        var rule = Ours(await client.ListIpRulesAsync(projectId, scope.InstanceId, name, cancellationToken), name);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        return rule is { White: 0 } && (rule.TimeMode != "customize" || rule.Terminal is null || rule.Terminal > now) ? rule.Id : null;
    }

    private static HuaweiIpRuleItem? Ours(IReadOnlyList<HuaweiIpRuleItem> rules, string name) =>
        rules.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>Any rule of the policy that blocks exactly this address (read in full, not by name).</summary>
    private static async Task<HuaweiIpRuleItem?> BlockingRuleAsync(HuaweiWafClient client, string projectId, string policyId, WafAddress address, CancellationToken cancellationToken) =>
        (await client.ListIpRulesAsync(projectId, policyId, null, cancellationToken)).FirstOrDefault(r => r.White == 0 && address.Matches(r.Addr));

    private static string Description(WafBlockRequest request)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"Ctdr {request.Reference}: blocked until {request.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        return text.Length <= DescriptionLimit ? text : text[..DescriptionLimit];
    }

    private static string Until(HuaweiIpRuleItem rule) =>
        rule is { TimeMode: "customize", Terminal: { } terminal }
            ? string.Create(CultureInfo.InvariantCulture, $" until {DateTimeOffset.FromUnixTimeSeconds(terminal):yyyy-MM-dd HH:mm:ss} UTC")
            : " permanently";

    private async Task<(HuaweiWafClient Client, string ProjectId)> PolicyAsync(ConnectorAccount account, WafScope scope, CancellationToken cancellationToken)
    {
        var regions = Regions(account);
        if (regions.Count == 1)
        {
            var only = Client(account, regions[0]);
            return (only, await ProjectIdAsync(account, only, cancellationToken));
        }

        foreach (var region in regions)
        {
            var client = Client(account, region);
            var projectId = await ProjectIdAsync(account, client, cancellationToken);
            if ((await client.ListPoliciesAsync(projectId, cancellationToken)).Any(p => p.Id == scope.InstanceId))
            {
                return (client, projectId);
            }
        }

        throw new CloudApiException(CloudProvider.HuaweiCloud, 404, "PolicyNotFound", $"No WAF policy {scope.InstanceId} in {string.Join(", ", regions)}.");
    }

    private async Task<string> ProjectIdAsync(ConnectorAccount account, HuaweiWafClient client, CancellationToken cancellationToken)
    {
        var key = (account.Endpoint?.ToString() ?? string.Empty, account.Credentials.AccessKeyId, client.Region);
        if (projectIds.TryGetValue(key, out var known))
        {
            return known;
        }

        var projectId = await client.FindProjectIdAsync(cancellationToken)
            ?? throw new CloudApiException(CloudProvider.HuaweiCloud, 404, "ProjectNotFound", $"IAM knows no project for region {client.Region}.");
        projectIds[key] = projectId;
        return projectId;
    }

    private static IReadOnlyList<string> Regions(ConnectorAccount account) => account.Regions.Count > 0 ? account.Regions : ["cn-north-4"];

    private HuaweiWafClient Client(ConnectorAccount account, string region) =>
        new(new HuaweiApi(httpClients.CreateClient(HuaweiLogConnector.HttpClientName), account.Credentials, region, account.Endpoint, clock));

    [LoggerMessage(Level = LogLevel.Information, Message = "Huawei WAF: {Change} {Address} on policy {PolicyId} (rule {RuleId})")]
    private static partial void LogChanged(ILogger logger, string address, string policyId, string ruleId, WafChange change);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Huawei WAF: {Change} {Address} on policy {PolicyId} (rule {RuleId}), nothing changed")]
    private static partial void LogUnchanged(ILogger logger, string address, string policyId, string ruleId, WafChange change);
}
