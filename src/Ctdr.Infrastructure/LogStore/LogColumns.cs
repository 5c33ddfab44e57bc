using Ctdr.Application.Logs;

namespace Ctdr.Infrastructure.LogStore;

/// <summary>
/// The columns of <c>SecurityLogs</c> written by the bulk path, with their size caps and how each value is taken
/// from a <see cref="SecurityLog"/>. Text longer than its column's cap is cut (the raw record keeps it all).
/// </summary>
internal static class LogColumns
{
    public const int IpLength = 45;
    public const int ShortLength = 128;
    public const int NameLength = 256;
    public const int PathLength = 2048;
    public const int QueryLength = 4096;
    public const int MessageLength = 2048;

    /// <summary>Column name, cap (0 = none) and value getter, in insert order. <c>Id</c> is generated; <c>ReceivedAt</c> comes from the batch.</summary>
    public static IReadOnlyList<(string Name, int Cap, Func<SecurityLog, object?> Value)> Mapped { get; } =
    [
        (nameof(LogRow.SourceId), 0, l => l.SourceId),
        (nameof(LogRow.Uid), ShortLength, l => l.Uid),
        (nameof(LogRow.ClassUid), 0, l => (int)l.ClassUid),
        (nameof(LogRow.ActivityId), 0, l => l.ActivityId),
        (nameof(LogRow.SeverityId), 0, l => (int)l.SeverityId),
        (nameof(LogRow.StatusId), 0, l => l.StatusId),
        (nameof(LogRow.DispositionId), 0, l => (int)l.DispositionId),
        (nameof(LogRow.ActionId), 0, l => l.ActionId),
        (nameof(LogRow.Message), MessageLength, l => l.Message),
        (nameof(LogRow.Provider), 0, l => l.Provider.ToString()),
        (nameof(LogRow.AccountUid), ShortLength, l => l.AccountUid),
        (nameof(LogRow.Region), ShortLength, l => l.Region),
        (nameof(LogRow.Product), 0, l => l.Product.ToString()),
        (nameof(LogRow.LogName), NameLength, l => l.LogName),
        (nameof(LogRow.SrcIp), IpLength, l => l.SrcIp),
        (nameof(LogRow.SrcPort), 0, l => l.SrcPort),
        (nameof(LogRow.SrcIntermediateIp), IpLength, l => l.SrcIntermediateIp),
        (nameof(LogRow.DstIp), IpLength, l => l.DstIp),
        (nameof(LogRow.DstPort), 0, l => l.DstPort),
        (nameof(LogRow.DstHostname), NameLength, l => l.DstHostname),
        (nameof(LogRow.HttpMethod), 16, l => l.HttpMethod),
        (nameof(LogRow.UrlHostname), NameLength, l => l.UrlHostname),
        (nameof(LogRow.UrlPath), PathLength, l => l.UrlPath),
        (nameof(LogRow.UrlQuery), QueryLength, l => l.UrlQuery),
        (nameof(LogRow.UserAgent), PathLength, l => l.UserAgent),
        (nameof(LogRow.XForwardedFor), NameLength, l => l.XForwardedFor),
        (nameof(LogRow.HttpRequestUid), ShortLength, l => l.HttpRequestUid),
        (nameof(LogRow.HttpStatus), 0, l => l.HttpStatus),
        (nameof(LogRow.LatencyMs), 0, l => l.LatencyMs),
        (nameof(LogRow.Protocol), 32, l => l.Protocol),
        (nameof(LogRow.DirectionId), 0, l => l.DirectionId),
        (nameof(LogRow.ApiOperation), NameLength, l => l.ApiOperation),
        (nameof(LogRow.ApiService), NameLength, l => l.ApiService),
        (nameof(LogRow.ApiErrorCode), NameLength, l => l.ApiErrorCode),
        (nameof(LogRow.ApiErrorMessage), MessageLength, l => l.ApiErrorMessage),
        (nameof(LogRow.ActorUserName), NameLength, l => l.ActorUserName),
        (nameof(LogRow.ActorUserUid), NameLength, l => l.ActorUserUid),
        (nameof(LogRow.ActorUserType), 64, l => l.ActorUserType),
        (nameof(LogRow.ActorAccountUid), ShortLength, l => l.ActorAccountUid),
        (nameof(LogRow.ActorCredentialUid), ShortLength, l => l.ActorCredentialUid),
        (nameof(LogRow.FirewallRuleUid), ShortLength, l => l.FirewallRuleUid),
        (nameof(LogRow.FirewallRuleType), ShortLength, l => l.FirewallRuleType),
    ];

    /// <summary>A value ready for a parameter: text cut to its cap, null as DBNull.</summary>
    public static object Prepare(object? value, int cap) => value switch
    {
        null => DBNull.Value,
        string text when cap > 0 && text.Length > cap => text[..cap],
        _ => value,
    };
}
