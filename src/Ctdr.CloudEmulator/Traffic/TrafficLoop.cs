namespace Ctdr.CloudEmulator.Traffic;

/// <summary>The background generator: every tick of the sandbox clock, it generates at the configured rates.</summary>
internal sealed partial class TrafficLoop(TrafficGenerator generator, SandboxState state, ILogger<TrafficLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(state.Options.TrafficTick, state.Clock);
        var last = state.Clock.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = state.Clock.GetUtcNow();
            try
            {
                generator.Tick(now - last);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed tick must not stop the sandbox; the next tick tries again.
                LogTickFailed(logger, e);
            }

            last = now;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The traffic generator failed on a tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
