using System.Globalization;
using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Tests.Support;

/// <summary>Normalised logs for store and search tests, shaped like WAF records.</summary>
public static class TestLogs
{
    public static SecurityLog Waf(long sourceId, string uid, DateTimeOffset time, string srcIp = "198.51.100.10", string path = "/index.php", string? query = null, int status = 200, OcsfDisposition disposition = OcsfDisposition.Allowed, string userAgent = "Mozilla/5.0") => new()
    {
        SourceId = sourceId,
        Uid = uid,
        Time = time,
        ClassUid = OcsfClass.HttpActivity,
        ActivityId = OcsfActivity.HttpGet,
        SeverityId = disposition == OcsfDisposition.Blocked ? OcsfSeverity.Medium : OcsfSeverity.Informational,
        DispositionId = disposition,
        ActionId = disposition == OcsfDisposition.Blocked ? 2 : 1,
        Provider = CloudProvider.AlibabaCloud,
        AccountUid = "5000000000000001",
        Region = "cn-hangzhou",
        Product = LogProduct.AlibabaWaf,
        LogName = "wafnew-logstore",
        SrcIp = srcIp,
        SrcPort = 53211,
        DstPort = 443,
        HttpMethod = "GET",
        UrlHostname = "shop.example.com",
        UrlPath = path,
        UrlQuery = query,
        UserAgent = userAgent,
        HttpRequestUid = uid,
        HttpStatus = status,
        LatencyMs = 3,
        Raw = Encoding.UTF8.GetBytes($$"""{"request_traceid":"{{uid}}","real_client_ip":"{{srcIp}}","request_path":"{{path}}","status":"{{status.ToString(CultureInfo.InvariantCulture)}}"}"""),
    };

    public static IReadOnlyList<SecurityLog> Many(long sourceId, int count, DateTimeOffset start, string prefix = "t") =>
        [.. Enumerable.Range(0, count).Select(i => Waf(sourceId, $"{prefix}{i:D6}", start.AddMilliseconds(i)))];
}
