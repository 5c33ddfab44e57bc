using System.Text.Json;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// Cloud Firewall traffic log rows (SLS, <c>__topic__: cloudfirewall_access_log</c>) → Network Activity (4001),
/// activity 6 Traffic, per cloud-protocols.md §3.2. Disposition from <c>rule_result</c>: pass → Allowed, drop →
/// Blocked (severity Low: policy doing its job), alert → Detected (severity Medium: an IPS match let through).
/// Direction in → Inbound (1), out → Outbound (2). No natural id: the uid is the record's position.
/// </summary>
internal sealed class AlibabaCloudFirewallNormalizer : ILogNormalizer
{
    private const string NoRule = "00000000-0000-0000-0000-000000000000";

    public LogProduct Product => LogProduct.AlibabaCloudFirewall;

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
            DateTimeOffset? start = null, receiveTime = null;
            string? srcIp = null, dstIp = null, protocol = null, aclRule = null, ipsRule = null, ruleSource = null, domain = null, account = null;
            int? srcPort = null, dstPort = null;
            var direction = 0;
            var disposition = OcsfDisposition.Unknown;

            while (fields.Ok && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlySpan<char> name = buffer[..JsonRecord.Name(ref reader, buffer)];
                reader.Read();
                switch (name)
                {
                    case "start_time": start = fields.Time(ref reader, "start_time"); break;
                    case "__time__": receiveTime = fields.Time(ref reader, "__time__"); break;
                    case "src_ip": srcIp = fields.Cached(ref reader, "src_ip"); break;
                    case "dst_ip": dstIp = fields.Cached(ref reader, "dst_ip"); break;
                    case "src_port": srcPort = fields.Int(ref reader, "src_port"); break;
                    case "dst_port": dstPort = fields.Int(ref reader, "dst_port"); break;
                    case "ip_protocol": protocol = fields.Cached(ref reader, "ip_protocol"); break;
                    case "acl_rule_id": aclRule = fields.Cached(ref reader, "acl_rule_id"); break;
                    case "ips_rule_id": ipsRule = fields.Cached(ref reader, "ips_rule_id"); break;
                    case "rule_source": ruleSource = fields.Cached(ref reader, "rule_source"); break;
                    case "domain": domain = fields.Cached(ref reader, "domain"); break;
                    case "aliuid": account = fields.Cached(ref reader, "aliuid"); break;
                    case "direction":
                        direction = reader.TokenType == JsonTokenType.String
                            ? reader.ValueTextEquals("in"u8) ? 1 : reader.ValueTextEquals("out"u8) ? 2 : 0
                            : 0;
                        reader.Skip();
                        break;
                    case "rule_result":
                        disposition = reader.TokenType != JsonTokenType.String ? OcsfDisposition.Unknown
                            : reader.ValueTextEquals("pass"u8) ? OcsfDisposition.Allowed
                            : reader.ValueTextEquals("drop"u8) ? OcsfDisposition.Blocked
                            : reader.ValueTextEquals("alert"u8) ? OcsfDisposition.Detected
                            : OcsfDisposition.Other;
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

            var time = start ?? receiveTime;
            if (time is null)
            {
                rejection = "missing required field 'start_time'";
                return false;
            }

            log = new SecurityLog
            {
                SourceId = context.SourceId,
                Uid = LogUid.For(null, record),
                Time = time.Value,
                ClassUid = OcsfClass.NetworkActivity,
                ActivityId = OcsfActivity.NetworkTraffic,
                SeverityId = disposition switch
                {
                    OcsfDisposition.Blocked => OcsfSeverity.Low,
                    OcsfDisposition.Detected => OcsfSeverity.Medium,
                    _ => OcsfSeverity.Informational,
                },
                DispositionId = disposition,
                ActionId = disposition switch
                {
                    OcsfDisposition.Blocked => 2,
                    OcsfDisposition.Allowed or OcsfDisposition.Detected => 1,
                    _ => 0,
                },
                Provider = context.Provider,
                AccountUid = account ?? context.AccountUid,
                Region = context.Region,
                Product = LogProduct.AlibabaCloudFirewall,
                LogName = context.LogName,
                SrcIp = srcIp,
                SrcPort = srcPort,
                DstIp = dstIp,
                DstPort = dstPort,
                DstHostname = domain,
                Protocol = protocol,
                DirectionId = direction,
                FirewallRuleUid = aclRule is not null && aclRule != NoRule ? aclRule : ipsRule,
                FirewallRuleType = ruleSource,
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
