using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Live;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Alerts;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Components;

/// <summary>The Alerts page over alerts stored in the real database: new alerts appear live, entity values are text.</summary>
public sealed class AlertsPageTests : CtdrComponentContext
{
    private async Task<long> RaiseAsync(string fingerprint, string ip, long count)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var rule = await db.DetectionRules.SingleAsync(r => r.Key == "alibaba-waf-sqli");
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var evidence = new EvidenceRef(1, 1, "uid-" + fingerprint, now);
        var draft = new AlertDraft(fingerprint, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, "5000000000000001", LogProduct.AlibabaWaf, count, now, now, [evidence], [new AlertEntity(EntityKind.Ip, ip)], evidence, null);
        var alert = Alert.Raise(draft, rule, now);
        db.Alerts.Add(alert);
        await db.SaveChangesAsync();
        return alert.Id;
    }

    [Fact]
    public async Task NewAlert_AppearsWithoutReload_WhenTheLiveFeedAnnouncesIt()
    {
        await RaiseAsync("f1", "203.0.113.7", 40);
        var page = Render<AlertsPage>();
        page.WaitForAssertion(() => Assert.Equal(["203.0.113.7"], page.FindAll("[data-testid=alert-ip]").Select(e => e.TextContent)), HangGuard.Timeout);

        var id = await RaiseAsync("f2", "198.51.100.77", 3);
        await Services.GetRequiredService<ILiveFeed>().PublishAsync(new LiveMessage(LiveKinds.Alert, "Alert: SQL injection", Permission.ViewConsole, DateTimeOffset.UtcNow, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=alert-ip]").Count), HangGuard.Timeout);
        Assert.Equal(["3", "40"], page.FindAll("[data-testid=alert-count]").Select(e => e.TextContent).Order());
    }

    [Fact]
    public async Task EntityValues_RenderAsText_WhenTheyCarryMarkup()
    {
        await RaiseAsync("f3", "<img src=x onerror=alert(1)>", 1);

        var page = Render<AlertsPage>();

        page.WaitForAssertion(() => Assert.Equal(["<img src=x onerror=alert(1)>"], page.FindAll("[data-testid=alert-ip]").Select(e => e.TextContent)), HangGuard.Timeout);
        Assert.Empty(page.FindAll("[data-testid=alert-grid] img"));
    }
}
