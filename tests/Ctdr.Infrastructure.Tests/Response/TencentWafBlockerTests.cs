using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>The Tencent Cloud WAF blocker against the sandbox's WAF (real TC3 signing, real API 3.0 wire format).</summary>
public sealed class TencentWafBlockerTests
{
    private const string Attacker = "203.0.113.7";
    private const string Domain = "shop.example.com";
    private static readonly string InstanceId = SandboxWafs.Tencent.InstanceId;
    private static readonly string AppId = SandboxAccounts.Tencent.AppId;
    private static readonly WafScope Scope = new(InstanceId, Domain);
    private static readonly DateTimeOffset Until = WafRig.Start.AddHours(1);

    [Fact]
    public async Task Block_AddsOneTimedBlocklistEntryAndReadsItBack_WhenTheAddressIsNew()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);

        var result = await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);

        var entry = Assert.Single(rig.Cloud.State.TencentWafs[AppId].Describe(Domain));
        Assert.Equal(new WafBlockResult(WafChange.Added, "55000001", $"Rule 55000001 blocks 203.0.113.7 on {Domain} ({InstanceId}) until 2026-03-02 10:00:00 UTC."), result);
        Assert.Equal(
            (55000001UL, 42, Attacker, "ctdr task-42 until 2026-03-02 10:00 UTC", "custom", "TimedJob", (long?)WafRig.Start.ToUnixTimeSeconds(), Until.ToUnixTimeSeconds()),
            (entry.RuleId, entry.ActionType, entry.Ip, entry.Note, entry.Source, entry.JobType, entry.StartTs, entry.ValidTs));
        Assert.Equal("55000001", await blocker.FindBlockingRuleAsync(rig.TencentAccount(), Scope, Attacker, CancellationToken.None));
    }

    [Fact]
    public async Task Block_ReturnsAlreadyPresentWithTheSameRule_WhenTheAddressIsBlockedAgain()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);
        var first = await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);

        var again = await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until.AddHours(1), "task-43"), CancellationToken.None);

        Assert.Equal(new WafBlockResult(WafChange.AlreadyPresent, first.RuleId, $"Rule {first.RuleId} already blocks 203.0.113.7 on {Domain} ({InstanceId}) until 2026-03-02 10:00:00 UTC."), again);
        Assert.Single(rig.Cloud.State.TencentWafs[AppId].Describe(Domain));
    }

    [Fact]
    public async Task Unblock_DeletesCtdrsEntry_ThenReturnsAlreadyAbsent_WhenCalledAgain()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);
        var blocked = await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);

        var removed = await blocker.UnblockAsync(rig.TencentAccount(), Scope, Attacker, blocked.RuleId, CancellationToken.None);
        var again = await blocker.UnblockAsync(rig.TencentAccount(), Scope, Attacker, blocked.RuleId, CancellationToken.None);

        Assert.Equal(new WafBlockResult(WafChange.Removed, blocked.RuleId, $"Rule {blocked.RuleId} was deleted from the blocklist of {Domain}; 203.0.113.7 is no longer blocked by Ctdr."), removed);
        Assert.Equal(new WafBlockResult(WafChange.AlreadyAbsent, blocked.RuleId, $"The blocklist of {Domain} has no Ctdr entry for 203.0.113.7."), again);
        Assert.Empty(rig.Cloud.State.TencentWafs[AppId].Describe(Domain));
        Assert.Null(await blocker.FindBlockingRuleAsync(rig.TencentAccount(), Scope, Attacker, CancellationToken.None));
    }

    [Fact]
    public async Task Block_OnOneDomain_LeavesTheOtherDomainsOfTheInstanceUntouched()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);

        await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);

        Assert.Null(await blocker.FindBlockingRuleAsync(rig.TencentAccount(), Scope with { Domain = "api.example.com" }, Attacker, CancellationToken.None));
        Assert.Empty(rig.Cloud.State.TencentWafs[AppId].Describe("api.example.com"));
    }

    [Fact]
    public async Task Block_LeavesOneRuleThatBothCallsReport_WhenTwoBlocksOfTheAddressRace()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);

        var results = await Task.WhenAll(
            blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None),
            blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-43"), CancellationToken.None));

        var rule = Assert.Single(rig.Cloud.State.TencentWafs[AppId].Describe(Domain));
        Assert.All(results, r => Assert.Equal(rule.RuleId.ToString(System.Globalization.CultureInfo.InvariantCulture), r.RuleId));
        Assert.Contains(WafChange.Added, results.Select(r => r.Change));
        Assert.All(results, r => Assert.Contains(r.Change, new[] { WafChange.Added, WafChange.AlreadyPresent }));
    }

    [Fact]
    public async Task ListInstances_ReturnsTheInstanceWithItsDomains()
    {
        await using var rig = await WafRig.StartAsync();

        var instances = await rig.Blocker(CloudProvider.TencentCloud).ListInstancesAsync(rig.TencentAccount(), CancellationToken.None);

        var instance = Assert.Single(instances);
        Assert.Equal((InstanceId, "gz", "sparta-waf"), (instance.InstanceId, instance.Region, instance.Edition));
        Assert.Equal(["api.example.com", "shop.example.com", "www.example.com"], instance.Domains);
    }

    [Fact]
    public async Task GeneratedTraffic_IsLoggedAsInterceptedByTheRule_UntilTheAddressIsUnblocked()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);
        var blocked = await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);
        await rig.GenerateAsync("tencent-waf", 4, "sqli");
        rig.Clock.Advance(TimeSpan.FromMinutes(2));

        var whileBlocked = await rig.PullAsync(CloudProvider.TencentCloud, WafRig.Start.AddMinutes(-1));
        await blocker.UnblockAsync(rig.TencentAccount(), Scope, Attacker, blocked.RuleId, CancellationToken.None);
        await rig.GenerateAsync("tencent-waf", 4, "sqli");
        rig.Clock.Advance(TimeSpan.FromMinutes(2));
        var afterUnblock = await rig.PullAsync(CloudProvider.TencentCloud, WafRig.Start.AddMinutes(1.5));

        Assert.Equal(4, whileBlocked.Count);
        Assert.All(whileBlocked, log => Assert.Equal((Attacker, blocked.RuleId, "ip_blacklist", OcsfDisposition.Blocked), (log.SrcIp, log.FirewallRuleUid, log.FirewallRuleType, log.DispositionId)));
        Assert.Equal(4, afterUnblock.Count);
        Assert.All(afterUnblock, log => Assert.Equal((Attacker, "100000001", "sqli"), (log.SrcIp, log.FirewallRuleUid, log.FirewallRuleType)));
    }

    [Fact]
    public async Task Block_ReplacesCtdrsExpiredEntry_WhenTheAddressIsBlockedAfterTheEnd()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);
        await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, WafRig.Start.AddMinutes(10), "task-42"), CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromMinutes(11));

        var expired = await blocker.FindBlockingRuleAsync(rig.TencentAccount(), Scope, Attacker, CancellationToken.None);
        var again = await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-43"), CancellationToken.None);

        Assert.Null(expired);
        Assert.Equal((WafChange.Added, "55000002"), (again.Change, again.RuleId));
        Assert.Equal(["ctdr task-43 until 2026-03-02 10:00 UTC"], rig.Cloud.State.TencentWafs[AppId].Describe(Domain).Select(e => e.Note));
    }

    [Fact]
    public async Task Block_ReturnsAlreadyPresentAndUnblockLeavesIt_WhenAnotherEntryBlocksTheAddress()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.TencentCloud);
        rig.Cloud.State.TencentWafs[AppId].Create(InstanceId, Domain, [Attacker], 42, "sparta-waf", "custom", "blocked by the SOC", "TimedJob", null, null, WafRig.Start);

        var blocked = await blocker.BlockAsync(rig.TencentAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);
        var unblocked = await blocker.UnblockAsync(rig.TencentAccount(), Scope, Attacker, null, CancellationToken.None);

        Assert.Equal(new WafBlockResult(WafChange.AlreadyPresent, "55000001", "Rule 55000001 (note 'blocked by the SOC'), not created by Ctdr, already blocks 203.0.113.7 on shop.example.com; Ctdr leaves it as it is."), blocked);
        Assert.Equal(new WafBlockResult(WafChange.AlreadyAbsent, string.Empty, "The blocklist of shop.example.com has no Ctdr entry for 203.0.113.7."), unblocked);
        Assert.Single(rig.Cloud.State.TencentWafs[AppId].Describe(Domain));
    }

    [Fact]
    public async Task Block_RefusesTheScope_WhenItHasNoDomain()
    {
        await using var rig = await WafRig.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => rig.Blocker(CloudProvider.TencentCloud).BlockAsync(
            rig.TencentAccount(), new WafScope(InstanceId), new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None));
    }

    [Theory]
    [InlineData("waf_sandbox00000001", "shop.example.org", "WAF instance waf_sandbox00000001 does not protect shop.example.org.")]
    [InlineData("waf_other0000000001", "shop.example.com", "WAF instance waf_other0000000001 does not protect shop.example.com.")]
    public async Task Block_ThrowsDomainNotFound_WhenTheInstanceDoesNotProtectTheDomain(string instanceId, string domain, string message)
    {
        await using var rig = await WafRig.StartAsync();

        var error = await Assert.ThrowsAsync<CloudApiException>(() => rig.Blocker(CloudProvider.TencentCloud).BlockAsync(
            rig.TencentAccount(), new WafScope(instanceId, domain), new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None));

        Assert.Equal(("DomainNotFound", message), (error.ErrorCode, error.ProviderMessage));
    }

    [Fact]
    public async Task Block_ThrowsTheSignatureError_WhenTheSecretKeyIsWrong()
    {
        await using var rig = await WafRig.StartAsync();

        var error = await Assert.ThrowsAsync<CloudApiException>(() => rig.Blocker(CloudProvider.TencentCloud).BlockAsync(
            rig.TencentAccount(secret: "NotTheSecretKey"), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None));

        Assert.Equal((200, "AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct."),
            (error.HttpStatus, error.ErrorCode, error.ProviderMessage));
        Assert.DoesNotContain("NotTheSecretKey", error.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Cloud.State.TencentWafs[AppId].Describe(Domain));
    }
}
