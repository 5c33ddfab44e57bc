using System.Globalization;
using System.Text;
using System.Text.Json;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Infrastructure.Clouds.ThirdParty;

/// <summary>
/// Records pushed by third-party products that are already OCSF JSON: the attributes Ctdr keeps are read by their
/// OCSF paths (<c>class_uid</c>, <c>time</c> in Unix ms or ISO 8601, <c>severity_id</c>, <c>metadata.uid</c>,
/// <c>src_endpoint.ip</c>, <c>http_request.url.path</c>, <c>api.operation</c>, <c>actor.user.name</c>, ...). Only the
/// classes Ctdr models are accepted; anything else is rejected with the class named.
/// </summary>
internal sealed class OcsfNormalizer : ILogNormalizer
{
    public LogProduct Product => LogProduct.ThirdPartyOcsf;

    public bool TryNormalize(RawRecord record, LogContext context, out SecurityLog? log, out string? rejection)
    {
        ArgumentNullException.ThrowIfNull(context);
        log = null;
        var json = record.Json.Span;
        try
        {
            if (!JsonRecord.TryOpen(json, out var reader, out rejection))
            {
                return false;
            }

            var s = default(OcsfSink);
            Span<char> path = stackalloc char[JsonPaths.MaxPathLength];
            JsonPaths.Walk(ref reader, ref s, path, 0);
            rejection = s.Fields.Rejection ?? Validate(in s);
            if (rejection is not null)
            {
                return false;
            }

            log = new SecurityLog
            {
                SourceId = context.SourceId,
                Uid = LogUid.For(s.Uid, record),
                Time = s.Time!.Value,
                ClassUid = (OcsfClass)s.ClassUid!.Value,
                ActivityId = s.ActivityId ?? 0,
                SeverityId = (OcsfSeverity)(s.SeverityId ?? 0),
                StatusId = s.StatusId ?? 0,
                DispositionId = s.DispositionId is { } d ? Enum.IsDefined((OcsfDisposition)d) ? (OcsfDisposition)d : OcsfDisposition.Other : OcsfDisposition.Unknown,
                ActionId = s.ActionId ?? 0,
                Message = s.Message,
                Provider = context.Provider,
                AccountUid = s.AccountUid ?? context.AccountUid,
                Region = s.Region ?? context.Region,
                Product = LogProduct.ThirdPartyOcsf,
                LogName = s.LogName ?? context.LogName,
                SrcIp = s.SrcIp,
                SrcPort = s.SrcPort,
                SrcIntermediateIp = s.SrcIntermediateIp,
                DstIp = s.DstIp,
                DstPort = s.DstPort,
                DstHostname = s.DstHostname,
                HttpMethod = s.HttpMethod,
                UrlHostname = s.UrlHostname,
                UrlPath = s.UrlPath,
                UrlQuery = s.UrlQuery,
                UserAgent = s.UserAgent,
                XForwardedFor = s.XForwardedFor,
                HttpRequestUid = s.HttpRequestUid,
                HttpStatus = s.HttpStatus,
                LatencyMs = s.LatencyMs,
                Protocol = s.Protocol,
                DirectionId = s.DirectionId ?? 0,
                ApiOperation = s.ApiOperation,
                ApiService = s.ApiService,
                ApiErrorCode = s.ApiErrorCode,
                ApiErrorMessage = s.ApiErrorMessage,
                ActorUserName = s.ActorUserName,
                ActorUserUid = s.ActorUserUid,
                ActorUserType = s.ActorUserType,
                ActorAccountUid = s.ActorAccountUid,
                ActorCredentialUid = s.ActorCredentialUid,
                FirewallRuleUid = s.FirewallRuleUid,
                FirewallRuleType = s.FirewallRuleType,
                Raw = record.Json,
            };
            return true;
        }
        catch (JsonException exception)
        {
            rejection = JsonRecord.Describe(json, exception);
            return false;
        }
        catch (InvalidOperationException)
        {
            rejection = JsonRecord.InvalidUtf8;
            return false;
        }
    }

    private static string? Validate(in OcsfSink s)
    {
        if (s.ClassUid is null)
        {
            return "missing required field 'class_uid'";
        }

        if (!Enum.IsDefined((OcsfClass)s.ClassUid.Value))
        {
            var supported = string.Join(", ", Enum.GetValues<OcsfClass>().Select(c => ((int)c).ToString(CultureInfo.InvariantCulture)));
            return $"unsupported class_uid {s.ClassUid.Value.ToString(CultureInfo.InvariantCulture)} (supported: {supported})";
        }

        if (s.Time is null)
        {
            return "missing required field 'time'";
        }

        if (s.SeverityId is { } severity && !Enum.IsDefined((OcsfSeverity)severity))
        {
            return "field 'severity_id' is not an OCSF severity (0-6 or 99)";
        }

        return null;
    }

    private struct OcsfSink : IJsonLeafSink
    {
        public FieldReader Fields;
        public DateTimeOffset? Time;
        public int? ClassUid, ActivityId, SeverityId, StatusId, DispositionId, ActionId, SrcPort, DstPort, HttpStatus, LatencyMs, DirectionId;
        public string? Uid, Message, AccountUid, Region, LogName, SrcIp, SrcIntermediateIp, DstIp, DstHostname;
        public string? HttpMethod, UrlHostname, UrlPath, UrlQuery, UserAgent, XForwardedFor, HttpRequestUid, Protocol;
        public string? ApiOperation, ApiService, ApiErrorCode, ApiErrorMessage;
        public string? ActorUserName, ActorUserUid, ActorUserType, ActorAccountUid, ActorCredentialUid, FirewallRuleUid, FirewallRuleType;

        public readonly bool Ok => Fields.Ok;

        public bool Leaf(scoped ReadOnlySpan<char> path, ref Utf8JsonReader reader)
        {
            switch (path)
            {
                case "class_uid": ClassUid = Fields.Int(ref reader, "class_uid"); return true;
                case "activity_id": ActivityId = Fields.Int(ref reader, "activity_id"); return true;
                case "severity_id": SeverityId = Fields.Int(ref reader, "severity_id"); return true;
                case "status_id": StatusId = Fields.Int(ref reader, "status_id"); return true;
                case "disposition_id": DispositionId = Fields.Int(ref reader, "disposition_id"); return true;
                case "action_id": ActionId = Fields.Int(ref reader, "action_id"); return true;
                case "time": Time = Fields.Time(ref reader, "time"); return true;
                case "message": Message = Fields.Text(ref reader, "message"); return true;
                case "metadata.uid": Uid = Fields.Text(ref reader, "metadata.uid"); return true;
                case "metadata.log_name": LogName = Fields.Cached(ref reader, "metadata.log_name"); return true;
                case "cloud.account.uid": AccountUid = Fields.Cached(ref reader, "cloud.account.uid"); return true;
                case "cloud.region": Region = Fields.Cached(ref reader, "cloud.region"); return true;
                case "src_endpoint.ip": SrcIp = Fields.Cached(ref reader, "src_endpoint.ip"); return true;
                case "src_endpoint.port": SrcPort = Fields.Int(ref reader, "src_endpoint.port"); return true;
                case "src_endpoint.intermediate_ips": SrcIntermediateIp = FirstOrJoined(ref reader, "src_endpoint.intermediate_ips", first: true); return true;
                case "dst_endpoint.ip": DstIp = Fields.Cached(ref reader, "dst_endpoint.ip"); return true;
                case "dst_endpoint.port": DstPort = Fields.Int(ref reader, "dst_endpoint.port"); return true;
                case "dst_endpoint.hostname": DstHostname = Fields.Cached(ref reader, "dst_endpoint.hostname"); return true;
                case "http_request.http_method": HttpMethod = Fields.HttpMethod(ref reader, "http_request.http_method"); return true;
                case "http_request.url.hostname": UrlHostname = Fields.Cached(ref reader, "http_request.url.hostname"); return true;
                case "http_request.url.path": UrlPath = Fields.Text(ref reader, "http_request.url.path"); return true;
                case "http_request.url.query_string": UrlQuery = Fields.Text(ref reader, "http_request.url.query_string"); return true;
                case "http_request.user_agent": UserAgent = Fields.Cached(ref reader, "http_request.user_agent"); return true;
                case "http_request.uid": HttpRequestUid = Fields.Text(ref reader, "http_request.uid"); return true;
                case "http_request.x_forwarded_for": XForwardedFor = FirstOrJoined(ref reader, "http_request.x_forwarded_for", first: false); return true;
                case "http_response.code": HttpStatus = Fields.Int(ref reader, "http_response.code"); return true;
                case "http_response.latency": LatencyMs = Fields.Int(ref reader, "http_response.latency"); return true;
                case "connection_info.protocol_name": Protocol = Fields.Cached(ref reader, "connection_info.protocol_name"); return true;
                case "connection_info.direction_id": DirectionId = Fields.Int(ref reader, "connection_info.direction_id"); return true;
                case "api.operation": ApiOperation = Fields.Cached(ref reader, "api.operation"); return true;
                case "api.service.name": ApiService = Fields.Cached(ref reader, "api.service.name"); return true;
                case "api.response.error": ApiErrorCode = Fields.Cached(ref reader, "api.response.error"); return true;
                case "api.response.error_message": ApiErrorMessage = Fields.Text(ref reader, "api.response.error_message"); return true;
                case "actor.user.name": ActorUserName = Fields.Cached(ref reader, "actor.user.name"); return true;
                case "actor.user.uid": ActorUserUid = Fields.Cached(ref reader, "actor.user.uid"); return true;
                case "actor.user.type": ActorUserType = Fields.Cached(ref reader, "actor.user.type"); return true;
                case "actor.user.account.uid": ActorAccountUid = Fields.Cached(ref reader, "actor.user.account.uid"); return true;
                case "actor.user.credential_uid": ActorCredentialUid = Fields.Cached(ref reader, "actor.user.credential_uid"); return true;
                case "firewall_rule.uid": FirewallRuleUid = Fields.Cached(ref reader, "firewall_rule.uid"); return true;
                case "firewall_rule.type": FirewallRuleType = Fields.Cached(ref reader, "firewall_rule.type"); return true;
                default: return false;
            }
        }

        /// <summary>A string, or an array of strings: its first element, or all of them joined with ", ".</summary>
        private string? FirstOrJoined(ref Utf8JsonReader reader, string field, bool first)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return Fields.Cached(ref reader, field);
            }

            StringBuilder? joined = null;
            string? result = null;
            while (Fields.Ok && reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var item = Fields.Text(ref reader, field);
                if (item is null)
                {
                    continue;
                }

                if (result is null)
                {
                    result = item;
                }
                else if (!first)
                {
                    joined ??= new StringBuilder(result);
                    joined.Append(", ").Append(item);
                }
            }

            return joined?.ToString() ?? result;
        }
    }
}
