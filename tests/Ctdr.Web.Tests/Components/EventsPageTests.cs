using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Events;
using Ctdr.Application.Live;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Events;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Components;

/// <summary>The Security Event Handling page over events stored in the real database: new events appear live; titles are text.</summary>
public sealed class EventsPageTests : CtdrComponentContext
{
    private async Task<long> OpenAsync(string title)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var ev = SecurityEvent.Open(title, now, now);
        ev.Add(now, now, "AlibabaCloud", "5000000000000001", [new JoinKey(JoinKeyKind.Ip, "203.0.113.66")], now);
        db.SecurityEvents.Add(ev);
        await db.SaveChangesAsync();
        return ev.Id;
    }

    [Fact]
    public async Task NewEvent_AppearsWithoutReload_WhenTheLiveFeedAnnouncesIt()
    {
        await OpenAsync("First <b>event</b>");
        var page = Render<EventsPage>();
        page.WaitForAssertion(() => Assert.Equal(["First <b>event</b>"], page.FindAll("[data-testid=event-title]").Select(e => e.TextContent)), HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=event-grid] b"));

        var id = await OpenAsync("Second event");
        await Services.GetRequiredService<ILiveFeed>().PublishAsync(new LiveMessage(LiveKinds.Event, "New security event", Permission.ViewConsole, DateTimeOffset.UtcNow, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=event-title]").Count), HangGuard.Timeout);
    }
}
