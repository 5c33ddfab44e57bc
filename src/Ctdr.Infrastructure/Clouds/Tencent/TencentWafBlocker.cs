using System.Globalization;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Microsoft.Extensions.Logging;

namespace Ctdr.Infrastructure.Clouds.Tencent;

/// <summary>
/// Blocks addresses on Tencent Cloud WAF through a domain's IP blocklist (ActionType 42): the scope names the
/// instance and the protected domain (required). Ctdr adds one entry per address with SourceType <c>custom</c>, a
/// note <c>ctdr &lt;reference&gt; …</c> that marks it as Ctdr's, and the end as a timed job (JobType <c>TimedJob</c>,
/// JobDateTime.Timed EndDateTime), so the WAF stops enforcing it by itself; the deprecated ValidTS is not used.
/// </summary>
internal sealed partial class TencentWafBlocker(IHttpClientFactory httpClients, TimeProvider clock, ILogger<TencentWafBlocker> logger) : IWafBlocker
{
    public const string NotePrefix = "ctdr ";
    private const int NoteLimit = 100;

    public CloudProvider Provider => CloudProvider.TencentCloud;

    /// <summary>Every WAF instance of the account with the domains it protects.</summary>
    public async Task<IReadOnlyList<WafInstanceInfo>> ListInstancesAsync(ConnectorAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var client = Client(account);
        var instances = new List<WafInstanceInfo>();
        foreach (var instance in await client.DescribeInstancesAsync(cancellationToken))
        {
            var domains = await client.DescribeDomainsAsync(new Dictionary<string, string> { ["InstanceId"] = instance.InstanceId }, cancellationToken);
            instances.Add(new WafInstanceInfo(instance.InstanceId, instance.Region, instance.Edition,
                [.. domains.Where(d => d.InstanceId == instance.InstanceId).Select(d => d.Domain).Order(StringComparer.Ordinal)]));
        }

        return instances;
    }

    public async Task<WafBlockResult> BlockAsync(ConnectorAccount account, WafScope scope, WafBlockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(request);
        var domain = Domain(scope);
        var address = WafAddress.Parse(request.Address);
        var now = clock.GetUtcNow();
        if (request.Until <= now)
        {
            throw new ArgumentException($"The block would end at {request.Until:u}, which is not after now ({now:u}).", nameof(request));
        }

        var client = Client(account);
        var target = await DomainAsync(client, scope.InstanceId, domain, cancellationToken);
        var entries = await EntriesAsync(client, domain, address, cancellationToken);
        if (entries.FirstOrDefault(e => IsOurs(e) && Active(e, now)) is { } ours)
        {
            LogUnchanged(logger, address.Text, domain, ours.RuleId, WafChange.AlreadyPresent);
            return new WafBlockResult(WafChange.AlreadyPresent, ours.RuleId, $"Rule {ours.RuleId} already blocks {address.Text} on {domain} ({scope.InstanceId}) until {End(ours)}.");
        }

        if (entries.FirstOrDefault(e => Active(e, now)) is { } foreign)
        {
            LogUnchanged(logger, address.Text, domain, foreign.RuleId, WafChange.AlreadyPresent);
            return new WafBlockResult(WafChange.AlreadyPresent, foreign.RuleId, $"Rule {foreign.RuleId} (note '{foreign.Note}'), not created by Ctdr, already blocks {address.Text} on {domain}; Ctdr leaves it as it is.");
        }

        // An expired entry of Ctdr's still holds the address: the WAF refuses a second entry for it until it is gone.
        foreach (var expired in entries.Where(IsOurs))
        {
            await client.DeleteRuleAsync(domain, expired.RuleId, cancellationToken);
        }

        string ruleId;
        try
        {
            ruleId = await client.CreateBlockAsync(scope.InstanceId, domain, target.Edition, address.Text, Note(request), now.ToUnixTimeSeconds(), request.Until.ToUnixTimeSeconds(), cancellationToken);
        }
        catch (CloudApiException exception) when (exception.HttpStatus is 200 or (>= 400 and < 500))
        {
            // A retried or concurrent create already added Ctdr's entry, or another entry now holds the address.
            var present = (await EntriesAsync(client, domain, address, cancellationToken)).FirstOrDefault(e => Active(e, clock.GetUtcNow()));
            if (present is null)
            {
                throw;
            }

            var change = IsOurs(present) ? WafChange.Added : WafChange.AlreadyPresent;
            LogChanged(logger, address.Text, domain, present.RuleId, change);
            return new WafBlockResult(change, present.RuleId, change == WafChange.Added
                ? $"Rule {present.RuleId} blocks {address.Text} on {domain} ({scope.InstanceId}) until {End(present)}."
                : $"Rule {present.RuleId} (note '{present.Note}'), not created by Ctdr, already blocks {address.Text} on {domain}; Ctdr leaves it as it is.");
        }

        var readBack = (await EntriesAsync(client, domain, address, cancellationToken)).FirstOrDefault(e => e.RuleId == ruleId)
            ?? throw new CloudApiException(CloudProvider.TencentCloud, 200, "VerificationFailed", $"Rule {ruleId} was created on {domain} but its blocklist does not list {address.Text}.");
        LogChanged(logger, address.Text, domain, ruleId, WafChange.Added);
        return new WafBlockResult(WafChange.Added, ruleId, $"Rule {ruleId} blocks {address.Text} on {domain} ({scope.InstanceId}) until {End(readBack)}.");
    }

    public async Task<WafBlockResult> UnblockAsync(ConnectorAccount account, WafScope scope, string address, string? ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var domain = Domain(scope);
        var parsed = WafAddress.Parse(address);
        var client = Client(account);
        await DomainAsync(client, scope.InstanceId, domain, cancellationToken);
        var ours = (await EntriesAsync(client, domain, parsed, cancellationToken)).Where(IsOurs).ToList();
        if (ours.Count == 0)
        {
            LogUnchanged(logger, parsed.Text, domain, ruleId ?? string.Empty, WafChange.AlreadyAbsent);
            return new WafBlockResult(WafChange.AlreadyAbsent, ruleId ?? string.Empty, $"The blocklist of {domain} has no Ctdr entry for {parsed.Text}.");
        }

        foreach (var entry in ours)
        {
            await client.DeleteRuleAsync(domain, entry.RuleId, cancellationToken);
        }

        if ((await EntriesAsync(client, domain, parsed, cancellationToken)).FirstOrDefault(IsOurs) is { } still)
        {
            throw new CloudApiException(CloudProvider.TencentCloud, 200, "VerificationFailed", $"Rule {still.RuleId} was deleted from {domain} but still lists {parsed.Text}.");
        }

        LogChanged(logger, parsed.Text, domain, ours[0].RuleId, WafChange.Removed);
        return new WafBlockResult(WafChange.Removed, ours[0].RuleId, $"Rule {ours[0].RuleId} was deleted from the blocklist of {domain}; {parsed.Text} is no longer blocked by Ctdr.");
    }

    public async Task<string?> FindBlockingRuleAsync(ConnectorAccount account, WafScope scope, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var domain = Domain(scope);
        var entries = await EntriesAsync(Client(account), domain, WafAddress.Parse(address), cancellationToken);
        var now = clock.GetUtcNow();
        return entries.FirstOrDefault(e => IsOurs(e) && Active(e, now))?.RuleId;
    }

    private static string Domain(WafScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return string.IsNullOrWhiteSpace(scope.Domain)
            ? throw new ArgumentException("A Tencent Cloud WAF block needs the protected domain in its scope.", nameof(scope))
            : scope.Domain.Trim();
    }

    private static async Task<TencentWafDomainItem> DomainAsync(TencentWafClient client, string instanceId, string domain, CancellationToken cancellationToken) =>
        (await client.DescribeDomainsAsync(new Dictionary<string, string> { ["Domain"] = domain }, cancellationToken))
            .FirstOrDefault(d => d.InstanceId == instanceId && string.Equals(d.Domain, domain, StringComparison.OrdinalIgnoreCase))
        ?? throw new CloudApiException(CloudProvider.TencentCloud, 200, "DomainNotFound", $"WAF instance {instanceId} does not protect {domain}.");

    /// <summary>The domain's blocklist entries for exactly this address (the service filters by substring).</summary>
    private static async Task<List<TencentIpEntryItem>> EntriesAsync(TencentWafClient client, string domain, WafAddress address, CancellationToken cancellationToken) =>
        [.. (await client.DescribeBlocklistAsync(domain, address.Text, cancellationToken)).Where(e => e.ActionType == TencentWafClient.Blocklist && address.Matches(e.Ip))];

    private static bool IsOurs(TencentIpEntryItem entry) => entry.Note.StartsWith(NotePrefix, StringComparison.Ordinal);

    private static bool Active(TencentIpEntryItem entry, DateTimeOffset now) => entry.ValidTs > now.ToUnixTimeSeconds();

    private static string End(TencentIpEntryItem entry) =>
        DateTimeOffset.FromUnixTimeSeconds(entry.ValidTs).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Note(WafBlockRequest request)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{NotePrefix}{request.Reference} until {request.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        return text.Length <= NoteLimit ? text : text[..NoteLimit];
    }

    private TencentWafClient Client(ConnectorAccount account) =>
        new(new Tc3Api(httpClients.CreateClient(TencentLogConnector.HttpClientName), account.Credentials,
            account.Regions.Count > 0 ? account.Regions[0] : "ap-guangzhou", account.Endpoint, clock, "waf", TencentWafClient.Version));

    [LoggerMessage(Level = LogLevel.Information, Message = "Tencent WAF: {Change} {Address} on {Domain} (rule {RuleId})")]
    private static partial void LogChanged(ILogger logger, string address, string domain, string ruleId, WafChange change);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tencent WAF: {Change} {Address} on {Domain} (rule {RuleId}), nothing changed")]
    private static partial void LogUnchanged(ILogger logger, string address, string domain, string ruleId, WafChange change);
}
