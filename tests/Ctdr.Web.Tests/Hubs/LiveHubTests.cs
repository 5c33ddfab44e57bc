using System.Net;
using Ctdr.Application.Access;
using Ctdr.Application.Live;
using Ctdr.Application.Users;
using Ctdr.Web.Hubs;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Hubs;

/// <summary><c>/hubs/live</c> delivers each live message only to signed-in users allowed to see it, and cuts off disabled users.</summary>
public sealed class LiveHubTests(LiveHubTests.Host host) : IClassFixture<LiveHubTests.Host>
{
    private static readonly DateTimeOffset OccurredAt = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Viewer_ReceivesTheMessage_WhenPublishedForViewConsole()
    {
        await using var viewer = await host.ConnectAsync(Roles.Viewer);
        var published = new LiveMessage(LiveKinds.Notice, "Maintenance window tonight at 22:00 UTC", Permission.ViewConsole, OccurredAt, "notice-1");

        await host.Feed.PublishAsync(published);

        var received = await viewer.NextAsync();
        Assert.Equal(published, received);
        Assert.Equal("notice", received.Kind);
        Assert.Equal("Maintenance window tonight at 22:00 UTC", received.Text);
    }

    [Fact]
    public async Task Viewer_DoesNotReceiveTheMessage_WhenAudienceIsViewAuditLog()
    {
        await using var viewer = await host.ConnectAsync(Roles.Viewer);
        await using var admin = await host.ConnectAsync(Roles.Admin);
        var adminOnly = new LiveMessage(LiveKinds.Notice, "Audit export finished", Permission.ViewAuditLog, OccurredAt);
        var everyone = new LiveMessage(LiveKinds.Notice, "Detection rules updated", Permission.ViewConsole, OccurredAt);

        // One forwarder sends the messages in publishing order and each connection receives in sending order,
        // so had the viewer been sent the first message it would arrive before the second.
        await host.Feed.PublishAsync(adminOnly);
        await host.Feed.PublishAsync(everyone);

        Assert.Equal(everyone, await viewer.NextAsync());

        // The administrator also hears of other tests' sign-ins (audit messages); only notices matter here.
        var adminNotices = new List<LiveMessage>();
        while (adminNotices.Count < 2)
        {
            var message = await admin.NextAsync();
            if (message.Kind == LiveKinds.Notice)
            {
                adminNotices.Add(message);
            }
        }

        Assert.Equal([adminOnly, everyone], adminNotices);
    }

    [Fact]
    public async Task Connect_FailsWith401_WhenAnonymous()
    {
        await using var anonymous = LiveHubClient.Create(host.Factory, cookieHeader: null);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, anonymous.Connection.State);
    }

    [Fact]
    public async Task Sweep_AbortsOnlyThatUsersConnection_WhenTheUserIsDisabled()
    {
        var user = await host.Factory.CreateUserAsync(Roles.Analyst);
        await using var analyst = await host.ConnectAsync(user);
        await using var admin = await host.ConnectAsync(Roles.Admin);
        var sweeper = host.Factory.Services.GetServices<IHostedService>().OfType<HubSessionSweeper>().Single();

        var disabled = await host.Factory.Services.GetRequiredService<IUserDirectory>().SetDisabledAsync(user.Id, disabled: true);
        var aborted = await sweeper.SweepAsync(CancellationToken.None);

        Assert.True(disabled.Succeeded);
        Assert.Equal(1, aborted);
        await analyst.Closed;
        Assert.Equal(HubConnectionState.Disconnected, analyst.Connection.State);
        Assert.Equal(HubConnectionState.Connected, admin.Connection.State);
    }

    /// <summary>
    /// One host for the hub tests. Its clock is a fake that is never advanced, so the sweeper's own 30-second
    /// timer never fires and only the sweep a test runs can close a connection.
    /// </summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly Dictionary<string, string> _cookiesByRole = new(StringComparer.Ordinal);

        public CtdrWebFactory Factory { get; } = new("Testing", new FakeTimeProvider(DateTimeOffset.UtcNow));

        public ILiveFeed Feed => Factory.Services.GetRequiredService<ILiveFeed>();

        public async Task InitializeAsync()
        {
            foreach (var role in Roles.All)
            {
                var user = role == Roles.Admin ? await Factory.AdministratorAsync() : await Factory.CreateUserAsync(role);
                _cookiesByRole[role] = await CookieOfAsync(user);
            }
        }

        /// <summary>A connected hub client signed in with the user of <paramref name="role"/> made at start.</summary>
        public Task<LiveHubClient> ConnectAsync(string role) => ConnectWithCookieAsync(_cookiesByRole[role]);

        public async Task<LiveHubClient> ConnectAsync(TestUser user) => await ConnectWithCookieAsync(await CookieOfAsync(user));

        public async Task DisposeAsync() => await Factory.DisposeAsync();

        private async Task<string> CookieOfAsync(TestUser user)
        {
            using var client = await Factory.SignInAsync(user);
            return client.CookieHeader;
        }

        private async Task<LiveHubClient> ConnectWithCookieAsync(string cookieHeader)
        {
            var client = LiveHubClient.Create(Factory, cookieHeader);
            await client.ConnectAsync();
            return client;
        }
    }
}
