using System.Collections.Immutable;
using System.Threading.Channels;
using Ctdr.Application.Live;
using Microsoft.Extensions.Logging;

namespace Ctdr.Infrastructure.Realtime;

/// <summary>
/// The live feed inside one process. Each subscriber has its own bounded queue and delivery loop, so a
/// slow subscriber (a busy circuit) neither delays the publisher nor the other subscribers; when its queue
/// is full the oldest message is dropped.
/// </summary>
public sealed partial class InProcessLiveFeed(ILogger<InProcessLiveFeed> logger) : ILiveFeed, IDisposable
{
    public const int QueueCapacity = 1024;

    private ImmutableArray<Subscription> _subscriptions = [];
    private bool _disposed;

    public LiveFeedStatus Status => new("in-process", !_disposed, _subscriptions.Length);

    public ValueTask PublishAsync(LiveMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var subscription in _subscriptions)
        {
            subscription.Offer(message);
        }

        return ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(Func<LiveMessage, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var subscription = new Subscription(this, handler);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return subscription;
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var subscription in ImmutableInterlocked.InterlockedExchange(ref _subscriptions, []))
        {
            subscription.Dispose();
        }
    }

    private void Remove(Subscription subscription) =>
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Remove(subscription));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live feed subscriber failed to handle a {Kind} message")]
    private partial void LogHandlerFailed(Exception exception, string kind);

    private sealed class Subscription : IDisposable
    {
        private readonly InProcessLiveFeed _feed;
        private readonly Func<LiveMessage, CancellationToken, ValueTask> _handler;
        private readonly Channel<LiveMessage> _queue = Channel.CreateBounded<LiveMessage>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        private readonly CancellationTokenSource _stop = new();
        private readonly Task _delivery;

        public Subscription(InProcessLiveFeed feed, Func<LiveMessage, CancellationToken, ValueTask> handler)
        {
            _feed = feed;
            _handler = handler;
            var token = _stop.Token;
            _delivery = Task.Run(() => DeliverAsync(token));
        }

        /// <summary>Completes when the delivery loop has stopped (after <see cref="Dispose"/>).</summary>
        public Task Completion => _delivery;

        public void Offer(LiveMessage message) => _queue.Writer.TryWrite(message);

        public void Dispose()
        {
            if (_queue.Writer.TryComplete())
            {
                _feed.Remove(this);
                _stop.Cancel();
            }
        }

        private async Task DeliverAsync(CancellationToken token)
        {
            try
            {
                await foreach (var message in _queue.Reader.ReadAllAsync(token))
                {
                    try
                    {
                        await _handler(message, token);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        _feed.LogHandlerFailed(exception, message.Kind);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Unsubscribed.
            }
        }
    }
}
