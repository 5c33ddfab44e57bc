namespace Ctdr.Application.Live;

/// <summary>
/// Publishes what changed to everyone watching. Publishing never waits for slow subscribers; a subscriber
/// that falls far behind loses its oldest messages rather than holding up the publisher.
/// </summary>
public interface ILiveFeed
{
    ValueTask PublishAsync(LiveMessage message, CancellationToken cancellationToken = default);

    /// <summary>Receive every message published from now on, until the returned handle is disposed.</summary>
    IDisposable Subscribe(Func<LiveMessage, CancellationToken, ValueTask> handler);

    /// <summary>How the feed is connected (in-process, or to a shared broker).</summary>
    LiveFeedStatus Status { get; }
}

public sealed record LiveFeedStatus(string Transport, bool Connected, int Subscribers);
