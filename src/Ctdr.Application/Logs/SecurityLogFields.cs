using System.Globalization;

namespace Ctdr.Application.Logs;

public enum LogFieldKind
{
    Text,
    Number,
    IpAddress,
    Time,
}

/// <summary>A field of <see cref="SecurityLog"/> by its dotted OCSF path, with the member that holds it.</summary>
public sealed class LogField(string path, string member, LogFieldKind kind, Func<SecurityLog, string?> text, Func<SecurityLog, long?>? number = null)
{
    public string Path { get; } = path;

    /// <summary>The <see cref="SecurityLog"/> property (and log store column) holding the field.</summary>
    public string Member { get; } = member;

    public LogFieldKind Kind { get; } = kind;

    /// <summary>The value as text (numbers in invariant culture, times in ISO 8601 UTC); null when absent.</summary>
    public string? TextOf(SecurityLog log) => text(log);

    /// <summary>The numeric value of number and time fields (times as Unix milliseconds); null otherwise.</summary>
    public long? NumberOf(SecurityLog log) => number?.Invoke(log);
}

/// <summary>The dotted OCSF paths that rules and log search address, e.g. <c>src_endpoint.ip</c>.</summary>
public static class SecurityLogFields
{
    private static string? Num(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? NumZeroAbsent(int value) => value == 0 ? null : value.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<LogField> All { get; } =
    [
        new("time", nameof(SecurityLog.Time), LogFieldKind.Time, l => l.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), l => l.Time.ToUnixTimeMilliseconds()),
        new("class_uid", nameof(SecurityLog.ClassUid), LogFieldKind.Number, l => Num((int)l.ClassUid), l => (int)l.ClassUid),
        new("activity_id", nameof(SecurityLog.ActivityId), LogFieldKind.Number, l => Num(l.ActivityId), l => l.ActivityId),
        new("severity_id", nameof(SecurityLog.SeverityId), LogFieldKind.Number, l => Num((int)l.SeverityId), l => (int)l.SeverityId),
        new("status_id", nameof(SecurityLog.StatusId), LogFieldKind.Number, l => Num(l.StatusId), l => l.StatusId),
        new("disposition_id", nameof(SecurityLog.DispositionId), LogFieldKind.Number, l => Num((int)l.DispositionId), l => (int)l.DispositionId),
        new("action_id", nameof(SecurityLog.ActionId), LogFieldKind.Number, l => Num(l.ActionId), l => l.ActionId),
        new("message", nameof(SecurityLog.Message), LogFieldKind.Text, l => l.Message),
        new("cloud.provider", nameof(SecurityLog.Provider), LogFieldKind.Text, l => l.Provider.ToString()),
        new("cloud.account.uid", nameof(SecurityLog.AccountUid), LogFieldKind.Text, l => l.AccountUid),
        new("cloud.region", nameof(SecurityLog.Region), LogFieldKind.Text, l => l.Region),
        new("metadata.uid", nameof(SecurityLog.Uid), LogFieldKind.Text, l => l.Uid),
        new("metadata.product.name", nameof(SecurityLog.Product), LogFieldKind.Text, l => l.Product.ToString()),
        new("metadata.log_name", nameof(SecurityLog.LogName), LogFieldKind.Text, l => l.LogName),
        new("src_endpoint.ip", nameof(SecurityLog.SrcIp), LogFieldKind.IpAddress, l => l.SrcIp),
        new("src_endpoint.port", nameof(SecurityLog.SrcPort), LogFieldKind.Number, l => Num(l.SrcPort), l => l.SrcPort),
        new("src_endpoint.intermediate_ips", nameof(SecurityLog.SrcIntermediateIp), LogFieldKind.IpAddress, l => l.SrcIntermediateIp),
        new("dst_endpoint.ip", nameof(SecurityLog.DstIp), LogFieldKind.IpAddress, l => l.DstIp),
        new("dst_endpoint.port", nameof(SecurityLog.DstPort), LogFieldKind.Number, l => Num(l.DstPort), l => l.DstPort),
        new("dst_endpoint.hostname", nameof(SecurityLog.DstHostname), LogFieldKind.Text, l => l.DstHostname),
        new("http_request.http_method", nameof(SecurityLog.HttpMethod), LogFieldKind.Text, l => l.HttpMethod),
        new("http_request.url.hostname", nameof(SecurityLog.UrlHostname), LogFieldKind.Text, l => l.UrlHostname),
        new("http_request.url.path", nameof(SecurityLog.UrlPath), LogFieldKind.Text, l => l.UrlPath),
        new("http_request.url.query_string", nameof(SecurityLog.UrlQuery), LogFieldKind.Text, l => l.UrlQuery),
        new("http_request.user_agent", nameof(SecurityLog.UserAgent), LogFieldKind.Text, l => l.UserAgent),
        new("http_request.x_forwarded_for", nameof(SecurityLog.XForwardedFor), LogFieldKind.Text, l => l.XForwardedFor),
        new("http_request.uid", nameof(SecurityLog.HttpRequestUid), LogFieldKind.Text, l => l.HttpRequestUid),
        new("http_response.code", nameof(SecurityLog.HttpStatus), LogFieldKind.Number, l => Num(l.HttpStatus), l => l.HttpStatus),
        new("http_response.latency", nameof(SecurityLog.LatencyMs), LogFieldKind.Number, l => Num(l.LatencyMs), l => l.LatencyMs),
        new("connection_info.protocol_name", nameof(SecurityLog.Protocol), LogFieldKind.Text, l => l.Protocol),
        new("connection_info.direction_id", nameof(SecurityLog.DirectionId), LogFieldKind.Number, l => NumZeroAbsent(l.DirectionId), l => l.DirectionId),
        new("api.operation", nameof(SecurityLog.ApiOperation), LogFieldKind.Text, l => l.ApiOperation),
        new("api.service.name", nameof(SecurityLog.ApiService), LogFieldKind.Text, l => l.ApiService),
        new("api.response.error", nameof(SecurityLog.ApiErrorCode), LogFieldKind.Text, l => l.ApiErrorCode),
        new("api.response.error_message", nameof(SecurityLog.ApiErrorMessage), LogFieldKind.Text, l => l.ApiErrorMessage),
        new("actor.user.name", nameof(SecurityLog.ActorUserName), LogFieldKind.Text, l => l.ActorUserName),
        new("actor.user.uid", nameof(SecurityLog.ActorUserUid), LogFieldKind.Text, l => l.ActorUserUid),
        new("actor.user.type", nameof(SecurityLog.ActorUserType), LogFieldKind.Text, l => l.ActorUserType),
        new("actor.user.account.uid", nameof(SecurityLog.ActorAccountUid), LogFieldKind.Text, l => l.ActorAccountUid),
        new("actor.user.credential_uid", nameof(SecurityLog.ActorCredentialUid), LogFieldKind.Text, l => l.ActorCredentialUid),
        new("firewall_rule.uid", nameof(SecurityLog.FirewallRuleUid), LogFieldKind.Text, l => l.FirewallRuleUid),
        new("firewall_rule.type", nameof(SecurityLog.FirewallRuleType), LogFieldKind.Text, l => l.FirewallRuleType),
    ];

    private static readonly Dictionary<string, LogField> ByPath = All.ToDictionary(f => f.Path, StringComparer.Ordinal);

    public static bool TryGet(string path, out LogField field) => ByPath.TryGetValue(path, out field!);

    public static LogField Get(string path) =>
        ByPath.TryGetValue(path, out var field) ? field : throw new ArgumentException($"Unknown log field '{path}'.", nameof(path));
}
