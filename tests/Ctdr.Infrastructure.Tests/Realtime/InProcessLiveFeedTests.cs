using System.Threading.Channels;
using Ctdr.Application.Access;
using Ctdr.Application.Live;
using Ctdr.Infrastructure.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ctdr.Infrastructure.Tests.Realtime;

public class InProcessLiveFeedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static LiveMessage Message(int n) =>
        new(LiveKinds.Notice, $"message {n}", Permission.ViewConsole, new DateTimeOffset(2026, 11, 28, 0, 0, n % 60, TimeSpan.Zero));

    [Fact]
    public async Task Publish_DeliversEveryMessageInOrder_ToEverySubscriber()
    {
        using var feed = new InProcessLiveFeed(NullLogger<InProcessLiveFeed>.Instance);
        var first = Channel.CreateUnbounded<LiveMessage>();
        var second = Channel.CreateUnbounded<LiveMessage>();
        using var a = feed.Subscribe((m, ct) => first.Writer.WriteAsync(m, ct));
        using var b = feed.Subscribe((m, ct) => second.Writer.WriteAsync(m, ct));

        for (var i = 0; i < 100; i++)
        {
            await feed.PublishAsync(Message(i));
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"message {i}"), await ReadAsync(first, 100));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"message {i}"), await ReadAsync(second, 100));
        Assert.Equal(new LiveFeedStatus("in-process", true, 2), feed.Status);
    }

    [Fact]
    public async Task Publish_DoesNotWait_WhenASubscriberIsStuck_AndTheStuckOneKeepsTheNewest()
    {
        using var feed = new InProcessLiveFeed(NullLogger<InProcessLiveFeed>.Instance);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuckReceived = Channel.CreateUnbounded<LiveMessage>();
        var healthy = Channel.CreateUnbounded<LiveMessage>();
        using var stuck = feed.Subscribe(async (m, ct) =>
        {
            entered.TrySetResult();
            await release.Task;
            await stuckReceived.Writer.WriteAsync(m, ct);
        });
        using var ok = feed.Subscribe((m, ct) => healthy.Writer.WriteAsync(m, ct));
        await feed.PublishAsync(Message(0));
        await entered.Task.WaitAsync(Patience);

        const int burst = InProcessLiveFeed.QueueCapacity * 3;
        for (var i = 1; i <= burst; i++)
        {
            Assert.True(feed.PublishAsync(Message(i)).AsTask().IsCompletedSuccessfully);
        }

        // The healthy subscriber is not held up by the stuck one: it reaches the last message.
        using (var timeout = new CancellationTokenSource(Patience))
        {
            while ((await healthy.Reader.ReadAsync(timeout.Token)).Text != $"message {burst}")
            {
            }
        }

        release.SetResult();
        var expected = Enumerable.Repeat("message 0", 1).Concat(Enumerable.Range(burst - InProcessLiveFeed.QueueCapacity + 1, InProcessLiveFeed.QueueCapacity).Select(i => $"message {i}"));
        Assert.Equal(expected, await ReadAsync(stuckReceived, InProcessLiveFeed.QueueCapacity + 1));
    }

    [Fact]
    public async Task Subscriber_KeepsReceiving_WhenItsHandlerThrowsOnce()
    {
        using var feed = new InProcessLiveFeed(NullLogger<InProcessLiveFeed>.Instance);
        var received = Channel.CreateUnbounded<LiveMessage>();
        using var subscription = feed.Subscribe(async (m, ct) =>
        {
            if (m.Text == "message 1")
            {
                throw new InvalidOperationException("boom");
            }

            await received.Writer.WriteAsync(m, ct);
        });

        for (var i = 0; i < 3; i++)
        {
            await feed.PublishAsync(Message(i));
        }

        Assert.Equal(["message 0", "message 2"], await ReadAsync(received, 2));
    }

    [Fact]
    public async Task Dispose_StopsDelivery_AndRemovesSubscriber()
    {
        using var feed = new InProcessLiveFeed(NullLogger<InProcessLiveFeed>.Instance);
        var received = Channel.CreateUnbounded<LiveMessage>();
        var subscription = feed.Subscribe((m, ct) => received.Writer.WriteAsync(m, ct));
        await feed.PublishAsync(Message(1));
        Assert.Equal(["message 1"], await ReadAsync(received, 1));

        subscription.Dispose();
        await feed.PublishAsync(Message(2));
        using var marker = feed.Subscribe((m, ct) => received.Writer.WriteAsync(m with { Text = "marker saw " + m.Text }, ct));
        await feed.PublishAsync(Message(3));

        Assert.Equal(["marker saw message 3"], await ReadAsync(received, 1));
        Assert.Equal(1, feed.Status.Subscribers);
    }

    private static async Task<List<string>> ReadAsync(Channel<LiveMessage> channel, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var texts = new List<string>();
        while (texts.Count < count)
        {
            texts.Add((await channel.Reader.ReadAsync(timeout.Token)).Text);
        }

        return texts;
    }
}
