using System.Text.Json;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Infrastructure.Clouds.Tencent;

/// <summary>
/// Tencent Cloud WAF access/attack logs from CLS (<c>LogJson</c>, cloud-protocols.md §4.2) → HTTP Activity (4002).
/// Client IP <c>client</c>, host <c>domain</c>, path <c>url</c>, query <c>query</c>; time from <c>timestamp</c> (ISO 8601),
/// else <c>time</c>. Disposition from <c>action</c>: block/intercept/deny → Blocked, captcha → Captcha, observe/log →
/// Detected, else Allowed. Uid = <c>uuid</c> (or <c>id</c>), else the record's CLS position.
/// </summary>
internal sealed class TencentWafNormalizer : ILogNormalizer
{
    public LogProduct Product => LogProduct.TencentWaf;

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
            DateTimeOffset? iso = null, unixTime = null;
            string? timeText = null;
            string? uuid = null, id = null, method = null, domain = null, url = null, query = null, client = null;
            string? forwardedFor = null, userAgent = null, ruleId = null, attackType = null, appId = null;
            int? status = null, srcPort = null, dstPort = null;
            var disposition = OcsfDisposition.Allowed;

            while (fields.Ok && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlySpan<char> name = buffer[..JsonRecord.Name(ref reader, buffer)];
                reader.Read();
                switch (name)
                {
                    case "timestamp": iso = fields.Time(ref reader, "timestamp"); break;
                    case "time":
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            timeText = fields.Text(ref reader, "time");
                        }
                        else
                        {
                            unixTime = fields.Time(ref reader, "time");
                        }

                        break;
                    case "uuid": uuid = fields.Text(ref reader, "uuid"); break;
                    case "id": id = fields.Text(ref reader, "id"); break;
                    case "method": method = fields.HttpMethod(ref reader, "method"); break;
                    case "domain": domain = fields.Cached(ref reader, "domain"); break;
                    case "url": url = fields.Text(ref reader, "url"); break;
                    case "query": query = fields.Text(ref reader, "query"); break;
                    case "client": client = fields.Cached(ref reader, "client"); break;
                    case "client_port": srcPort = fields.Int(ref reader, "client_port"); break;
                    case "server_port": dstPort = fields.Int(ref reader, "server_port"); break;
                    case "status": status = fields.Int(ref reader, "status"); break;
                    case "x_forwarded_for": forwardedFor = fields.Cached(ref reader, "x_forwarded_for"); break;
                    case "user_agent": userAgent = fields.Cached(ref reader, "user_agent"); break;
                    case "rule_id": ruleId = fields.Cached(ref reader, "rule_id"); break;
                    case "attack_type": attackType = fields.Cached(ref reader, "attack_type"); break;
                    case "appid": appId = fields.Cached(ref reader, "appid"); break;
                    case "action":
                        disposition = reader.TokenType != JsonTokenType.String ? OcsfDisposition.Allowed
                            : reader.ValueTextEquals("block"u8) || reader.ValueTextEquals("intercept"u8) || reader.ValueTextEquals("deny"u8) ? OcsfDisposition.Blocked
                            : reader.ValueTextEquals("captcha"u8) ? OcsfDisposition.Captcha
                            : reader.ValueTextEquals("observe"u8) || reader.ValueTextEquals("log"u8) ? OcsfDisposition.Detected
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

            var when = iso ?? unixTime ?? ParseTime(timeText);
            if (when is null)
            {
                rejection = timeText is null
                    ? "missing required field 'timestamp'"
                    : "field 'time' is not a time (ISO 8601 or nginx 'dd/MMM/yyyy:HH:mm:ss +zzzz') and 'timestamp' is missing";
                return false;
            }

            var blocked = disposition == OcsfDisposition.Blocked;
            var naturalId = uuid ?? id;
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
                AccountUid = appId ?? context.AccountUid,
                Region = context.Region,
                Product = LogProduct.TencentWaf,
                LogName = context.LogName,
                SrcIp = client,
                SrcPort = srcPort,
                DstPort = dstPort,
                HttpMethod = method,
                UrlHostname = domain,
                UrlPath = url,
                UrlQuery = query,
                UserAgent = userAgent,
                XForwardedFor = forwardedFor,
                HttpRequestUid = naturalId,
                HttpStatus = status,
                FirewallRuleUid = ruleId,
                FirewallRuleType = attackType,
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

    private static readonly string[] TimeFormats = ["dd/MMM/yyyy:HH:mm:ss zzz", "dd/MMM/yyyy:HH:mm:ss zzzz", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFK", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>The <c>time</c> field as WAF access logs write it: nginx's <c>$time_local</c> ("24/Jun/2021:18:04:48 +0800") or ISO 8601.</summary>
    private static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // nginx writes the offset as +0800; .NET's zzz wants +08:00.
        var value = text.Trim();
        if (value.All(char.IsAsciiDigit) && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var unix))
        {
            const long MaxMilliseconds = 253_402_300_799_999;
            return unix switch
            {
                >= 100_000_000_000 and <= MaxMilliseconds => DateTimeOffset.FromUnixTimeMilliseconds(unix),
                < 100_000_000_000 => DateTimeOffset.FromUnixTimeSeconds(unix),
                _ => null,
            };
        }

        if (value.Length > 5 && (value[^5] is '+' or '-') && char.IsAsciiDigit(value[^1]))
        {
            value = string.Concat(value.AsSpan(0, value.Length - 2), ":", value.AsSpan(value.Length - 2));
        }

        return DateTimeOffset.TryParseExact(value, TimeFormats, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : null;
    }
}
