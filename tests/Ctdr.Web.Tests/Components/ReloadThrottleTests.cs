using Ctdr.Application.Access;
using Ctdr.Application.Live;
using Ctdr.Web.Components.Shared;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Components;

public sealed class ReloadThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private int _reloads;

    [Fact]
    public async Task OnMessage_ReloadsAtOnce_WhenTheLastLoadIsOlderThanTheInterval()
    {
        using var throttle = new ReloadThrottle(_clock, Interval);
        throttle.Loaded();
        _clock.Advance(TimeSpan.FromSeconds(3));

        var reloaded = await throttle.OnMessageAsync(Message(), ReloadAsync);

        Assert.True(reloaded);
        Assert.Equal(1, _reloads);
    }

    [Fact]
    public async Task OnMessage_WaitsOutTheInterval_WhenTheLastLoadIsRecent()
    {
        using var throttle = new ReloadThrottle(_clock, Interval);
        throttle.Loaded();
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        var pending = throttle.OnMessageAsync(Message(), ReloadAsync);
        _clock.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, _reloads);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await pending.WaitAsync(HangGuard.Timeout));
        Assert.Equal(1, _reloads);
    }

    [Fact]
    public async Task OnMessage_SkipsTheReload_WhenTheMessageWasPublishedBeforeTheLastLoad()
    {
        using var throttle = new ReloadThrottle(_clock, Interval);
        var published = Message();
        _clock.Advance(TimeSpan.FromSeconds(5));
        throttle.Loaded();

        var reloaded = await throttle.OnMessageAsync(published, ReloadAsync);

        Assert.False(reloaded);
        Assert.Equal(0, _reloads);
    }

    [Fact]
    public async Task OnMessage_GivesUpWithoutReloading_WhenDisposedWhileWaiting()
    {
        var throttle = new ReloadThrottle(_clock, Interval);
        throttle.Loaded();

        var pending = throttle.OnMessageAsync(Message(), ReloadAsync);
        throttle.Dispose();

        Assert.False(await pending.WaitAsync(HangGuard.Timeout));
        Assert.Equal(0, _reloads);
    }

    private LiveMessage Message() => new(LiveKinds.Ingestion, "Edge WAF: 3 new records, 0 quarantined", Permission.ViewConsole, _clock.GetUtcNow(), "1");

    private Task ReloadAsync()
    {
        _reloads++;
        return Task.CompletedTask;
    }
}
