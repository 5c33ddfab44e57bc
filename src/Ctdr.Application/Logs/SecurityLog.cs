using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Logs;

/// <summary>
/// One normalised log record, shaped after OCSF (architecture.md "The log model"). Immutable. Members map to
/// the dotted OCSF paths listed in <see cref="SecurityLogFields"/>, which rules and searches use. The original
/// record is kept as UTF-8 JSON in <see cref="Raw"/>; provider fields that have no OCSF home stay there.
/// </summary>
public sealed record SecurityLog
{
    /// <summary>The log source the record came from.</summary>
    public long SourceId { get; init; }

    /// <summary><c>metadata.uid</c>: the record's unique id at its source (WAF trace id, event id, ...). With <see cref="SourceId"/> it de-duplicates.</summary>
    public required string Uid { get; init; }

    /// <summary><c>time</c>: when the event happened (UTC).</summary>
    public DateTimeOffset Time { get; init; }

    public OcsfClass ClassUid { get; init; }

    public int ActivityId { get; init; }

    public OcsfSeverity SeverityId { get; init; } = OcsfSeverity.Informational;

    /// <summary><c>status_id</c>: 1 Success, 2 Failure, 0 Unknown.</summary>
    public int StatusId { get; init; }

    public OcsfDisposition DispositionId { get; init; }

    /// <summary><c>action_id</c>: 1 Allowed, 2 Denied, 0 Unknown.</summary>
    public int ActionId { get; init; }

    public string? Message { get; init; }

    // cloud
    public CloudProvider Provider { get; init; }

    public string? AccountUid { get; init; }

    public string? Region { get; init; }

    // metadata
    public LogProduct Product { get; init; }

    /// <summary><c>metadata.log_name</c>: the logstore, stream or topic.</summary>
    public string? LogName { get; init; }

    // src_endpoint / dst_endpoint
    public string? SrcIp { get; init; }

    public int? SrcPort { get; init; }

    /// <summary><c>src_endpoint.intermediate_ips</c>: the TCP peer when it differs from the client (a proxy).</summary>
    public string? SrcIntermediateIp { get; init; }

    public string? DstIp { get; init; }

    public int? DstPort { get; init; }

    public string? DstHostname { get; init; }

    // http_request / http_response
    public string? HttpMethod { get; init; }

    public string? UrlHostname { get; init; }

    public string? UrlPath { get; init; }

    public string? UrlQuery { get; init; }

    public string? UserAgent { get; init; }

    public string? XForwardedFor { get; init; }

    public string? HttpRequestUid { get; init; }

    public int? HttpStatus { get; init; }

    public int? LatencyMs { get; init; }

    // connection_info
    public string? Protocol { get; init; }

    /// <summary><c>connection_info.direction_id</c>: 1 Inbound, 2 Outbound, 0 Unknown.</summary>
    public int DirectionId { get; init; }

    // api
    public string? ApiOperation { get; init; }

    public string? ApiService { get; init; }

    public string? ApiErrorCode { get; init; }

    public string? ApiErrorMessage { get; init; }

    // actor
    public string? ActorUserName { get; init; }

    public string? ActorUserUid { get; init; }

    public string? ActorUserType { get; init; }

    public string? ActorAccountUid { get; init; }

    public string? ActorCredentialUid { get; init; }

    // firewall_rule
    public string? FirewallRuleUid { get; init; }

    public string? FirewallRuleType { get; init; }

    /// <summary><c>raw_data</c>: the original record as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Raw { get; init; }
}
