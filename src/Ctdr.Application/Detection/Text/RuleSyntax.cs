using Ctdr.Application.LogSources;
using LogFieldKind = Ctdr.Application.Logs.LogFieldKind;
using SecurityLogFields = Ctdr.Application.Logs.SecurityLogFields;

namespace Ctdr.Application.Detection.Text;

/// <summary>The words of the rule text syntax and how model values are spelt in it.</summary>
internal static class RuleSyntax
{
    /// <summary>Statement keywords in printed order (docs/rules.md).</summary>
    public static IReadOnlyList<string> Statements { get; } =
    [
        "rule", "title", "description", "severity", "threat", "products", "attack", "author", "license", "reference",
        "where", "count", "sequence", "entities", "suppress", "recommendation", "sample", "end",
    ];

    public static IReadOnlyList<(RuleSeverity Value, string Name)> Severities { get; } =
    [
        (RuleSeverity.Critical, "critical"),
        (RuleSeverity.High, "high"),
        (RuleSeverity.Medium, "medium"),
        (RuleSeverity.Low, "low"),
        (RuleSeverity.Informational, "informational"),
    ];

    public static IReadOnlyList<(ThreatLevel Value, string Name)> Threats { get; } =
    [
        (ThreatLevel.Serious, "serious"),
        (ThreatLevel.Suspicious, "suspicious"),
        (ThreatLevel.Remind, "remind"),
    ];

    public static IReadOnlyList<(EntityKind Value, string Name)> EntityKinds { get; } =
    [
        (EntityKind.Ip, "ip"),
        (EntityKind.Asset, "asset"),
        (EntityKind.Account, "account"),
        (EntityKind.User, "user"),
        (EntityKind.AccessKey, "access_key"),
    ];

    public static IEnumerable<string> ProductNames => Enum.GetNames<LogProduct>();

    public static string Name(RuleSeverity severity) => Severities.First(s => s.Value == severity).Name;

    public static string Name(ThreatLevel threat) => Threats.First(t => t.Value == threat).Name;

    public static string Name(EntityKind kind) => EntityKinds.First(k => k.Value == kind).Name;

    public static string Name(MatchOperator op) => op switch
    {
        MatchOperator.Equals => "=",
        MatchOperator.NotEquals => "!=",
        MatchOperator.Contains => "contains",
        MatchOperator.StartsWith => "startswith",
        MatchOperator.EndsWith => "endswith",
        MatchOperator.Regex => "matches",
        MatchOperator.Cidr => "cidr",
        MatchOperator.Exists => "exists",
        MatchOperator.GreaterThan => ">",
        MatchOperator.GreaterOrEqual => ">=",
        MatchOperator.LessThan => "<",
        MatchOperator.LessOrEqual => "<=",
        _ => op.ToString(),
    };

    public static bool IsNumeric(MatchOperator op) =>
        op is MatchOperator.GreaterThan or MatchOperator.GreaterOrEqual or MatchOperator.LessThan or MatchOperator.LessOrEqual;

    /// <summary>A number or time field of the OCSF log, whose integer values print bare.</summary>
    public static bool IsNumberField(string field) =>
        SecurityLogFields.TryGet(field, out var known) && known.Kind is LogFieldKind.Number or LogFieldKind.Time;

    public static string FormatDuration(TimeSpan duration)
    {
        var seconds = duration.Ticks / TimeSpan.TicksPerSecond;
        return seconds switch
        {
            0 => "0s",
            _ when seconds % 86_400 == 0 => $"{seconds / 86_400}d",
            _ when seconds % 3_600 == 0 => $"{seconds / 3_600}h",
            _ when seconds % 60 == 0 => $"{seconds / 60}m",
            _ => $"{seconds}s",
        };
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Length < 2 || text.AsSpan(0, text.Length - 1).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        long unit = text[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            _ => 0,
        };
        const long maxSeconds = long.MaxValue / TimeSpan.TicksPerSecond;
        if (unit == 0
            || !long.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            || count > maxSeconds / unit)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(count * unit);
        return true;
    }
}
