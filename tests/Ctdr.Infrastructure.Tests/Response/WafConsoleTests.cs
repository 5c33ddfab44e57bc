using Ctdr.Application.Accounts;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>The sandbox's WAF console lists the Huawei and Tencent rules Ctdr placed, with every value as text.</summary>
public sealed class WafConsoleTests
{
    [Fact]
    public async Task Console_ListsTheHuaweiAndTencentBlocks_WhileTheyAreInPlace()
    {
        await using var rig = await WafRig.StartAsync();
        var until = WafRig.Start.AddHours(1);
        var huawei = await rig.Blocker(CloudProvider.HuaweiCloud).BlockAsync(rig.HuaweiAccount(), new WafScope(SandboxWafs.Huawei.PolicyId, "shop.example.com"), new WafBlockRequest("203.0.113.7", until, "<b>task-1</b>"), CancellationToken.None);
        var tencentScope = new WafScope(SandboxWafs.Tencent.InstanceId, SandboxWafs.Tencent.Domains[0].Name);
        var tencent = await rig.Blocker(CloudProvider.TencentCloud).BlockAsync(rig.TencentAccount(), tencentScope, new WafBlockRequest("198.51.100.9", until, "task-2"), CancellationToken.None);

        var page = await rig.Control.GetStringAsync(new Uri("/_sandbox/waf", UriKind.Relative));
        await rig.Blocker(CloudProvider.TencentCloud).UnblockAsync(rig.TencentAccount(), tencentScope, "198.51.100.9", tencent.RuleId, CancellationToken.None);
        var after = await rig.Control.GetStringAsync(new Uri("/_sandbox/waf", UriKind.Relative));

        Assert.Contains($"<h2>Huawei Cloud WAF policy {SandboxWafs.Huawei.PolicyId}</h2>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr data-rule-id=\"{huawei.RuleId}\"><td>{huawei.RuleId}</td><td>ctdr_203_0_113_7</td><td>203.0.113.7</td><td>block</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>task-1</b>", page, StringComparison.Ordinal);
        Assert.Contains($"<h2>Tencent Cloud WAF instance {SandboxWafs.Tencent.InstanceId}</h2>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr data-rule-id=\"{tencent.RuleId}\"><td>{tencent.RuleId}</td><td>198.51.100.9</td><td>block</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-rule-id=\"{tencent.RuleId}\"", after, StringComparison.Ordinal);
    }
}
