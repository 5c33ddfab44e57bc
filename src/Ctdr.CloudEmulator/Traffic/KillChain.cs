namespace Ctdr.CloudEmulator.Traffic;

/// <summary>The stages of the multi-stage scenario <c>killchain</c>, in the order the attacker plays them.</summary>
internal enum KillChainStage
{
    /// <summary>Web: gobuster looks for directories; every request answers 404.</summary>
    DirectoryScan = 0,

    /// <summary>Web: sqlmap probes two PHP pages; the WAF blocks every probe.</summary>
    SqlInjection = 1,

    /// <summary>Web: a PHP web shell is uploaded and called with commands; the WAF blocks both.</summary>
    WebShell = 2,

    /// <summary>Audit trail: the RAM user's stolen key is tried with read-only calls (who am I, which users, which trails).</summary>
    Discovery = 3,

    /// <summary>Audit trail: the RAM user creates itself a second access key.</summary>
    AccessKeyCreated = 4,

    /// <summary>Audit trail: the same user stops the trail's logging.</summary>
    LoggingStopped = 5,
}

/// <summary>One record's place in a kill chain: its stage, its index within the stage, the stage's size and its time.</summary>
internal readonly record struct KillChainStep(KillChainStage Stage, int Index, int Size, DateTimeOffset Time);

/// <summary>
/// The plan of the scenario <c>killchain</c>: one attacker (203.0.113.66) scans directories, injects SQL and plants a
/// web shell on the WAF streams, then, on the audit trail, uses the RAM user <c>deploy-bot</c>'s key from the same
/// address to look around, create an access key and stop logging.
/// </summary>
/// <remarks>
/// One generation call of N records plays the whole chain on its stream, in stage order:
/// web streams: the first ⌊N/2⌋ records scan, the next ⌊3N/10⌋ inject SQL, the rest (at least 20 %) are the web
/// shell; audit trail: N − 2 discovery reads, one CreateAccessKey, one StopLogging. Stage k of the chain is timed
/// in the second starting k seconds after the generation time rounded up to a whole second (web stages 0–2,
/// audit stages 3–5), its records spread evenly over that second, so every record is later than the one before
/// and stage order survives formats with one-second resolution; nothing is more than six seconds in the future.
/// The background loop, which writes a few records per tick, plays the chain round a plan of
/// <see cref="LoopLength"/> records instead, each record at the tick's time.
/// </remarks>
internal static class KillChain
{
    public const string Name = "killchain";
    public const string AttackerIp = "203.0.113.66";
    public const string AuditStream = "alibaba-actiontrail";

    /// <summary>
    /// The fewest records of one generation call that still raise every stage's rule: ten distinct 404 paths
    /// for the directory-scan rule on the web streams; the key and the StopLogging call on the audit trail.
    /// </summary>
    public const int MinimumWebCount = 20;

    public const int MinimumAuditCount = 2;

    /// <summary>The plan length of the background loop: 20 scan requests (under the scan protection's threshold), 12 injections, 8 web-shell requests.</summary>
    public const int LoopLength = 40;

    public static int MinimumCount(string stream) => stream == AuditStream ? MinimumAuditCount : MinimumWebCount;

    /// <summary>Where record <paramref name="position"/> of a chain of <paramref name="total"/> records falls.</summary>
    /// <param name="spreadFrom">The generation time to lay the stages out from; null keeps every record at <paramref name="now"/>.</param>
    public static KillChainStep Step(string stream, long position, long total, DateTimeOffset? spreadFrom, DateTimeOffset now)
    {
        var (stage, index, size) = stream == AuditStream ? AuditStage(position, total) : WebStage(position, total);
        if (spreadFrom is not { } from)
        {
            return new KillChainStep(stage, index, size, now);
        }

        var second = TimeSpan.TicksPerSecond;
        var origin = new DateTimeOffset((from.UtcTicks + second - 1) / second * second, TimeSpan.Zero);
        var time = origin + TimeSpan.FromSeconds((int)stage) + TimeSpan.FromTicks(index * second / size);
        return new KillChainStep(stage, index, size, time);
    }

    private static (KillChainStage Stage, int Index, int Size) WebStage(long position, long total)
    {
        var scan = total / 2;
        var sqli = total * 3 / 10;
        return position < scan ? (KillChainStage.DirectoryScan, (int)position, (int)scan)
            : position < scan + sqli ? (KillChainStage.SqlInjection, (int)(position - scan), (int)sqli)
            : (KillChainStage.WebShell, (int)(position - scan - sqli), (int)(total - scan - sqli));
    }

    private static (KillChainStage Stage, int Index, int Size) AuditStage(long position, long total) =>
        position < total - 2 ? (KillChainStage.Discovery, (int)position, (int)(total - 2))
        : position == total - 2 ? (KillChainStage.AccessKeyCreated, 0, 1)
        : (KillChainStage.LoggingStopped, 0, 1);
}
