namespace Ctdr.Application.Detection;

/// <summary>A MITRE ATT&amp;CK (Enterprise) tactic, with its place in the kill chain.</summary>
public sealed record AttackTactic(string Id, string Name, int Order);

/// <summary>The ATT&amp;CK tactics and the techniques Ctdr's rules name. Ids and names are MITRE's.</summary>
public static class Attack
{
    /// <summary>The Enterprise tactics in kill-chain order (reconnaissance first, impact last).</summary>
    public static IReadOnlyList<AttackTactic> Tactics { get; } =
    [
        new("TA0043", "Reconnaissance", 1),
        new("TA0042", "Resource Development", 2),
        new("TA0001", "Initial Access", 3),
        new("TA0002", "Execution", 4),
        new("TA0003", "Persistence", 5),
        new("TA0004", "Privilege Escalation", 6),
        new("TA0005", "Defense Evasion", 7),
        new("TA0006", "Credential Access", 8),
        new("TA0007", "Discovery", 9),
        new("TA0008", "Lateral Movement", 10),
        new("TA0009", "Collection", 11),
        new("TA0011", "Command and Control", 12),
        new("TA0010", "Exfiltration", 13),
        new("TA0040", "Impact", 14),
    ];

    /// <summary>Techniques by id, with their names (sub-techniques as "Technique: Sub-technique").</summary>
    public static IReadOnlyDictionary<string, string> Techniques { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["T1021"] = "Remote Services",
        ["T1021.001"] = "Remote Services: Remote Desktop Protocol",
        ["T1021.004"] = "Remote Services: SSH",
        ["T1046"] = "Network Service Discovery",
        ["T1059"] = "Command and Scripting Interpreter",
        ["T1069"] = "Permission Groups Discovery",
        ["T1078"] = "Valid Accounts",
        ["T1078.004"] = "Valid Accounts: Cloud Accounts",
        ["T1083"] = "File and Directory Discovery",
        ["T1087"] = "Account Discovery",
        ["T1098"] = "Account Manipulation",
        ["T1098.001"] = "Account Manipulation: Additional Cloud Credentials",
        ["T1098.003"] = "Account Manipulation: Additional Cloud Roles",
        ["T1110"] = "Brute Force",
        ["T1110.001"] = "Brute Force: Password Guessing",
        ["T1110.003"] = "Brute Force: Password Spraying",
        ["T1136.003"] = "Create Account: Cloud Account",
        ["T1189"] = "Drive-by Compromise",
        ["T1190"] = "Exploit Public-Facing Application",
        ["T1485"] = "Data Destruction",
        ["T1486"] = "Data Encrypted for Impact",
        ["T1496"] = "Resource Hijacking",
        ["T1498"] = "Network Denial of Service",
        ["T1499"] = "Endpoint Denial of Service",
        ["T1505.003"] = "Server Software Component: Web Shell",
        ["T1526"] = "Cloud Service Discovery",
        ["T1528"] = "Steal Application Access Token",
        ["T1531"] = "Account Access Removal",
        ["T1552.001"] = "Unsecured Credentials: Credentials In Files",
        ["T1556.006"] = "Modify Authentication Process: Multi-Factor Authentication",
        ["T1562"] = "Impair Defenses",
        ["T1562.007"] = "Impair Defenses: Disable or Modify Cloud Firewall",
        ["T1562.008"] = "Impair Defenses: Disable or Modify Cloud Logs",
        ["T1580"] = "Cloud Infrastructure Discovery",
        ["T1595"] = "Active Scanning",
        ["T1595.001"] = "Active Scanning: Scanning IP Blocks",
        ["T1595.002"] = "Active Scanning: Vulnerability Scanning",
        ["T1595.003"] = "Active Scanning: Wordlist Scanning",
    };

    public static AttackTactic? Tactic(string? id) =>
        id is null ? null : Tactics.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>A tactic id from a Sigma tag name such as <c>initial_access</c> or <c>initial-access</c>.</summary>
    public static AttackTactic? TacticByName(string name) =>
        Tactics.FirstOrDefault(t => string.Equals(
            t.Name.Replace(' ', '_'),
            name.Replace('-', '_'),
            StringComparison.OrdinalIgnoreCase));

    public static bool IsTechniqueId(string? id) =>
        id is { Length: >= 5 } && (id[0] is 'T' or 't') && id[1..].Replace(".", string.Empty, StringComparison.Ordinal).All(char.IsAsciiDigit)
        && id.Length is 5 or 9 && (id.Length == 5 || id[5] == '.');
}
