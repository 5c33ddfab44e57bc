using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Tests.Persistence;

/// <summary>Events, their keys and their alerts' memberships on real SQLite.</summary>
public sealed class EventPersistenceTests
{
    [Fact]
    public async Task Event_KeepsItsKeysAndMemberships_AndAnAlertIsInOneEventOnly()
    {
        await using var host = await TestHost.StartAsync();
        var now = host.Clock.GetUtcNow();
        long alertId, eventId;
        await using (var db = await host.DbAsync())
        {
            var rule = await db.DetectionRules.FirstAsync(r => r.Key == "alibaba-waf-sqli");
            var evidence = new EvidenceRef(1, 1, "u1", now);
            var alert = Alert.Raise(new AlertDraft("fp-1", rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, "5000000000000001", LogProduct.AlibabaWaf, 1, now, now, [evidence], [new AlertEntity(EntityKind.Ip, "203.0.113.7")], evidence, null), rule, now);
            db.Alerts.Add(alert);
            var ev = SecurityEvent.Open("SQL injection from 203.0.113.7", now, now);
            ev.Add(now, now, "AlibabaCloud", "5000000000000001", [new JoinKey(JoinKeyKind.Ip, "203.0.113.7")], now);
            db.SecurityEvents.Add(ev);
            await db.SaveChangesAsync();
            db.EventMemberships.Add(EventMembership.Correlated(alert.Id, ev.Id, new JoinReason(null, now, TimeSpan.FromMinutes(30), true), now));
            await db.SaveChangesAsync();
            (alertId, eventId) = (alert.Id, ev.Id);
        }

        await using (var db = await host.DbAsync())
        {
            var ev = await db.SecurityEvents.Include(e => e.Keys).SingleAsync(e => e.Id == eventId);
            var membership = await db.EventMemberships.SingleAsync(m => m.AlertId == alertId);
            var openByKey = await db.SecurityEvents.Where(e => e.Status == SecurityEventStatus.Unhandled && e.Keys.Any(k => k.Kind == JoinKeyKind.Ip && k.Value == "203.0.113.7")).Select(e => e.Id).ToListAsync();

            Assert.Equal(["Ip 203.0.113.7"], ev.Keys.Select(k => $"{k.Kind} {k.Value}"));
            Assert.Equal((eventId, true, TimeSpan.FromMinutes(30)), (membership.EventId, membership.OpenedEvent, membership.Window));
            Assert.Equal([eventId], openByKey);

            db.EventMemberships.Add(EventMembership.Correlated(alertId, eventId, new JoinReason(null, now, TimeSpan.FromMinutes(30), true), now));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }
}
