using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Clouds.Huawei;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>The Huawei Cloud WAF blocker against the sandbox's WAF (real AK/SK signing, real wire format).</summary>
public sealed class HuaweiWafBlockerTests
{
    private const string Attacker = "203.0.113.7";
    private static readonly string PolicyId = SandboxWafs.Huawei.PolicyId;
    private static readonly string ProjectId = SandboxAccounts.Huawei.ProjectId;
    private static readonly WafScope Scope = new(PolicyId, "shop.example.com");
    private static readonly DateTimeOffset Until = WafRig.Start.AddHours(1);

    [Fact]
    public async Task Block_CreatesOneTimeLimitedRuleAndReadsItBack_WhenTheAddressIsNew()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.HuaweiCloud);

        var result = await blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);

        var rule = Assert.Single(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
        Assert.Equal(WafChange.Added, result.Change);
        Assert.Equal(rule.Id, result.RuleId);
        Assert.Equal($"Rule {rule.Id} (ctdr_203_0_113_7) on policy {PolicyId} blocks 203.0.113.7 until 2026-03-02 10:00:00 UTC.", result.Detail);
        Assert.Equal(
            ("ctdr_203_0_113_7", "203.0.113.7", 0, "Ctdr task-42: blocked until 2026-03-02 10:00 UTC", "customize", (long?)WafRig.Start.ToUnixTimeSeconds(), (long?)Until.ToUnixTimeSeconds()),
            (rule.Name, rule.Addr, rule.White, rule.Description, rule.TimeMode, rule.Start, rule.Terminal));
        Assert.Equal(rule.Id, await blocker.FindBlockingRuleAsync(rig.HuaweiAccount(), Scope, Attacker, CancellationToken.None));
    }

    [Fact]
    public async Task Block_ReturnsAlreadyPresentWithTheSameRule_WhenTheAddressIsBlockedAgain()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.HuaweiCloud);
        var first = await blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);

        var again = await blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until.AddHours(1), "task-43"), CancellationToken.None);

        Assert.Equal(WafChange.AlreadyPresent, again.Change);
        Assert.Equal(first.RuleId, again.RuleId);
        Assert.Equal($"Rule {first.RuleId} (ctdr_203_0_113_7) on policy {PolicyId} already blocks 203.0.113.7 until 2026-03-02 10:00:00 UTC.", again.Detail);
        Assert.Single(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
    }

    [Fact]
    public async Task Unblock_DeletesCtdrsRule_ThenReturnsAlreadyAbsent_WhenCalledAgain()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.HuaweiCloud);
        var blocked = await blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);

        var removed = await blocker.UnblockAsync(rig.HuaweiAccount(), Scope, Attacker, blocked.RuleId, CancellationToken.None);
        var again = await blocker.UnblockAsync(rig.HuaweiAccount(), Scope, Attacker, blocked.RuleId, CancellationToken.None);

        Assert.Equal(new WafBlockResult(WafChange.Removed, blocked.RuleId, $"Rule {blocked.RuleId} (ctdr_203_0_113_7) was deleted from policy {PolicyId}; 203.0.113.7 is no longer blocked by Ctdr."), removed);
        Assert.Equal(new WafBlockResult(WafChange.AlreadyAbsent, blocked.RuleId, $"Policy {PolicyId} has no Ctdr rule (ctdr_203_0_113_7) for 203.0.113.7."), again);
        Assert.Empty(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
        Assert.Null(await blocker.FindBlockingRuleAsync(rig.HuaweiAccount(), Scope, Attacker, CancellationToken.None));
    }

    [Fact]
    public async Task Block_LeavesOneRuleThatBothCallsReport_WhenTwoBlocksOfTheAddressRace()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.HuaweiCloud);

        var results = await Task.WhenAll(
            blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None),
            blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-43"), CancellationToken.None));

        var rule = Assert.Single(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
        Assert.All(results, r => Assert.Equal(rule.Id, r.RuleId));
        Assert.Contains(WafChange.Added, results.Select(r => r.Change));
        Assert.All(results, r => Assert.Contains(r.Change, new[] { WafChange.Added, WafChange.AlreadyPresent }));
    }

    [Fact]
    public async Task ListInstances_ReturnsEachPolicyWithTheDomainsBoundToIt()
    {
        await using var rig = await WafRig.StartAsync();

        var instances = await rig.Blocker(CloudProvider.HuaweiCloud).ListInstancesAsync(rig.HuaweiAccount(), CancellationToken.None);

        var instance = Assert.Single(instances);
        Assert.Equal((PolicyId, "cn-north-4", "cloud"), (instance.InstanceId, instance.Region, instance.Edition));
        Assert.Equal(["api.example.com", "shop.example.com", "www.example.com"], instance.Domains);
    }

    [Fact]
    public async Task GeneratedAttacks_AreLoggedAsBlockedByTheRule_UntilTheAddressIsUnblocked()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.HuaweiCloud);
        var blocked = await blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);
        await rig.GenerateAsync("huawei-waf-attack", 4, "sqli");
        rig.Clock.Advance(TimeSpan.FromMinutes(2));

        var whileBlocked = await rig.PullAsync(CloudProvider.HuaweiCloud, WafRig.Start.AddMinutes(-1));
        await blocker.UnblockAsync(rig.HuaweiAccount(), Scope, Attacker, blocked.RuleId, CancellationToken.None);
        await rig.GenerateAsync("huawei-waf-attack", 4, "sqli");
        rig.Clock.Advance(TimeSpan.FromMinutes(2));
        var afterUnblock = await rig.PullAsync(CloudProvider.HuaweiCloud, WafRig.Start.AddMinutes(1.5));

        Assert.Equal(4, whileBlocked.Count);
        Assert.All(whileBlocked, log => Assert.Equal((Attacker, blocked.RuleId, "custom_whiteip", OcsfDisposition.Blocked), (log.SrcIp, log.FirewallRuleUid, log.FirewallRuleType, log.DispositionId)));
        Assert.Equal(4, afterUnblock.Count);
        Assert.All(afterUnblock, log => Assert.Equal((Attacker, "040009", "sqli"), (log.SrcIp, log.FirewallRuleUid, log.FirewallRuleType)));
    }

    [Fact]
    public async Task FindBlockingRule_ReturnsNullAndTrafficPasses_WhenTheRuleHasExpired()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.HuaweiCloud);
        await blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, WafRig.Start.AddMinutes(10), "task-42"), CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromMinutes(11));

        var found = await blocker.FindBlockingRuleAsync(rig.HuaweiAccount(), Scope, Attacker, CancellationToken.None);
        await rig.GenerateAsync("huawei-waf-attack", 2, "sqli");
        rig.Clock.Advance(TimeSpan.FromMinutes(2));
        var logs = await rig.PullAsync(CloudProvider.HuaweiCloud, WafRig.Start.AddMinutes(10));

        Assert.Null(found);
        Assert.Equal(["sqli", "sqli"], logs.Select(l => l.FirewallRuleType));
    }

    [Fact]
    public async Task Block_CreatesAPermanentRule_WhenTheEndIsBeyondThe32BitSecondsOfTheApi()
    {
        await using var rig = await WafRig.StartAsync();

        var result = await rig.Blocker(CloudProvider.HuaweiCloud).BlockAsync(rig.HuaweiAccount(), Scope,
            new WafBlockRequest("198.51.100.0/24", new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero), "task-7"), CancellationToken.None);

        var rule = Assert.Single(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
        Assert.Equal(("ctdr_198_51_100_0_24", "198.51.100.0/24", "permanent", (long?)null), (rule.Name, rule.Addr, rule.TimeMode, rule.Terminal));
        Assert.Equal($"Rule {rule.Id} (ctdr_198_51_100_0_24) on policy {PolicyId} blocks 198.51.100.0/24 permanently.", result.Detail);
    }

    [Fact]
    public async Task Block_ReturnsAlreadyPresentAndUnblockLeavesIt_WhenAnotherRuleBlocksTheAddress()
    {
        await using var rig = await WafRig.StartAsync();
        var blocker = rig.Blocker(CloudProvider.HuaweiCloud);
        var foreign = rig.Cloud.State.HuaweiWafs[ProjectId].Create(PolicyId, "soc_manual_block", Attacker, 0, "by hand", "permanent", null, null, WafRig.Start);

        var blocked = await blocker.BlockAsync(rig.HuaweiAccount(), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None);
        var unblocked = await blocker.UnblockAsync(rig.HuaweiAccount(), Scope, Attacker, null, CancellationToken.None);

        Assert.Equal(new WafBlockResult(WafChange.AlreadyPresent, foreign.Id, $"Rule {foreign.Id} (soc_manual_block), not created by Ctdr, already blocks 203.0.113.7 on policy {PolicyId}; Ctdr leaves it as it is."), blocked);
        Assert.Equal(WafChange.AlreadyAbsent, unblocked.Change);
        Assert.Equal([foreign.Id], rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId).Select(r => r.Id));
    }

    [Fact]
    public async Task Block_ThrowsTheServiceError_WhenThePolicyDoesNotExist()
    {
        await using var rig = await WafRig.StartAsync();

        var error = await Assert.ThrowsAsync<CloudApiException>(() => rig.Blocker(CloudProvider.HuaweiCloud).BlockAsync(
            rig.HuaweiAccount(), new WafScope("0000aaaa0000bbbb0000cccc0000dddd"), new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None));

        Assert.Equal((CloudProvider.HuaweiCloud, 404, "WAF.00021001", "The policy 0000aaaa0000bbbb0000cccc0000dddd does not exist"),
            (error.Provider, error.HttpStatus, error.ErrorCode, error.ProviderMessage));
    }

    [Fact]
    public async Task Block_ThrowsTheGatewayError_WhenTheSecretKeyIsWrong()
    {
        await using var rig = await WafRig.StartAsync();

        var error = await Assert.ThrowsAsync<CloudApiException>(() => rig.Blocker(CloudProvider.HuaweiCloud).BlockAsync(
            rig.HuaweiAccount(secret: "NotTheSecretKey"), Scope, new WafBlockRequest(Attacker, Until, "task-42"), CancellationToken.None));

        Assert.Equal((401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail"), (error.HttpStatus, error.ErrorCode, error.ProviderMessage));
        Assert.DoesNotContain("NotTheSecretKey", error.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("0.0.0.0/0")]
    public async Task Block_RefusesTheAddress_WhenItIsNotABlockableIpOrCidr(string address)
    {
        await using var rig = await WafRig.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => rig.Blocker(CloudProvider.HuaweiCloud).BlockAsync(
            rig.HuaweiAccount(), Scope, new WafBlockRequest(address, Until, "task-42"), CancellationToken.None));

        Assert.Empty(rig.Cloud.State.HuaweiWafs[ProjectId].Rules(PolicyId));
    }

    [Theory]
    [InlineData("203.0.113.7", "ctdr_203_0_113_7")]
    [InlineData("198.51.100.0/24", "ctdr_198_51_100_0_24")]
    [InlineData("2001:db8::1", "ctdr_2001_db8__1")]
    public void RuleName_ReplacesTheAddressSeparators_WhenGivenAnIpOrCidr(string address, string name)
    {
        Assert.Equal(name, HuaweiWafBlocker.RuleName(address));
    }
}
