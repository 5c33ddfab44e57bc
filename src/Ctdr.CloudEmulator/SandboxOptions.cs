namespace Ctdr.CloudEmulator;

/// <summary>How the sandbox cloud runs. Bound from the <c>Sandbox</c> configuration section when run standalone.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Where Kestrel listens; port 0 picks a free port (see <see cref="SandboxCloud.BaseAddress"/>).</summary>
    public string Url { get; set; } = "http://127.0.0.1:5090";

    /// <summary>The sandbox's clock: request-time checks, log times, scenario and fault durations, the traffic loop.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Seed of the traffic generator; the same seed and clock give the same records. Null: a random seed.</summary>
    public int? Seed { get; set; }

    /// <summary>Whether the background loop generates traffic at <see cref="Rates"/> from the start.</summary>
    public bool GenerateTraffic { get; set; } = true;

    /// <summary>Refuse <c>/_sandbox/</c> control requests (403) that do not come from a loopback address.</summary>
    public bool LoopbackOnlyControl { get; set; } = true;

    /// <summary>Records kept per logstore, log stream and topic; the oldest are dropped beyond it.</summary>
    public int MaxRecordsPerLogStore { get; set; } = 200_000;

    /// <summary>How often the background loop generates (records per tick = rate × tick).</summary>
    public TimeSpan TrafficTick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Benign records per second per stream for the background loop.</summary>
    public Dictionary<string, double> Rates { get; set; } = new(StringComparer.Ordinal)
    {
        ["alibaba-waf"] = 5,
        ["alibaba-cloudfirewall"] = 2,
        ["alibaba-actiontrail"] = 0.2,
        ["alibaba-noindex"] = 0,
        ["huawei-waf-access"] = 2,
        ["huawei-waf-attack"] = 0,
        ["tencent-waf"] = 2,
    };

    /// <summary>Records per second per stream that an active attack scenario adds, unless started with its own rate.</summary>
    public double ScenarioRate { get; set; } = 5;

    /// <summary>
    /// While traffic is generated, start the attack scenarios one after another (in the order of
    /// <see cref="Traffic.Scenarios.All"/>, the SQL injection campaign first, right at start) so a demo shows attacks
    /// without anyone driving the control API. Zero turns the schedule off.
    /// </summary>
    public TimeSpan ScenarioEvery { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long each scheduled scenario runs.</summary>
    public TimeSpan ScenarioDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Addresses one WAF 3.0 IP blacklist rule may hold; more answer <c>Defense.Control.DefenseRuleOversize</c>.</summary>
    public int WafMaxAddressesPerRule { get; set; } = 200;

    /// <summary>
    /// The Huawei and Tencent WAFs' IP rule quota: black/white IP rules per Huawei policy, blocklist and allowlist
    /// entries per Tencent domain (1 000 is Tencent's smallest edition's).
    /// </summary>
    public int WafIpRuleQuota { get; set; } = 1_000;
}
