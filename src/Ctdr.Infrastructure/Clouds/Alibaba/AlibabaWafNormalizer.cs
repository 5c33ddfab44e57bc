using System.Text.Json;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// WAF 3.0 access and protection log rows (SLS, <c>__topic__: waf_access_log</c>) → HTTP Activity (4002), per
/// cloud-protocols.md §3.1 and the §5.3 mapping: disposition from <c>final_action</c> (block → Blocked,
/// captcha/captcha_strict → Captcha, js/sigchl → Challenge), otherwise Detected when a module ran in observe mode
/// (<c>*_test=true</c>), otherwise Allowed; severity Medium when blocked, else Informational. Uid = <c>request_traceid</c>.
/// </summary>
internal sealed class AlibabaWafNormalizer : ILogNormalizer
{
    public LogProduct Product => LogProduct.AlibabaWaf;

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
            DateTimeOffset? time = null, receiveTime = null;
            string? traceId = null, method = null, host = null, matchedHost = null, path = null, query = null, userAgent = null;
            string? forwardedFor = null, clientIp = null, remoteAddr = null, ruleId = null, ruleType = null, plugin = null, userId = null;
            int? status = null, latency = null, remotePort = null, dstPort = null;
            var disposition = OcsfDisposition.Allowed;
            var observed = false;

            while (fields.Ok && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlySpan<char> name = buffer[..JsonRecord.Name(ref reader, buffer)];
                reader.Read();
                switch (name)
                {
                    case "time": time = fields.Time(ref reader, "time"); break;
                    case "__time__": receiveTime = fields.Time(ref reader, "__time__"); break;
                    case "request_traceid": traceId = fields.Text(ref reader, "request_traceid"); break;
                    case "request_method": method = fields.HttpMethod(ref reader, "request_method"); break;
                    case "host": host = fields.Cached(ref reader, "host"); break;
                    case "matched_host": matchedHost = fields.Cached(ref reader, "matched_host"); break;
                    case "request_path": path = fields.Text(ref reader, "request_path"); break;
                    case "querystring": query = fields.Text(ref reader, "querystring"); break;
                    case "http_user_agent": userAgent = fields.Cached(ref reader, "http_user_agent"); break;
                    case "http_x_forwarded_for": forwardedFor = fields.Cached(ref reader, "http_x_forwarded_for"); break;
                    case "real_client_ip": clientIp = fields.Cached(ref reader, "real_client_ip"); break;
                    case "remote_addr": remoteAddr = fields.Cached(ref reader, "remote_addr"); break;
                    case "remote_port": remotePort = fields.Int(ref reader, "remote_port"); break;
                    case "dst_port": dstPort = fields.Int(ref reader, "dst_port"); break;
                    case "server_port": dstPort ??= fields.Int(ref reader, "server_port"); break;
                    case "status": status = fields.Int(ref reader, "status"); break;
                    case "request_time_msec": latency = fields.Int(ref reader, "request_time_msec"); break;
                    case "final_action": disposition = FinalAction(ref reader); break;
                    case "final_plugin": plugin = fields.Cached(ref reader, "final_plugin"); break;
                    case "final_rule_id": ruleId = fields.Cached(ref reader, "final_rule_id"); break;
                    case "final_rule_type": ruleType = fields.Cached(ref reader, "final_rule_type"); break;
                    case "user_id": userId = fields.Cached(ref reader, "user_id"); break;
                    case "owner_id": userId ??= fields.Cached(ref reader, "owner_id"); break;
                    default:
                        if (name.EndsWith("_test") && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("true"u8))
                        {
                            observed = true;
                        }
                        else
                        {
                            reader.Skip();
                        }

                        break;
                }
            }

            if (!fields.Ok)
            {
                rejection = fields.Rejection;
                return false;
            }

            time ??= receiveTime;
            if (time is null)
            {
                rejection = "missing required field 'time'";
                return false;
            }

            if (disposition == OcsfDisposition.Allowed && observed)
            {
                disposition = OcsfDisposition.Detected;
            }

            var blocked = disposition == OcsfDisposition.Blocked;
            var uid = LogUid.For(traceId, record);
            log = new SecurityLog
            {
                SourceId = context.SourceId,
                Uid = uid,
                Time = time.Value,
                ClassUid = OcsfClass.HttpActivity,
                ActivityId = method is null ? OcsfActivity.Other : OcsfActivity.FromHttpMethod(method),
                SeverityId = blocked ? OcsfSeverity.Medium : OcsfSeverity.Informational,
                DispositionId = disposition,
                ActionId = blocked ? 2 : disposition is OcsfDisposition.Allowed or OcsfDisposition.Detected ? 1 : 0,
                Provider = context.Provider,
                AccountUid = userId ?? context.AccountUid,
                Region = context.Region,
                Product = LogProduct.AlibabaWaf,
                LogName = context.LogName,
                SrcIp = clientIp ?? remoteAddr,
                SrcPort = remotePort,
                SrcIntermediateIp = clientIp is not null && remoteAddr is not null && !string.Equals(clientIp, remoteAddr, StringComparison.Ordinal) ? remoteAddr : null,
                DstPort = dstPort,
                DstHostname = matchedHost,
                HttpMethod = method,
                UrlHostname = host,
                UrlPath = path,
                UrlQuery = query,
                UserAgent = userAgent,
                XForwardedFor = forwardedFor,
                HttpRequestUid = traceId,
                HttpStatus = status,
                LatencyMs = latency,
                FirewallRuleUid = ruleId,
                FirewallRuleType = ruleType ?? plugin,
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

    private static OcsfDisposition FinalAction(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return OcsfDisposition.Allowed;
        }

        if (reader.ValueTextEquals("block"u8))
        {
            return OcsfDisposition.Blocked;
        }

        if (reader.ValueSpan.StartsWith("captcha"u8))
        {
            return OcsfDisposition.Captcha;
        }

        if (reader.ValueTextEquals("js"u8) || reader.ValueTextEquals("sigchl"u8))
        {
            return OcsfDisposition.Challenge;
        }

        return OcsfDisposition.Allowed;
    }
}
