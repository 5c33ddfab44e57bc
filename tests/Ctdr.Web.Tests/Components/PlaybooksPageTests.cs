using Bunit;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Response;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Components;

/// <summary>The playbooks page over the real use cases and database: the list, the editor's step messages, and a dry run's lines as text.</summary>
public sealed class PlaybooksPageTests : CtdrComponentContext
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    public PlaybooksPageTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
    }

    private PlaybookAdministration Playbooks => Services.GetRequiredService<PlaybookAdministration>();

    private async Task<long> AttackAsync(string ip)
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync())
        {
            var time = _clock.GetUtcNow();
            var rule = await db.DetectionRules.SingleAsync(r => r.Key == "alibaba-waf-sqli");
            var evidence = new EvidenceRef(1, 1, "uid-" + ip, time);
            db.Alerts.Add(Alert.Raise(new AlertDraft("f-" + ip, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, "5000000000000001", LogProduct.AlibabaWaf, 1, time, time, [evidence], [new AlertEntity(EntityKind.Ip, ip)], evidence, null), rule, time));
            await db.SaveChangesAsync();
        }

        await Services.GetRequiredService<EventCorrelation>().RunOnceAsync(CancellationToken.None);
        await using var check = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        return await check.SecurityEvents.OrderByDescending(e => e.Id).Select(e => e.Id).FirstAsync();
    }

    [Fact]
    public async Task List_ShowsBuiltInAndCustomPlaybooks_WithVersionAndSteps()
    {
        var (_, id) = await Playbooks.CreateAsync(new PlaybookForm("Contain", null, 6,
        [
            new PlaybookStep(PlaybookAction.WafBlockIp, new Dictionary<string, string>()),
            new PlaybookStep(PlaybookAction.ChangeEventStatus, new Dictionary<string, string> { ["status"] = "Handling" }, new StepCondition("threat_level", "=", "Serious")),
        ]));
        await Playbooks.ReviseAsync(id!.Value, new PlaybookForm("Contain", null, 6, [new PlaybookStep(PlaybookAction.WafBlockIp, new Dictionary<string, string>())]));

        var page = Render<PlaybooksPage>();

        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("[data-testid=playbook-row]").Count), HangGuard.Timeout);
        var rows = page.FindAll("[data-testid=playbook-row]").Select(r => (
            r.QuerySelector("[data-testid=playbook-row-name]")!.TextContent,
            r.QuerySelector("[data-testid=playbook-row-kind]")!.TextContent,
            r.QuerySelector("[data-testid=playbook-row-version]")!.TextContent,
            r.QuerySelector("[data-testid=playbook-row-steps]")!.TextContent));
        Assert.Equal(
            [
                ("Block the attacker IP on the WAF", "built-in", "1", "block the IP"),
                ("Mark the event as being handled", "built-in", "1", "set the status to Handling"),
                ("Notify the webhook", "built-in", "1", "notify the webhook"),
                ("Raise the threat level to serious", "built-in", "1", "set the threat level to Serious"),
                ("Unblock an IP on the WAF", "built-in", "1", "unblock the IP"),
                ("Contain", "custom", "2", "block the IP"),
            ],
            rows);
        Assert.Single(page.FindAll($"[data-testid=playbook-edit-{id}]"));
    }

    [Fact]
    public async Task Save_ShowsTheStepMessage_WhenAStatusIsUnknown()
    {
        var page = Render<PlaybooksPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=playbook-row]").Count), HangGuard.Timeout);

        await page.Find("[data-testid=playbook-new]").ClickAsync(new MouseEventArgs());
        await page.Find("[data-testid=playbook-name]").InputAsync(new ChangeEventArgs { Value = "Contain" });
        await page.Find("[data-testid=playbook-add-ChangeEventStatus]").ClickAsync(new MouseEventArgs());
        await page.Find("[data-testid=playbook-step-status-1]").InputAsync(new ChangeEventArgs { Value = "Resolved" });
        await page.Find("[data-testid=playbook-save]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(
            () => Assert.Equal(
                ["Step 2: 'Resolved' is not a status; use Unhandled, Handling, Handled, HandlingFailed, Ignored or FalsePositive."],
                page.FindAll("[data-testid=playbook-steps-error]").Select(e => e.TextContent)),
            HangGuard.Timeout);
        Assert.Equal(5, (await Playbooks.ListAsync()).Count);
    }

    [Fact]
    public async Task Save_StoresTheStepsInTheOrderShown_WhenAStepIsMovedEarlier()
    {
        var page = Render<PlaybooksPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=playbook-row]").Count), HangGuard.Timeout);

        await page.Find("[data-testid=playbook-new]").ClickAsync(new MouseEventArgs());
        await page.Find("[data-testid=playbook-name]").InputAsync(new ChangeEventArgs { Value = "Tell, then block" });
        await page.Find("[data-testid=playbook-add-ChangeThreatLevel]").ClickAsync(new MouseEventArgs());
        await page.Find("[data-testid=playbook-step-level-1]").InputAsync(new ChangeEventArgs { Value = "suspicious" });
        await page.Find("[data-testid=playbook-step-up-1]").ClickAsync(new MouseEventArgs());
        await page.Find("[data-testid=playbook-save]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("[data-testid=playbook-row]").Count), HangGuard.Timeout);
        var saved = (await Playbooks.ListAsync()).Single(p => !p.BuiltIn);
        Assert.Equal((1, "set the threat level to Suspicious; block the IP", TimeSpan.FromHours(24)), (saved.Version, saved.StepsText, saved.DefaultDuration));
    }

    [Fact]
    public async Task DryRun_ShowsTheLinesAsText_WhenTheAddressCarriesMarkup()
    {
        var eventId = await AttackAsync("203.0.113.66");
        var page = Render<PlaybooksPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=dry-run-go]")), HangGuard.Timeout);

        await page.Find("[data-testid=dry-run-event]").InputAsync(new ChangeEventArgs { Value = eventId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await page.Find("[data-testid=dry-run-address]").InputAsync(new ChangeEventArgs { Value = "<img src=x onerror=alert(1)>" });
        await page.Find("[data-testid=dry-run-go]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=dry-run-line]")), HangGuard.Timeout);
        Assert.Equal("block <img src=x onerror=alert(1)> until 2026-11-29 08:00 UTC", page.Find("[data-testid=dry-run-line-text]").TextContent);
        Assert.Equal("'<img src=x onerror=alert(1)>' is not an IP address or CIDR.", page.Find("[data-testid=dry-run-line-refused]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=dry-run] img"));
    }
}
