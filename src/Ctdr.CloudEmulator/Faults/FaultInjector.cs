namespace Ctdr.CloudEmulator.Faults;

/// <summary>A fault to inject, as the control API receives it.</summary>
public sealed record FaultRequest(string Kind, string? Provider = null, string? Api = null, int? Times = null, double? ForSeconds = null, int? LatencyMs = null);

/// <summary>An active fault: what it does, which requests it hits, and how long it lasts.</summary>
public sealed record ActiveFault(int Id, string Kind, string? Provider, string? Api, int? RemainingTimes, DateTimeOffset? Until, int LatencyMs);

/// <summary>What the faults matching one request ask for.</summary>
internal sealed record FaultSet(bool Http500, bool Throttle, bool SignatureRejection, bool MalformedPage, int LatencyMs)
{
    public static readonly FaultSet None = new(false, false, false, false, 0);
}

/// <summary>
/// Faults injected through the control API. Each fault matches requests by provider (<c>alibaba</c>, <c>huawei</c>,
/// <c>tencent</c>) and API name (<c>PullLogs</c>, <c>GetLogs</c>, <c>ListLogs</c>, <c>SearchLog</c>, ...), both optional,
/// and lasts a number of matching requests (<c>times</c>, default 1) or a span of sandbox time (<c>forSeconds</c>).
/// </summary>
internal sealed class FaultInjector(TimeProvider clock)
{
    public static readonly string[] Kinds = ["http500", "throttle429", "latency", "malformedPage", "signatureRejection"];

    private readonly Lock gate = new();
    private readonly List<ActiveFault> faults = [];
    private int nextId = 1;
    private TaskCompletionSource delaying = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ActiveFault Add(FaultRequest request)
    {
        var kind = Kinds.FirstOrDefault(k => string.Equals(k, request.Kind, StringComparison.OrdinalIgnoreCase))
                   ?? throw new ArgumentException($"Unknown fault kind '{request.Kind}'. Known: {string.Join(", ", Kinds)}.");
        if (request.Times is <= 0)
        {
            throw new ArgumentException("times must be positive.");
        }

        if (request.ForSeconds is <= 0)
        {
            throw new ArgumentException("forSeconds must be positive.");
        }

        if (kind == "latency" && request.LatencyMs is not > 0)
        {
            throw new ArgumentException("a latency fault needs latencyMs > 0.");
        }

        var until = request.ForSeconds is { } seconds ? clock.GetUtcNow().AddSeconds(seconds) : (DateTimeOffset?)null;
        var times = until is null ? request.Times ?? 1 : request.Times;
        lock (gate)
        {
            var fault = new ActiveFault(nextId++, kind, request.Provider?.ToLowerInvariant(), request.Api, times, until, request.LatencyMs ?? 0);
            faults.Add(fault);
            return fault;
        }
    }

    public int Clear()
    {
        lock (gate)
        {
            var count = faults.Count;
            faults.Clear();
            return count;
        }
    }

    public IReadOnlyList<ActiveFault> List()
    {
        lock (gate)
        {
            Expire();
            return faults.ToList();
        }
    }

    /// <summary>Takes the faults that match this request, consuming one use of each.</summary>
    public FaultSet Take(string provider, string api)
    {
        lock (gate)
        {
            Expire();
            if (faults.Count == 0)
            {
                return FaultSet.None;
            }

            bool http500 = false, throttle = false, signature = false, malformed = false;
            var latency = 0;
            for (var i = 0; i < faults.Count; i++)
            {
                var fault = faults[i];
                if ((fault.Provider is not null && fault.Provider != provider)
                    || (fault.Api is not null && !string.Equals(fault.Api, api, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                switch (fault.Kind)
                {
                    case "http500": http500 = true; break;
                    case "throttle429": throttle = true; break;
                    case "signatureRejection": signature = true; break;
                    case "malformedPage": malformed = true; break;
                    case "latency": latency = Math.Max(latency, fault.LatencyMs); break;
                }

                if (fault.RemainingTimes is { } remaining)
                {
                    if (remaining <= 1)
                    {
                        faults.RemoveAt(i--);
                    }
                    else
                    {
                        faults[i] = fault with { RemainingTimes = remaining - 1 };
                    }
                }
            }

            return new FaultSet(http500, throttle, signature, malformed, latency);
        }
    }

    /// <summary>Completes when a request next starts waiting out an injected latency (lets tests advance a fake clock).</summary>
    public Task NextDelayAsync()
    {
        lock (gate)
        {
            return delaying.Task;
        }
    }

    public async Task DelayAsync(int milliseconds, CancellationToken ct)
    {
        var delay = Task.Delay(TimeSpan.FromMilliseconds(milliseconds), clock, ct);
        TaskCompletionSource started;
        lock (gate)
        {
            started = delaying;
            delaying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        started.TrySetResult();
        await delay;
    }

    private void Expire()
    {
        var now = clock.GetUtcNow();
        faults.RemoveAll(f => f.Until is { } until && until <= now);
    }
}
