using System.Text.Json;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Infrastructure.Clouds.Huawei;

/// <summary>
/// Huawei Cloud WAF logs from LTS (cloud-protocols.md §4.1) → HTTP Activity (4002). Attack logs carry
/// <c>action</c>: block → Blocked, captcha → Captcha, log → Detected; access logs (fields prefixed
/// <c>access_log.</c>, no action) are Allowed. Severity Medium when blocked, else Informational. Time from
/// <c>time_iso8601</c>, else <c>time</c> (Unix s/ms). Uid = <c>requestid</c>, <c>reqid</c> or <c>id</c>.
/// </summary>
internal sealed class HuaweiWafNormalizer : ILogNormalizer
{
    public LogProduct Product => LogProduct.HuaweiWaf;

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

            var fields = default(FieldReader);
            Span<char> buffer = stackalloc char[64];
            DateTimeOffset? iso = null, time = null;
            string? requestId = null, reqId = null, id = null, method = null, host = null, httpHost = null, uri = null, query = null;
            string? clientIp = null, remoteIp = null, forwardedFor = null, userAgent = null, rule = null, attack = null, project = null;
            int? status = null, upstreamStatus = null, srcPort = null, dstPort = null;
            var disposition = OcsfDisposition.Allowed;

            while (fields.Ok && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlySpan<char> name = buffer[..JsonRecord.Name(ref reader, buffer)];
                if (name.StartsWith("access_log."))
                {
                    name = name[11..];
                }

                reader.Read();
                switch (name)
                {
                    case "time_iso8601": iso = fields.Time(ref reader, "time_iso8601"); break;
                    case "time": time = fields.Time(ref reader, "time"); break;
                    case "requestid": requestId = fields.Text(ref reader, "requestid"); break;
                    case "reqid": reqId = fields.Text(ref reader, "reqid"); break;
                    case "id": id = fields.Text(ref reader, "id"); break;
                    case "method": method = fields.HttpMethod(ref reader, "method"); break;
                    case "host": host = fields.Cached(ref reader, "host"); break;
                    case "http_host": httpHost = fields.Cached(ref reader, "http_host"); break;
                    case "uri": uri = fields.Text(ref reader, "uri"); break;
                    case "params": query = fields.Text(ref reader, "params"); break;
                    case "sip": clientIp = fields.Cached(ref reader, "sip"); break;
                    case "remote_ip": remoteIp = fields.Cached(ref reader, "remote_ip"); break;
                    case "sport": srcPort = fields.Int(ref reader, "sport"); break;
                    case "hport": dstPort = fields.Int(ref reader, "hport"); break;
                    case "status": status = fields.Int(ref reader, "status"); break;
                    case "upstream_status": upstreamStatus = fields.Int(ref reader, "upstream_status"); break;
                    case "x_forwarded_for": forwardedFor = fields.Cached(ref reader, "x_forwarded_for"); break;
                    case "user_agent": userAgent = fields.Cached(ref reader, "user_agent"); break;
                    case "rule": rule = fields.Cached(ref reader, "rule"); break;
                    case "attack": attack = fields.Cached(ref reader, "attack"); break;
                    case "projectid": project = fields.Cached(ref reader, "projectid"); break;
                    case "action":
                        disposition = reader.TokenType != JsonTokenType.String ? OcsfDisposition.Allowed
                            : reader.ValueTextEquals("block"u8) ? OcsfDisposition.Blocked
                            : reader.ValueTextEquals("captcha"u8) ? OcsfDisposition.Captcha
                            : reader.ValueTextEquals("log"u8) ? OcsfDisposition.Detected
                            : OcsfDisposition.Allowed;
                        reader.Skip();
                        break;
                    default: reader.Skip(); break;
                }
            }

            if (!fields.Ok)
            {
                rejection = fields.Rejection;
                return false;
            }

            var when = iso ?? time;
            if (when is null)
            {
                rejection = "missing required field 'time'";
                return false;
            }

            var blocked = disposition == OcsfDisposition.Blocked;
            var naturalId = requestId ?? reqId ?? id;
            log = new SecurityLog
            {
                SourceId = context.SourceId,
                Uid = LogUid.For(naturalId, record),
                Time = when.Value,
                ClassUid = OcsfClass.HttpActivity,
                ActivityId = method is null ? OcsfActivity.Other : OcsfActivity.FromHttpMethod(method),
                SeverityId = blocked ? OcsfSeverity.Medium : OcsfSeverity.Informational,
                DispositionId = disposition,
                ActionId = blocked ? 2 : disposition is OcsfDisposition.Allowed or OcsfDisposition.Detected ? 1 : 0,
                Provider = context.Provider,
                AccountUid = context.AccountUid ?? project,
                Region = context.Region,
                Product = LogProduct.HuaweiWaf,
                LogName = context.LogName,
                SrcIp = clientIp ?? remoteIp,
                SrcPort = srcPort,
                DstPort = dstPort,
                HttpMethod = method,
                UrlHostname = host ?? httpHost,
                UrlPath = uri,
                UrlQuery = query,
                UserAgent = userAgent,
                XForwardedFor = forwardedFor,
                HttpRequestUid = naturalId,
                HttpStatus = status ?? upstreamStatus,
                FirewallRuleUid = rule,
                FirewallRuleType = attack,
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
}
