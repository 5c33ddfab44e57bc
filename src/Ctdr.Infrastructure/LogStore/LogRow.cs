namespace Ctdr.Infrastructure.LogStore;

/// <summary>
/// A stored <see cref="Application.Logs.SecurityLog"/>: one row of the <c>SecurityLogs</c> table. EF Core maps it
/// for migrations and reads; writes go through the bulk path of <see cref="ILogStoreWriter"/> implementations,
/// which must list the same columns (<see cref="LogColumns"/>).
/// </summary>
public sealed class LogRow
{
    public long Id { get; set; }

    public long SourceId { get; set; }

    public string Uid { get; set; } = string.Empty;

    public DateTimeOffset Time { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public int ClassUid { get; set; }

    public int ActivityId { get; set; }

    public int SeverityId { get; set; }

    public int StatusId { get; set; }

    public int DispositionId { get; set; }

    public int ActionId { get; set; }

    public string? Message { get; set; }

    public string Provider { get; set; } = string.Empty;

    public string? AccountUid { get; set; }

    public string? Region { get; set; }

    public string Product { get; set; } = string.Empty;

    public string? LogName { get; set; }

    public string? SrcIp { get; set; }

    public int? SrcPort { get; set; }

    public string? SrcIntermediateIp { get; set; }

    public string? DstIp { get; set; }

    public int? DstPort { get; set; }

    public string? DstHostname { get; set; }

    public string? HttpMethod { get; set; }

    public string? UrlHostname { get; set; }

    public string? UrlPath { get; set; }

    public string? UrlQuery { get; set; }

    public string? UserAgent { get; set; }

    public string? XForwardedFor { get; set; }

    public string? HttpRequestUid { get; set; }

    public int? HttpStatus { get; set; }

    public int? LatencyMs { get; set; }

    public string? Protocol { get; set; }

    public int DirectionId { get; set; }

    public string? ApiOperation { get; set; }

    public string? ApiService { get; set; }

    public string? ApiErrorCode { get; set; }

    public string? ApiErrorMessage { get; set; }

    public string? ActorUserName { get; set; }

    public string? ActorUserUid { get; set; }

    public string? ActorUserType { get; set; }

    public string? ActorAccountUid { get; set; }

    public string? ActorCredentialUid { get; set; }

    public string? FirewallRuleUid { get; set; }

    public string? FirewallRuleType { get; set; }

    public string Raw { get; set; } = string.Empty;
}
