using Bunit;
using Ctdr.Application.Accounts;
using Ctdr.Application.Response;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Response;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Components;

/// <summary>The Disposal Center over policies and tasks stored in the real database: in force or not, unblock, values as text.</summary>
public sealed class DisposalCenterPageTests : CtdrComponentContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    public DisposalCenterPageTests()
    {
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
    }

    /// <summary>A policy blocking <paramref name="address"/> whose block succeeded on one instance.</summary>
    private async Task<(long PolicyId, long TaskId)> BlockedAsync(string address, string by)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        var playbook = await db.Playbooks.SingleAsync(p => p.Key == BuiltInPlaybooks.BlockIp);
        var policy = HandlingPolicy.Open(null, address, playbook, PolicyOrigin.Manual, null, by, Now, Now.AddHours(24), "Alibaba Cloud Sandbox waf-1", Now);
        db.HandlingPolicies.Add(policy);
        await db.SaveChangesAsync();
        var task = HandlingTask.Block(policy.Id, 0, CloudProvider.AlibabaCloud, 1, new WafScope("waf-1"), address, Now.AddHours(24), Now);
        task.Start(Now);
        task.Succeed("20001", "Added: in rule 20001", Now);
        db.HandlingTasks.Add(task);
        await db.SaveChangesAsync();
        return (policy.Id, task.Id);
    }

    [Fact]
    public async Task Policies_ShowWhatIsInForce_AndUnblockRequestsTheRemoval()
    {
        var (policyId, taskId) = await BlockedAsync("203.0.113.66", "<b>ana</b>");
        var page = Render<DisposalCenterPage>();
        page.WaitForAssertion(() => Assert.Equal(["203.0.113.66"], page.FindAll("[data-testid=policy-target]").Select(e => e.TextContent)), HangGuard.Timeout);
        Assert.Equal(["in force"], page.FindAll("[data-testid=policy-effective]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["<b>ana</b>"], page.FindAll("[data-testid=policy-by]").Select(e => e.TextContent));
        Assert.Empty(page.FindAll("[data-testid=policy-grid] b"));

        await page.Find($"[data-testid=policy-unblock-{policyId}]").ClickAsync(new MouseEventArgs());

        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        var task = await db.HandlingTasks.SingleAsync(t => t.Id == taskId);
        Assert.Equal((Now, CtdrComponentContext.AdminEmail), (task.RevertRequestedAt!.Value, task.RevertRequestedBy!));
        page.WaitForAssertion(() => Assert.Equal(["not in force"], page.FindAll("[data-testid=policy-effective]").Select(e => e.TextContent.Trim())), HangGuard.Timeout);
    }

    [Fact]
    public async Task Viewer_SeesThePolicies_WithoutTheUnblockButton()
    {
        var (policyId, _) = await BlockedAsync("203.0.113.66", "ana@example.com");
        await SignInAsAsync(Ctdr.Application.Access.Roles.Viewer);

        var page = Render<DisposalCenterPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=policy-target]")), HangGuard.Timeout);
        Assert.Empty(page.FindAll($"[data-testid=policy-unblock-{policyId}]"));
    }
}
