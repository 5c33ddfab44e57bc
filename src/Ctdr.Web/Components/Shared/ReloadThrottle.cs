using Ctdr.Application.Live;

namespace Ctdr.Web.Components.Shared;

/// <summary>
/// Turns a stream of live messages into page reloads: at most one reload per <c>interval</c>, and none for a
/// message that a reload already covers (it was published before that reload started, so what it announces was
/// committed by then). Messages are handed to it one at a time, as a <see cref="LiveSubscription"/> delivers them.
/// </summary>
public sealed class ReloadThrottle(TimeProvider clock, TimeSpan interval) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private DateTimeOffset _lastReload = DateTimeOffset.MinValue;

    /// <summary>Remembers that the page has just loaded its data, so messages published before now need no reload.</summary>
    public void Loaded() => _lastReload = clock.GetUtcNow();

    /// <summary>Reloads for <paramref name="message"/> unless a reload since covers it, waiting out the interval first.</summary>
    /// <returns>Whether <paramref name="reload"/> ran.</returns>
    public async Task<bool> OnMessageAsync(LiveMessage message, Func<Task> reload)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reload);
        if (message.OccurredAt < _lastReload || _stop.IsCancellationRequested)
        {
            return false;
        }

        var wait = _lastReload + interval - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, clock, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The page went away.
                return false;
            }
        }

        Loaded();
        await reload();
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
