using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Live;
using Ctdr.Infrastructure.Jobs;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Audit;

public class AuditLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Record_StoresEntry_AndTellsAdministratorsLive()
    {
        await using var host = await TestHost.StartAsync(now: Start);
        var received = new List<LiveMessage>();
        using var gate = new SemaphoreSlim(0);
        using var subscription = host.Get<ILiveFeed>().Subscribe((message, _) =>
        {
            received.Add(message);
            gate.Release();
            return ValueTask.CompletedTask;
        });

        await host.Get<IAuditTrail>().RecordAsync(AuditAction.UserDisabled, new Actor("a1", "admin@example.com", "192.0.2.4"), "u7", "ana@example.com");
        await gate.WaitAsync(TimeSpan.FromSeconds(10));

        await using var db = await host.DbAsync();
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal((Start, AuditAction.UserDisabled, "a1", "admin@example.com", "u7", "ana@example.com", "192.0.2.4"),
            (entry.OccurredAt, entry.Action, entry.ActorId, entry.ActorName, entry.TargetId, entry.TargetName, entry.IpAddress));
        var message = Assert.Single(received);
        Assert.Equal(new LiveMessage(LiveKinds.Audit, "admin@example.com disabled ana@example.com", Permission.ViewAuditLog, Start, entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), message);
    }

    [Fact]
    public async Task List_FiltersByActorActionAndTime_NewestFirst()
    {
        await using var host = await TestHost.StartAsync(now: Start);
        await SeedAsync(host);
        host.CurrentUser.User = TestCurrentUser.Admin();
        var query = Query(host);

        var all = await query.ListAsync(new AuditFilter(), new PageRequest(0, 50));
        var byActor = await query.ListAsync(new AuditFilter(Actor: "ALICE"), new PageRequest(0, 50));
        var byAction = await query.ListAsync(new AuditFilter(Action: AuditAction.SignInFailed), new PageRequest(0, 50));
        var byTime = await query.ListAsync(new AuditFilter(From: Start.AddHours(1), To: Start.AddHours(2)), new PageRequest(0, 50));
        var combined = await query.ListAsync(new AuditFilter("bob", AuditAction.SignInSucceeded, Start, Start.AddDays(1)), new PageRequest(0, 50));

        Assert.Equal(5, all.TotalCount);
        Assert.Equal(["evil%_[x", "bob@example.com", "alice@example.com", "bob@example.com", "alice@example.com"], all.Items.Select(r => r.ActorName));
        Assert.Equal([Start.AddHours(3), Start.AddHours(3), Start.AddHours(2), Start.AddHours(1), Start], all.Items.Select(r => r.OccurredAt));
        Assert.Equal([AuditAction.SignedOut, AuditAction.SignInSucceeded], byActor.Items.Select(r => r.Action));
        Assert.Equal(["bob@example.com", "evil%_[x"], byAction.Items.Select(r => r.ActorName).Order());
        Assert.Equal([Start.AddHours(2), Start.AddHours(1)], byTime.Items.Select(r => r.OccurredAt));
        Assert.Equal(1, combined.TotalCount);
    }

    [Fact]
    public async Task List_TreatsWildcardsLiterally_WhenActorFilterContainsThem()
    {
        await using var host = await TestHost.StartAsync(now: Start);
        await SeedAsync(host);
        host.CurrentUser.User = TestCurrentUser.Admin();

        var percent = await Query(host).ListAsync(new AuditFilter(Actor: "%_"), new PageRequest(0, 50));
        var underscore = await Query(host).ListAsync(new AuditFilter(Actor: "_"), new PageRequest(0, 50));
        var bracket = await Query(host).ListAsync(new AuditFilter(Actor: "_[x"), new PageRequest(0, 50));

        Assert.Equal(["evil%_[x"], percent.Items.Select(r => r.ActorName));
        Assert.Equal(["evil%_[x"], underscore.Items.Select(r => r.ActorName));
        Assert.Equal(["evil%_[x"], bracket.Items.Select(r => r.ActorName));
    }

    [Fact]
    public async Task List_ReturnsRequestedPage_WithTotal()
    {
        await using var host = await TestHost.StartAsync(now: Start);
        await SeedAsync(host);
        host.CurrentUser.User = TestCurrentUser.Admin();

        var second = await Query(host).ListAsync(new AuditFilter(), new PageRequest(1, 2));

        Assert.Equal(5, second.TotalCount);
        Assert.Equal([Start.AddHours(2), Start.AddHours(1)], second.Items.Select(r => r.OccurredAt));
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Viewer)]
    public async Task List_IsDenied_WhenCallerIsNotAdmin(string role)
    {
        await using var host = await TestHost.StartAsync(now: Start);
        host.CurrentUser.User = new CurrentUserInfo("u", "u@example.com", [role], null);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Query(host).ListAsync(new AuditFilter(), new PageRequest(0, 10)));
    }

    [Fact]
    public async Task RetentionJob_DeletesOnlyExpiredEntries_AndIsSafeToRepeat()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Jobs:AuditRetentionDays"] = "30" }, now: Start);
        var trail = host.Get<IAuditTrail>();
        await trail.RecordAsync(AuditAction.SignedOut, new Actor("a", "old@example.com", null));
        host.Clock.Advance(TimeSpan.FromDays(20));
        await trail.RecordAsync(AuditAction.SignedOut, new Actor("a", "recent@example.com", null));
        host.Clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromSeconds(1));
        var job = host.Get<AuditRetentionJob>();

        var firstRun = await job.RunAsync(CancellationToken.None);
        var secondRun = await job.RunAsync(CancellationToken.None);

        Assert.Equal(1, firstRun);
        Assert.Equal(0, secondRun);
        await using var db = await host.DbAsync();
        Assert.Equal(["recent@example.com"], await db.AuditEntries.Select(e => e.ActorName).ToListAsync());
    }

    private static AuditLogQuery Query(TestHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<AuditLogQuery>();

    private static async Task SeedAsync(TestHost host)
    {
        var trail = host.Get<IAuditTrail>();
        await trail.RecordAsync(AuditAction.SignInSucceeded, new Actor("a", "alice@example.com", null));
        host.Clock.Advance(TimeSpan.FromHours(1));
        await trail.RecordAsync(AuditAction.SignInFailed, new Actor("b", "bob@example.com", null));
        host.Clock.Advance(TimeSpan.FromHours(1));
        await trail.RecordAsync(AuditAction.SignedOut, new Actor("a", "alice@example.com", null));
        host.Clock.Advance(TimeSpan.FromHours(1));
        await trail.RecordAsync(AuditAction.SignInSucceeded, new Actor("b", "bob@example.com", null));
        await trail.RecordAsync(AuditAction.SignInFailed, Actor.Anonymous("evil%_[x", null));
    }
}
