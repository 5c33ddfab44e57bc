namespace Ctdr.CloudEmulator.Traffic;

/// <summary>An attack scenario: who attacks, which streams show it, and what the requests look like.</summary>
public sealed record ScenarioInfo(string Name, string AttackerIp, IReadOnlyList<string> Streams, string Description);

/// <summary>A running scenario of the background loop.</summary>
public sealed record ActiveScenario(string Name, double Rate, DateTimeOffset StartedAt, DateTimeOffset? Until);

/// <summary>The attack scenarios. Attackers use the documentation ranges 203.0.113.0/24 and 198.51.100.0/24.</summary>
public static class Scenarios
{
    private static readonly string[] WebStreams = ["alibaba-waf", "alibaba-noindex", "huawei-waf-attack", "huawei-waf-access", "tencent-waf"];

    public static IReadOnlyList<ScenarioInfo> All { get; } =
    [
        new("sqli", "203.0.113.7", WebStreams, "SQL injection campaign with sqlmap; the WAF blocks it (module waf, rule type sqli)"),
        new("xss", "198.51.100.77", WebStreams, "reflected XSS probes in the search box; blocked by the WAF core rules (xss)"),
        new("webshell", "203.0.113.99", WebStreams, "web shell upload and use (POST /upload.php, GET /uploads/shell.php?cmd=); blocked (webshell)"),
        new("dirscan", "198.51.100.23", WebStreams, "directory scanning with gobuster: 404s, then the scan protection (antiscan) blocks after 20 requests"),
        new("bruteforce", "203.0.113.45", ["alibaba-waf", "alibaba-noindex", "huawei-waf-access", "tencent-waf"], "credential brute force: POST /login answered 401, not blocked by the WAF"),
        new("portscan", "198.51.100.14", ["alibaba-cloudfirewall"], "TCP port scan of the public assets; closed ports dropped by the firewall"),
        new("ssh-bruteforce", "203.0.113.200", ["alibaba-cloudfirewall"], "SSH brute force on port 22; every tenth attempt dropped by IPS"),
        new("audit-misuse", "198.51.100.201", ["alibaba-actiontrail"], "ConsoleSignin, CreateAccessKey, AttachPolicyToUser AdministratorAccess, StopLogging, DeleteTrail from an unusual IP"),
        new(KillChain.Name, KillChain.AttackerIp, [.. WebStreams, KillChain.AuditStream], "multi-stage attack from one IP: directory scan, SQL injection, web shell upload and use on the WAF streams; then, with the RAM user deploy-bot's key, discovery reads, CreateAccessKey and StopLogging on the audit trail"),
    ];

    public static ScenarioInfo? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
