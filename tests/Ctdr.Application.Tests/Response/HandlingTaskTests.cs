using Ctdr.Application.Accounts;
using Ctdr.Application.Response;

namespace Ctdr.Application.Tests.Response;

public sealed class HandlingTaskTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static HandlingTask Block() => HandlingTask.Block(1, 0, CloudProvider.AlibabaCloud, 2, new WafScope("waf-1"), "203.0.113.7", Now.AddHours(24), Now);

    [Fact]
    public void Fail_RetriesUntilTheLastAttempt_ThenFailsForGood()
    {
        var task = Block();
        for (var attempt = 1; attempt < HandlingTask.MaxAttempts; attempt++)
        {
            task.Start(Now);
            task.Fail("Throttling.User", TimeSpan.FromSeconds(5), Now);
            Assert.Equal((HandlingTaskStatus.Pending, Now.AddSeconds(5)), (task.Status, task.NextAttemptAt!.Value));
        }

        task.Start(Now);
        task.Fail("Throttling.User", TimeSpan.FromSeconds(5), Now);

        Assert.Equal((HandlingTaskStatus.Failed, (DateTimeOffset?)null, 5), (task.Status, task.NextAttemptAt, task.Attempts));
        Assert.True(task.Retry(Now));
        Assert.Equal((HandlingTaskStatus.Pending, 0), (task.Status, task.Attempts));
    }

    [Fact]
    public void Revert_IsOnlyForABlockInForce_AndOnlyOnce()
    {
        var task = Block();
        Assert.False(task.RequestRevert("ana", Now));
        task.Start(Now);
        task.Succeed("20001", "Added", Now);

        Assert.True(task.IsEffective(Now));
        Assert.True(task.RequestRevert("ana", Now));
        Assert.False(task.RequestRevert("bo", Now));
        task.Removed(expired: false, "Removed", Now.AddMinutes(1));
        Assert.Equal((HandlingTaskStatus.Reverted, false), (task.Status, task.IsEffective(Now)));
    }

    [Fact]
    public void IsEffective_EndsAtTheBlocksEnd()
    {
        var task = Block();
        task.Start(Now);
        task.Succeed("20001", "Added", Now);

        Assert.True(task.IsEffective(Now.AddHours(24).AddTicks(-1)));
        Assert.False(task.IsEffective(Now.AddHours(24)));
    }
}
