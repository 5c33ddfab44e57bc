using Ctdr.Application.Events;

namespace Ctdr.Application.Tests.Events;

public sealed class SecurityEventTransitionsTests
{
    public static TheoryData<SecurityEventStatus, SecurityEventStatus, string?> AllowedChanges() => new()
    {
        { SecurityEventStatus.Unhandled, SecurityEventStatus.Handling, null },
        { SecurityEventStatus.Handling, SecurityEventStatus.Handled, null },
        { SecurityEventStatus.Handling, SecurityEventStatus.HandlingFailed, null },
        { SecurityEventStatus.HandlingFailed, SecurityEventStatus.Handling, null },
        { SecurityEventStatus.Unhandled, SecurityEventStatus.Ignored, "known scanner" },
        { SecurityEventStatus.Handled, SecurityEventStatus.FalsePositive, "our own pen test" },
        { SecurityEventStatus.Ignored, SecurityEventStatus.Unhandled, "it came back" },
    };

    [Theory]
    [MemberData(nameof(AllowedChanges))]
    public void Check_Accepts_WhenTheStateMachineAllowsTheChange(SecurityEventStatus from, SecurityEventStatus to, string? reason) =>
        Assert.True(SecurityEventTransitions.Check(from, to, reason).Succeeded);

    [Fact]
    public void Check_NamesTheAllowedStatuses_WhenTheChangeIsRefused()
    {
        var result = SecurityEventTransitions.Check(SecurityEventStatus.Unhandled, SecurityEventStatus.Handled, null);

        Assert.Equal(["An event that is unhandled cannot become handled; it can become being handled, ignored, a false positive."], result.AllMessages());
    }

    [Theory]
    [InlineData(SecurityEventStatus.Handling, SecurityEventStatus.FalsePositive)]
    [InlineData(SecurityEventStatus.Unhandled, SecurityEventStatus.Ignored)]
    [InlineData(SecurityEventStatus.FalsePositive, SecurityEventStatus.Unhandled)]
    public void Check_AsksForAReason_WhenDismissingOrReopening(SecurityEventStatus from, SecurityEventStatus to)
    {
        var result = SecurityEventTransitions.Check(from, to, "  ");

        Assert.Equal($"Say why the event becomes {SecurityEventTransitions.Describe(to)}.", Assert.Single(result.AllMessages()));
    }

    [Fact]
    public void Check_Refuses_WhenTheStatusDoesNotChange() =>
        Assert.Equal(["The event is already being handled."], SecurityEventTransitions.Check(SecurityEventStatus.Handling, SecurityEventStatus.Handling, null).AllMessages());

    [Theory]
    [InlineData(SecurityEventStatus.Unhandled, true)]
    [InlineData(SecurityEventStatus.Handling, true)]
    [InlineData(SecurityEventStatus.Handled, false)]
    [InlineData(SecurityEventStatus.HandlingFailed, false)]
    [InlineData(SecurityEventStatus.Ignored, false)]
    [InlineData(SecurityEventStatus.FalsePositive, false)]
    public void IsOpen_IsTrueOnlyForUnhandledAndHandling(SecurityEventStatus status, bool open) =>
        Assert.Equal(open, SecurityEventTransitions.IsOpen(status));
}
