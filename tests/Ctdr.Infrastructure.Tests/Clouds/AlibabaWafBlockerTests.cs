using System.Net;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Clouds.Alibaba.Waf;
using Ctdr.Infrastructure.Tests.Sandbox;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Tests.Clouds;

/// <summary>
/// <see cref="AlibabaWafBlocker"/> as the product registers it, against the sandbox's WAF 3.0 OpenAPI on a fake
/// clock: the template and rule it places, idempotence, the per-rule quota, unblocking, the traffic the WAF then
/// blocks (pulled through the real SLS connector), and the sandbox's console.
/// </summary>
public sealed class AlibabaWafBlockerTests
{
    private const string Attacker = "203.0.113.45"; // the "bruteforce" scenario's address, which the WAF core rules let through
    private static readonly string Instance = SandboxAccounts.AlibabaWafInstanceId;
    private static readonly WafScope Scope = new(Instance);
    private static readonly DateTimeOffset Until = SandboxHarness.Start.AddHours(1);

    private sealed class Rig : IAsyncDisposable
    {
        private Rig(SandboxHarness sandbox, ServiceProvider services)
        {
            Sandbox = sandbox;
            Services = services;
            Blocker = services.GetRequiredService<IWafBlockers>().For(CloudProvider.AlibabaCloud)!;
            Account = new ConnectorAccount(CloudProvider.AlibabaCloud, SandboxAccounts.AliUid, [SandboxAccounts.AlibabaRegion],
                new CloudCredentials(SandboxAccounts.Alibaba.FullAccess.AccessKeyId, SandboxAccounts.Alibaba.FullAccess.AccessKeySecret), sandbox.Cloud.BaseAddress);
        }

        public SandboxHarness Sandbox { get; }

        public ServiceProvider Services { get; }

        public IWafBlocker Blocker { get; }

        public ConnectorAccount Account { get; }

        public static async Task<Rig> StartAsync(Dictionary<string, string?>? settings = null)
        {
            var sandbox = await SandboxHarness.StartAsync();
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Clouds:RetryBaseDelay"] = "00:00:00.005" })
                .AddInMemoryCollection(settings ?? [])
                .Build();
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(sandbox.Clock);
            services.AddClouds(configuration);
            services.AddAlibabaWaf(configuration);
            return new Rig(sandbox, services.BuildServiceProvider());
        }

        public Task<WafBlockResult> BlockAsync(string address) => Blocker.BlockAsync(Account, Scope, new WafBlockRequest(address, Until, "task-42"), CancellationToken.None);

        public Task<WafBlockResult> UnblockAsync(string address, string? ruleId = null) => Blocker.UnblockAsync(Account, Scope, address, ruleId, CancellationToken.None);

        /// <summary>The sandbox instance's rules: id, name, template, status, action, addresses, last change.</summary>
        public List<(long Id, string Name, long TemplateId, int Status, string Action, IReadOnlyList<string> Addresses, long GmtModified)> Rules() =>
            Sandbox.Cloud.State.Waf.Read(instances => instances.Single().Rules.Values
                .Select(r => (r.Id, r.Name, r.TemplateId, r.Status, r.Action, r.RemoteAddresses, r.GmtModified)).ToList());

        public List<(long Id, string Name, string Type, string Scene)> Templates() =>
            Sandbox.Cloud.State.Waf.Read(instances => instances.Single().Templates.Values.Select(t => (t.Id, t.Name, t.Type, t.Scene)).ToList());

        /// <summary>What the sandbox WAF blocks now: network and rule id.</summary>
        public List<(string Cidr, string RuleId)> BlockList() =>
            [.. Sandbox.Cloud.State.BlockLists[SandboxAccounts.AliUid].List(Sandbox.Clock.GetUtcNow()).Select(e => (e.Cidr, e.RuleId))];

        public AlibabaWafClient Client() =>
            new(Services.GetRequiredService<IHttpClientFactory>().CreateClient(AlibabaWafBlocker.HttpClientName), Account.Credentials, "cn-hangzhou",
                Account.Endpoint, Sandbox.Clock, PopSignatureVersion.V3, new PopRetry(0, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(30)));

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Sandbox.DisposeAsync();
        }
    }

    [Fact]
    public async Task Registration_ResolvesTheAlibabaBlocker_FromTheInfrastructureServices()
    {
        await using var host = await TestHost.StartAsync();

        var blocker = host.Get<IWafBlockers>().For(CloudProvider.AlibabaCloud);

        Assert.IsType<AlibabaWafBlocker>(blocker);
        Assert.Contains(host.Services.GetServices<IWafBlocker>(), b => b is AlibabaWafBlocker);
    }

    [Fact]
    public async Task ListInstances_AnswersTheSandboxInstanceWithItsDomains()
    {
        await using var rig = await Rig.StartAsync();

        var instances = await rig.Blocker.ListInstancesAsync(rig.Account, CancellationToken.None);

        var instance = Assert.Single(instances);
        Assert.Equal(new WafInstanceInfo(Instance, "cn-hangzhou", "ultimate", instance.Domains), instance);
        Assert.Equal(["shop.example.com", "api.example.com", "www.example.com"], instance.Domains);
    }

    [Fact]
    public async Task Block_CreatesTheTemplateAndARule_WhenTheInstanceHasNeither()
    {
        await using var rig = await Rig.StartAsync();

        var result = await rig.BlockAsync(Attacker);

        Assert.Equal(WafChange.Added, result.Change);
        Assert.Equal("20000001", result.RuleId);
        Assert.Equal("Rule 20000001 (ctdr-blocklist-1) of IP blacklist template 50001 blocks 203.0.113.45; it is on, action block, 1 address(es).", result.Detail);
        Assert.Equal([(50001L, "ctdr-blocking", "user_default", "ip_blacklist")], rig.Templates());
        var rule = Assert.Single(rig.Rules());
        Assert.Equal((20000001L, "ctdr-blocklist-1", 50001L, 1, "block"), (rule.Id, rule.Name, rule.TemplateId, rule.Status, rule.Action));
        Assert.Equal([Attacker], rule.Addresses);
        Assert.Equal([("203.0.113.45/32", "20000001")], rig.BlockList());
    }

    [Fact]
    public async Task Block_IsAlreadyPresentWithoutAWrite_WhenTheAddressIsBlockedAlready()
    {
        await using var rig = await Rig.StartAsync();
        var first = await rig.BlockAsync(Attacker);
        var before = Assert.Single(rig.Rules());
        rig.Sandbox.Clock.Advance(TimeSpan.FromMinutes(1));

        var second = await rig.BlockAsync(Attacker);

        Assert.Equal(WafChange.AlreadyPresent, second.Change);
        Assert.Equal(first.RuleId, second.RuleId);
        var after = Assert.Single(rig.Rules());
        Assert.Equal([Attacker], after.Addresses);
        Assert.Equal(before.GmtModified, after.GmtModified);
        Assert.Single(rig.Templates());
        Assert.Equal([("203.0.113.45/32", "20000001")], rig.BlockList());
    }

    [Fact]
    public async Task Block_IsAlreadyPresent_WhenAnAddressOfTheRuleIsANetworkThatContainsIt()
    {
        await using var rig = await Rig.StartAsync();
        var network = await rig.BlockAsync("203.0.113.0/24");

        var single = await rig.BlockAsync(Attacker);

        Assert.Equal(WafChange.AlreadyPresent, single.Change);
        Assert.Equal(network.RuleId, single.RuleId);
        Assert.Equal(["203.0.113.0/24"], Assert.Single(rig.Rules()).Addresses);
    }

    [Fact]
    public async Task Block_AddsTheSecondAddressToTheSameRule_WhenTheRuleHasRoom()
    {
        await using var rig = await Rig.StartAsync();
        var first = await rig.BlockAsync(Attacker);

        var second = await rig.BlockAsync("2001:db8::7");

        Assert.Equal(WafChange.Added, second.Change);
        Assert.Equal(first.RuleId, second.RuleId);
        Assert.Equal([Attacker, "2001:db8::7"], Assert.Single(rig.Rules()).Addresses);
        Assert.Equal([("203.0.113.45/32", "20000001"), ("2001:db8::7/128", "20000001")], rig.BlockList());
    }

    [Fact]
    public async Task Block_KeepsEveryAddress_WhenPlaybooksBlockAtTheSameTime()
    {
        await using var rig = await Rig.StartAsync();
        var addresses = Enumerable.Range(1, 6).Select(i => $"198.51.100.{i}").ToList();

        var results = await Task.WhenAll(addresses.Select(rig.BlockAsync));

        Assert.All(results, r => Assert.Equal((WafChange.Added, "20000001"), (r.Change, r.RuleId)));
        Assert.Equal(addresses.Order(StringComparer.Ordinal), Assert.Single(rig.Rules()).Addresses.Order(StringComparer.Ordinal));
        Assert.Single(rig.Templates());
    }

    [Fact]
    public async Task Block_StartsASecondRule_WhenTheFirstHoldsTheConfiguredMaximum()
    {
        await using var rig = await Rig.StartAsync(new Dictionary<string, string?> { ["Clouds:AlibabaWaf:MaxAddressesPerRule"] = "2" });
        await rig.BlockAsync("203.0.113.1");
        await rig.BlockAsync("203.0.113.2");

        var third = await rig.BlockAsync("203.0.113.3");

        Assert.Equal(WafChange.Added, third.Change);
        Assert.Equal("20000002", third.RuleId);
        Assert.Equal(
            [("ctdr-blocklist-1", (IReadOnlyList<string>)["203.0.113.1", "203.0.113.2"]), ("ctdr-blocklist-2", ["203.0.113.3"])],
            rig.Rules().Select(r => (r.Name, r.Addresses)));
        Assert.Equal("20000002", await rig.Blocker.FindBlockingRuleAsync(rig.Account, Scope, "203.0.113.3", CancellationToken.None));
    }

    [Fact]
    public async Task Unblock_RemovesTheAddressAndKeepsTheRule_WhenOtherAddressesRemain()
    {
        await using var rig = await Rig.StartAsync();
        await rig.BlockAsync(Attacker);
        await rig.BlockAsync("198.51.100.9");

        var result = await rig.UnblockAsync(Attacker, "20000001");

        Assert.Equal(WafChange.Removed, result.Change);
        Assert.Equal("20000001", result.RuleId);
        Assert.Equal("Rule 20000001 (ctdr-blocklist-1) of IP blacklist template 50001 no longer holds 203.0.113.45; it is on, action block, 1 address(es).", result.Detail);
        Assert.Equal(["198.51.100.9"], Assert.Single(rig.Rules()).Addresses);
        Assert.Equal([("198.51.100.9/32", "20000001")], rig.BlockList());
    }

    [Fact]
    public async Task Unblock_DeletesTheRuleAndThenIsAlreadyAbsent_WhenItWasTheLastAddress()
    {
        await using var rig = await Rig.StartAsync();
        await rig.BlockAsync(Attacker);

        var removed = await rig.UnblockAsync(Attacker);
        var again = await rig.UnblockAsync(Attacker, removed.RuleId);

        Assert.Equal(WafChange.Removed, removed.Change);
        Assert.Equal("20000001", removed.RuleId);
        Assert.Equal("Rule 20000001 (ctdr-blocklist-1) held only 203.0.113.45 and was deleted.", removed.Detail);
        Assert.Empty(rig.Rules());
        Assert.Empty(rig.BlockList());
        Assert.Equal(new WafBlockResult(WafChange.AlreadyAbsent, "20000001", "No Ctdr rule of template 50001 holds 203.0.113.45."), again);
        Assert.Null(await rig.Blocker.FindBlockingRuleAsync(rig.Account, Scope, Attacker, CancellationToken.None));
    }

    [Fact]
    public async Task Unblock_IsAlreadyAbsentWithoutCreatingATemplate_WhenNothingWasEverBlocked()
    {
        await using var rig = await Rig.StartAsync();

        var result = await rig.UnblockAsync(Attacker);

        Assert.Equal(new WafBlockResult(WafChange.AlreadyAbsent, string.Empty, $"Instance {Instance} has no IP blacklist template of Ctdr's; 203.0.113.45 is not blocked by Ctdr."), result);
        Assert.Empty(rig.Templates());
    }

    [Fact]
    public async Task FindBlockingRule_IsNullWhileTheRuleIsOff_AndBlockSwitchesItBackOn()
    {
        await using var rig = await Rig.StartAsync();
        var blocked = await rig.BlockAsync(Attacker);
        await rig.Client().ModifyDefenseRuleStatusAsync(Instance, 50001, 20000001, enabled: false, CancellationToken.None);

        var whileOff = await rig.Blocker.FindBlockingRuleAsync(rig.Account, Scope, Attacker, CancellationToken.None);
        var blocklistWhileOff = rig.BlockList();
        var again = await rig.BlockAsync(Attacker);

        Assert.Null(whileOff);
        Assert.Empty(blocklistWhileOff);
        Assert.Equal(WafChange.Added, again.Change);
        Assert.Equal(blocked.RuleId, again.RuleId);
        Assert.Equal(blocked.RuleId, await rig.Blocker.FindBlockingRuleAsync(rig.Account, Scope, Attacker, CancellationToken.None));
        Assert.Equal([("203.0.113.45/32", "20000001")], rig.BlockList());
    }

    [Fact]
    public async Task Block_WorksTheSame_WhenSignatureV2IsConfigured()
    {
        await using var rig = await Rig.StartAsync(new Dictionary<string, string?> { ["Clouds:AlibabaWaf:SignatureVersion"] = "V2" });

        var blocked = await rig.BlockAsync(Attacker);
        var unblocked = await rig.UnblockAsync(Attacker, blocked.RuleId);

        Assert.Equal((WafChange.Added, "20000001"), (blocked.Change, blocked.RuleId));
        Assert.Equal((WafChange.Removed, "20000001"), (unblocked.Change, unblocked.RuleId));
        Assert.Equal("V2", rig.Services.GetRequiredService<IOptions<AlibabaWafOptions>>().Value.SignatureVersion);
    }

    [Fact]
    public async Task Block_RetriesWithAFreshNonce_WhenTheServiceThrottlesTheWriteAndFailsARead()
    {
        await using var rig = await Rig.StartAsync();
        await rig.Sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "throttle429", provider = "alibaba", api = "CreateDefenseRule", times = 2 });
        await rig.Sandbox.ControlAsync(HttpMethod.Post, "/_sandbox/faults", new { kind = "http500", provider = "alibaba", api = "DescribeDefenseRules", times = 1 });

        var result = await rig.BlockAsync(Attacker);

        Assert.Equal(WafChange.Added, result.Change);
        Assert.Single(rig.Rules());
        Assert.Equal(0, (await rig.Sandbox.ControlAsync(HttpMethod.Get, "/_sandbox/faults")).GetArrayLength());
    }

    [Fact]
    public async Task Block_ThrowsTheProvidersCode_WhenTheInstanceDoesNotExist()
    {
        await using var rig = await Rig.StartAsync();

        var error = await Assert.ThrowsAsync<CloudApiException>(() =>
            rig.Blocker.BlockAsync(rig.Account, new WafScope("waf_v3prepaid_public_cn-nope"), new WafBlockRequest(Attacker, Until, "task-1"), CancellationToken.None));

        Assert.Equal((404, "InvalidInstanceId.NotFound"), (error.HttpStatus, error.ErrorCode));
        Assert.DoesNotContain(SandboxAccounts.Alibaba.FullAccess.AccessKeySecret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_RefusesBeforeAnyCall_WhenTheAddressIsNotAnIpOrCidr()
    {
        await using var rig = await Rig.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => rig.BlockAsync("203.0.113.45; DROP"));

        Assert.Empty(rig.Templates());
    }

    [Fact]
    public async Task Traffic_FromTheBlockedAddressIsLoggedAsBlockedByTheRule_UntilItIsUnblocked()
    {
        await using var rig = await Rig.StartAsync();
        var connector = rig.Services.GetServices<ILogConnector>().Single(c => c.Provider == CloudProvider.AlibabaCloud);
        var source = new ConnectorSource(1, LogProduct.AlibabaWaf, LogBinding.AlibabaWafPayAsYouGo(SandboxAccounts.AliUid, SandboxAccounts.AlibabaRegion), rig.Account);
        var blocked = await rig.BlockAsync(Attacker);

        await rig.Sandbox.GenerateAsync("alibaba-waf", 30, "bruteforce");
        var during = await connector.PullAsync(source, new PullRequest(null, 1000, SandboxHarness.Start.AddMinutes(-1)), CancellationToken.None);
        await rig.UnblockAsync(Attacker, blocked.RuleId);
        rig.Sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        await rig.Sandbox.GenerateAsync("alibaba-waf", 30, "bruteforce");
        var after = await connector.PullAsync(source, new PullRequest(during.NextCheckpoint, 1000, SandboxHarness.Start.AddMinutes(-1)), CancellationToken.None);

        var fromAttackerDuring = Fields(during).Where(f => f["real_client_ip"] == Attacker).ToList();
        var fromAttackerAfter = Fields(after).Where(f => f["real_client_ip"] == Attacker).ToList();
        Assert.NotEmpty(fromAttackerDuring);
        Assert.All(fromAttackerDuring, f =>
        {
            Assert.Equal(("block", "acl", blocked.RuleId), (f["final_action"], f["final_plugin"], f["final_rule_id"]));
            Assert.Equal("405", f["status"]);
        });
        Assert.NotEmpty(fromAttackerAfter);
        Assert.All(fromAttackerAfter, f =>
        {
            Assert.False(f.ContainsKey("final_action"));
            Assert.False(f.ContainsKey("final_rule_id"));
        });
    }

    [Fact]
    public async Task Console_ListsTheTemplateAndTheRule_WithEveryValueHtmlEncoded()
    {
        await using var rig = await Rig.StartAsync();
        var blocked = await rig.BlockAsync(Attacker);
        await rig.Client().CreateDefenseRuleAsync(Instance, 50001, "ip_blacklist",
            "[{\"name\":\"<script>alert(1)</script>\",\"remoteAddr\":[\"198.51.100.1\"],\"action\":\"monitor\",\"status\":0,\"origin\":\"custom\"}]", CancellationToken.None);

        using var response = await rig.Sandbox.Http.GetAsync(new Uri("/_sandbox/waf", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains($"<h2>Alibaba Cloud WAF 3.0 instance {Instance}</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>50001</td><td>ctdr-blocking</td><td>ip_blacklist</td><td>user_default</td><td>on</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr data-rule-id=\"{blocked.RuleId}\"><td>{blocked.RuleId}</td><td>ctdr-blocklist-1</td><td>50001</td><td>ip_blacklist</td><td>block</td><td>on</td><td>203.0.113.45</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>50001</td><td>ip_blacklist</td><td>monitor</td><td>off</td><td>198.51.100.1</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    private static IEnumerable<Dictionary<string, string>> Fields(PullResult result) =>
        result.Records.Select(r => JsonSerializer.Deserialize<Dictionary<string, string>>(r.Json.Span)!);
}
