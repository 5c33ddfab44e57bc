using Ctdr.Application.Detection;
using Ctdr.Application.Events;

namespace Ctdr.Application.Tests.Events;

public sealed class SecurityEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_WidensTimesCountsProvidersAccountsAndKeys_WhenAlertsJoin()
    {
        var ev = SecurityEvent.Open("SQL injection from 203.0.113.7", T0, T0);

        ev.Add(T0, T0.AddMinutes(2), "AlibabaCloud", "5000000000000001", [new JoinKey(JoinKeyKind.Ip, "203.0.113.7")], T0);
        ev.Add(T0.AddMinutes(-1), T0.AddMinutes(1), "AlibabaCloud", "5000000000000001", [new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), new JoinKey(JoinKeyKind.AccountUser, "5000000000000001/ops-admin")], T0);
        ev.Add(T0.AddMinutes(3), T0.AddMinutes(4), "HuaweiCloud", null, [], T0);

        Assert.Equal((T0.AddMinutes(-1), T0.AddMinutes(4), 3), (ev.FirstSeen, ev.LastSeen, ev.AlertCount));
        Assert.Equal(("AlibabaCloud,HuaweiCloud", "5000000000000001"), (ev.Providers, ev.Accounts));
        Assert.Equal(["Ip 203.0.113.7", "AccountUser 5000000000000001/ops-admin"], ev.Keys.Select(k => $"{k.Kind} {k.Value}"));
        Assert.True(ev.IsOpen);
    }

    [Fact]
    public void ChangeStatus_FollowsTheStateMachine_AndClosesTheEventToNewAlerts()
    {
        var ev = SecurityEvent.Open("Event", T0, T0);

        var skipped = ev.ChangeStatus(SecurityEventStatus.Handled, null, "ana", T0);
        var handling = ev.ChangeStatus(SecurityEventStatus.Handling, null, "ana", T0.AddMinutes(1));
        var openWhileHandling = ev.IsOpen;
        var falsePositive = ev.ChangeStatus(SecurityEventStatus.FalsePositive, "our own scanner", "ana", T0.AddMinutes(2));

        Assert.False(skipped.Succeeded);
        Assert.True(handling.Succeeded);
        Assert.True(openWhileHandling);
        Assert.True(falsePositive.Succeeded);
        Assert.Equal((SecurityEventStatus.FalsePositive, "our own scanner", "ana", T0.AddMinutes(2)), (ev.Status, ev.StatusReason, ev.StatusBy, ev.StatusAt));
        Assert.False(ev.IsOpen);
    }

    [Fact]
    public void Assess_ClampsTheScore()
    {
        var ev = SecurityEvent.Open("Event", T0, T0);

        ev.Assess("Web attack chain", ThreatLevel.Serious, 130, T0);

        Assert.Equal(("Web attack chain", ThreatLevel.Serious, 100), (ev.Title, ev.ThreatLevel, ev.ThreatScore));
    }

    [Fact]
    public void Explain_SaysWhyTheAlertIsInItsEvent()
    {
        var joined = EventMembership.Correlated(7, 3, new JoinReason(new JoinKey(JoinKeyKind.Ip, "203.0.113.7"), T0, TimeSpan.FromMinutes(30), false), T0);
        var opened = EventMembership.Correlated(8, 4, new JoinReason(null, T0, TimeSpan.FromMinutes(30), true), T0);
        var moved = EventMembership.Correlated(9, 4, new JoinReason(new JoinKey(JoinKeyKind.AccountUser, "1/ops-admin"), T0, TimeSpan.FromSeconds(90), false), T0);
        moved.MoveTo(3, MembershipOrigin.Merged, "ana@example.com", T0);

        Assert.Equal("shares the IP 203.0.113.7 with the event, within 30 min of its last activity", joined.Explain());
        Assert.Equal("opened the event (no open event shared an entity with it within the window)", opened.Explain());
        Assert.Equal("came with event #4, merged into this one by ana@example.com", moved.Explain());
        Assert.Equal((3L, 4L), (moved.EventId, moved.PreviousEventId));
    }
}
