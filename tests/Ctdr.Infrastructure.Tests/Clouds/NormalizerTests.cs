using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Infrastructure.Clouds.Alibaba;
using Ctdr.Infrastructure.Clouds.Huawei;
using Ctdr.Infrastructure.Clouds.Tencent;
using Ctdr.Infrastructure.Clouds.ThirdParty;

namespace Ctdr.Infrastructure.Tests.Clouds;

public sealed class NormalizerTests
{
    private static readonly LogContext Alibaba = new(7, CloudProvider.AlibabaCloud, "1335759343513432", "cn-hangzhou", "wafnew-logstore");

    // cloud-protocols.md §3.1 sample row.
    private const string WafRow = """
        {"__time__":"1740989000","__topic__":"waf_access_log","__source__":"",
         "time":"2025-03-03T16:03:20+08:00","user_id":"1335759343513432","region":"cn","host":"shop.example.com",
         "matched_host":"shop.example.com","request_method":"GET","request_path":"/index.php",
         "querystring":"id=1%20union%20select%201,2","request_uri":"/index.php?id=1%20union%20select%201,2",
         "real_client_ip":"203.0.113.7","remote_addr":"203.0.113.7","remote_port":"53211","https":"on",
         "http_user_agent":"sqlmap/1.7.2#stable (https://sqlmap.org)","http_x_forwarded_for":"-","http_referer":"-",
         "status":"405","upstream_status":"-","request_time_msec":"1","request_length":"411","body_bytes_sent":"0",
         "request_traceid":"781bad0617409890000504374e7496","server_protocol":"HTTP/1.1","dst_port":"443",
         "final_action":"block","final_plugin":"waf","final_rule_id":"115341","final_rule_type":"sqli",
         "waf_action":"block","waf_rule_id":"115341","waf_rule_type":"sqli","waf_test":"false"}
        """;

    private static RawRecord Raw(string json, string? position = "0:MTAw:0:0") => new(Encoding.UTF8.GetBytes(json), position);

    private static SecurityLog Normalize(ILogNormalizer normalizer, string json, LogContext? context = null, string? position = "0:MTAw:0:0")
    {
        var record = Raw(json, position);
        var ok = normalizer.TryNormalize(record, context ?? Alibaba, out var log, out var rejection);
        Assert.True(ok, rejection);
        Assert.Null(rejection);
        Assert.True(record.Json.Equals(log!.Raw), "Raw must be the input memory, not a copy");
        return log;
    }

    private static string Reject(ILogNormalizer normalizer, string json)
    {
        Assert.False(normalizer.TryNormalize(Raw(json), Alibaba, out var log, out var rejection));
        Assert.Null(log);
        return rejection!;
    }

    [Fact]
    public void AlibabaWaf_MapsEveryField_WhenRowIsBlocked()
    {
        var log = Normalize(new AlibabaWafNormalizer(), WafRow);

        Assert.Equal(7, log.SourceId);
        Assert.Equal("781bad0617409890000504374e7496", log.Uid);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 8, 3, 20, TimeSpan.Zero), log.Time);
        Assert.Equal(TimeSpan.Zero, log.Time.Offset);
        Assert.Equal(OcsfClass.HttpActivity, log.ClassUid);
        Assert.Equal(OcsfActivity.HttpGet, log.ActivityId);
        Assert.Equal(OcsfSeverity.Medium, log.SeverityId);
        Assert.Equal(OcsfDisposition.Blocked, log.DispositionId);
        Assert.Equal(2, log.ActionId);
        Assert.Equal(0, log.StatusId);
        Assert.Equal(CloudProvider.AlibabaCloud, log.Provider);
        Assert.Equal("1335759343513432", log.AccountUid);
        Assert.Equal("cn-hangzhou", log.Region);
        Assert.Equal(LogProduct.AlibabaWaf, log.Product);
        Assert.Equal("wafnew-logstore", log.LogName);
        Assert.Equal("203.0.113.7", log.SrcIp);
        Assert.Equal(53211, log.SrcPort);
        Assert.Null(log.SrcIntermediateIp);
        Assert.Null(log.DstIp);
        Assert.Equal(443, log.DstPort);
        Assert.Equal("shop.example.com", log.DstHostname);
        Assert.Equal("GET", log.HttpMethod);
        Assert.Equal("shop.example.com", log.UrlHostname);
        Assert.Equal("/index.php", log.UrlPath);
        Assert.Equal("id=1%20union%20select%201,2", log.UrlQuery);
        Assert.Equal("sqlmap/1.7.2#stable (https://sqlmap.org)", log.UserAgent);
        Assert.Null(log.XForwardedFor);
        Assert.Equal("781bad0617409890000504374e7496", log.HttpRequestUid);
        Assert.Equal(405, log.HttpStatus);
        Assert.Equal(1, log.LatencyMs);
        Assert.Equal("115341", log.FirewallRuleUid);
        Assert.Equal("sqli", log.FirewallRuleType);
        Assert.Null(log.ApiOperation);
        Assert.Null(log.ActorUserName);
        Assert.Null(log.Message);
    }

    [Theory]
    [InlineData("\"final_action\":\"captcha\"", OcsfDisposition.Captcha, OcsfSeverity.Informational, 0)]
    [InlineData("\"final_action\":\"captcha_strict\"", OcsfDisposition.Captcha, OcsfSeverity.Informational, 0)]
    [InlineData("\"final_action\":\"js\"", OcsfDisposition.Challenge, OcsfSeverity.Informational, 0)]
    [InlineData("\"final_action\":\"sigchl\"", OcsfDisposition.Challenge, OcsfSeverity.Informational, 0)]
    [InlineData("\"cc_action\":\"block\",\"cc_test\":\"true\"", OcsfDisposition.Detected, OcsfSeverity.Informational, 1)]
    [InlineData("\"waf_test\":\"false\"", OcsfDisposition.Allowed, OcsfSeverity.Informational, 1)]
    [InlineData("\"final_action\":\"block\",\"acl_test\":\"true\"", OcsfDisposition.Blocked, OcsfSeverity.Medium, 2)]
    public void AlibabaWaf_DerivesDisposition_FromFinalActionAndObserveMode(string fields, OcsfDisposition disposition, OcsfSeverity severity, int actionId)
    {
        var log = Normalize(new AlibabaWafNormalizer(),
            "{\"time\":\"2025-03-03T16:03:20+08:00\",\"request_method\":\"POST\",\"real_client_ip\":\"198.51.100.9\",\"remote_addr\":\"10.0.0.3\"," + fields + "}");

        Assert.Equal(disposition, log.DispositionId);
        Assert.Equal(severity, log.SeverityId);
        Assert.Equal(actionId, log.ActionId);
        Assert.Equal(OcsfActivity.HttpPost, log.ActivityId);
        Assert.Equal("198.51.100.9", log.SrcIp);
        Assert.Equal("10.0.0.3", log.SrcIntermediateIp);
        Assert.Equal("0:MTAw:0:0", log.Uid);
        Assert.Equal("1335759343513432", log.AccountUid);
    }

    [Fact]
    public void AlibabaWaf_FallsBackToReceiveTime_AndHashUid_WhenTimeAndIdsAreAbsent()
    {
        var json = "{\"__time__\":\"1740989000\",\"host\":\"a.example\"}";
        var ok = new AlibabaWafNormalizer().TryNormalize(new RawRecord(Encoding.UTF8.GetBytes(json), null), Alibaba, out var log, out _);

        Assert.True(ok);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1740989000), log!.Time);
        var expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(json))[..16]);
        Assert.Equal(expected, log.Uid);
        Assert.Equal(OcsfActivity.Other, log.ActivityId);
    }

    [Fact]
    public void AlibabaWaf_KeepsXssPayloadsVerbatim_AsData()
    {
        var log = Normalize(new AlibabaWafNormalizer(),
            """{"time":"2025-03-03T08:00:00Z","request_path":"/search","querystring":"q=<script>alert(document.cookie)</script>","http_user_agent":"<img src=x onerror=alert(1)>","host":"\u003csvg onload=alert(1)\u003e"}""");

        Assert.Equal("q=<script>alert(document.cookie)</script>", log.UrlQuery);
        Assert.Equal("<img src=x onerror=alert(1)>", log.UserAgent);
        Assert.Equal("<svg onload=alert(1)>", log.UrlHostname);
    }

    [Theory]
    [InlineData("", "not JSON: the record is empty")]
    [InlineData("   ", "not JSON: the record is empty")]
    [InlineData("hello", "not JSON: malformed at line 1, byte 1")]
    [InlineData("{\"time\":\"2025-03-03T08:00:00Z\",\"host\":", "not JSON: truncated (the record ends inside a value)")]
    [InlineData("{\"time\":\"2025-03-03T08:00:00Z\",\"host\":\"a\"", "not JSON: truncated (the record ends inside a value)")]
    [InlineData("{\"time\":\"2025-03-03T08:00:00Z\",\"host\":\"a\" x}", "not JSON: malformed at line 1, byte 43")]
    [InlineData("[1,2]", "not a JSON object but an array")]
    [InlineData("\"text\"", "not a JSON object but a string")]
    [InlineData("{\"host\":\"a.example\"}", "missing required field 'time'")]
    [InlineData("{\"time\":\"yesterday\"}", "field 'time' is not a time (ISO 8601, or Unix seconds or milliseconds)")]
    [InlineData("{\"time\":\"2025-03-03T08:00:00Z\",\"status\":\"abc\"}", "field 'status' is not a number")]
    [InlineData("{\"time\":\"2025-03-03T08:00:00Z\",\"status\":{\"code\":405}}", "field 'status' is not a number")]
    [InlineData("{\"time\":\"2025-03-03T08:00:00Z\",\"status\":\"99999999999\"}", "field 'status' is out of range")]
    [InlineData("{\"time\":\"2025-03-03T08:00:00Z\",\"host\":[\"a\"]}", "field 'host' is not a string")]
    [InlineData("{\"time\":true}", "field 'time' is not a time")]
    public void AlibabaWaf_RejectsBadInput_WithAPreciseReason(string json, string reason)
    {
        Assert.Equal(reason, Reject(new AlibabaWafNormalizer(), json));
    }

    [Fact]
    public void Normalizers_RejectDeepNesting_WithoutStackOverflow()
    {
        var deep = "{\"time\":\"2025-03-03T08:00:00Z\",\"junk\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        ILogNormalizer[] all = [new AlibabaWafNormalizer(), new AlibabaCloudFirewallNormalizer(), new AlibabaActionTrailNormalizer(), new HuaweiWafNormalizer(), new TencentWafNormalizer(), new OcsfNormalizer()];
        foreach (var normalizer in all)
        {
            Assert.Equal("nested deeper than 32 levels", Reject(normalizer, deep));
        }

        var justDeepEnough = "{\"time\":\"2025-03-03T08:00:00Z\",\"junk\":" + new string('[', 30) + new string(']', 30) + "}";
        Assert.True(new AlibabaWafNormalizer().TryNormalize(Raw(justDeepEnough), Alibaba, out _, out var rejection), rejection);
    }

    [Fact]
    public void Normalizers_RejectOversizedRecords_AndCutOversizedValues()
    {
        var huge = "{\"time\":\"2025-03-03T08:00:00Z\",\"request_body\":\"" + new string('a', 1024 * 1024) + "\"}";
        Assert.Equal("record is 1048625 bytes, over the 1048576-byte limit", Reject(new AlibabaWafNormalizer(), huge));

        var longQuery = new string('q', 20_000);
        var log = Normalize(new AlibabaWafNormalizer(), "{\"time\":\"2025-03-03T08:00:00Z\",\"querystring\":\"" + longQuery + "\"}");
        Assert.Equal(longQuery[..8192], log.UrlQuery);
        Assert.Contains(longQuery, Encoding.UTF8.GetString(log.Raw.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalizers_RejectInvalidUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"time\":\"2025-03-03T08:00:00Z\",\"host\":\"ab\"}");
        bytes[^4] = 0xFF;
        Assert.False(new AlibabaWafNormalizer().TryNormalize(new RawRecord(bytes, null), Alibaba, out _, out var rejection));
        Assert.Equal("not JSON: the record is not valid UTF-8", rejection);
    }

    [Fact]
    public void CloudFirewall_MapsTrafficRow()
    {
        var context = Alibaba with { LogName = "cloudfirewall-logstore" };
        var log = Normalize(new AlibabaCloudFirewallNormalizer(), """
            {"__topic__":"cloudfirewall_access_log","log_type":"internet_log","aliuid":"1335759343513432","direction":"in",
             "src_ip":"203.0.113.7","src_port":"53211","dst_ip":"47.98.1.10","dst_port":"22","ip_protocol":"tcp",
             "app_name":"SSH","acl_rule_id":"073a1475-6e11-43e2-8b28-98cee9c6aaaa","rule_result":"drop","start_time":"1740989000"}
            """, context, position: "1:MjAw:3:4");

        Assert.Equal("1:MjAw:3:4", log.Uid);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1740989000), log.Time);
        Assert.Equal(OcsfClass.NetworkActivity, log.ClassUid);
        Assert.Equal(OcsfActivity.NetworkTraffic, log.ActivityId);
        Assert.Equal(OcsfDisposition.Blocked, log.DispositionId);
        Assert.Equal(2, log.ActionId);
        Assert.Equal(OcsfSeverity.Low, log.SeverityId);
        Assert.Equal(1, log.DirectionId);
        Assert.Equal("203.0.113.7", log.SrcIp);
        Assert.Equal(53211, log.SrcPort);
        Assert.Equal("47.98.1.10", log.DstIp);
        Assert.Equal(22, log.DstPort);
        Assert.Equal("tcp", log.Protocol);
        Assert.Equal("073a1475-6e11-43e2-8b28-98cee9c6aaaa", log.FirewallRuleUid);
        Assert.Equal("1335759343513432", log.AccountUid);
        Assert.Equal(LogProduct.AlibabaCloudFirewall, log.Product);
        Assert.Equal("cloudfirewall-logstore", log.LogName);
        Assert.Null(log.HttpMethod);
    }

    [Theory]
    [InlineData("pass", "out", OcsfDisposition.Allowed, OcsfSeverity.Informational, 2)]
    [InlineData("alert", "in", OcsfDisposition.Detected, OcsfSeverity.Medium, 1)]
    [InlineData("reset", "sideways", OcsfDisposition.Other, OcsfSeverity.Informational, 0)]
    public void CloudFirewall_MapsRuleResultAndDirection(string result, string direction, OcsfDisposition disposition, OcsfSeverity severity, int directionId)
    {
        var log = Normalize(new AlibabaCloudFirewallNormalizer(),
            $"{{\"__time__\":\"1740989000\",\"rule_result\":\"{result}\",\"direction\":\"{direction}\",\"acl_rule_id\":\"00000000-0000-0000-0000-000000000000\"}}");

        Assert.Equal(disposition, log.DispositionId);
        Assert.Equal(severity, log.SeverityId);
        Assert.Equal(directionId, log.DirectionId);
        Assert.Null(log.FirewallRuleUid);
    }

    [Fact]
    public void CloudFirewall_Rejects_WhenNoTimeOrBadPort()
    {
        Assert.Equal("missing required field 'start_time'", Reject(new AlibabaCloudFirewallNormalizer(), "{\"src_ip\":\"1.2.3.4\"}"));
        Assert.Equal("field 'dst_port' is not a number", Reject(new AlibabaCloudFirewallNormalizer(), "{\"start_time\":\"1740989000\",\"dst_port\":\"ssh\"}"));
    }

    // cloud-protocols.md §3.3 sample event.
    private const string TrailEvent = """
        {"eventId":"2546c4b7-6b56-403e-97d3-500d8d29339a","eventVersion":1,"eventTime":"2025-03-03T08:01:10Z",
         "eventType":"ApiCall","eventCategory":"Management","eventRW":"Write","eventSource":"ram.aliyuncs.com",
         "eventName":"CreateAccessKey","serviceName":"Ram","acsRegion":"cn-hangzhou","apiVersion":"2015-05-01",
         "requestId":"3462D6AF-4434-4690-8CAD-E54A0000","sourceIpAddress":"203.0.113.7","userAgent":"aliyun-cli/3.0.200",
         "userIdentity":{"type":"ram-user","principalId":"23890260100229****","accountId":"1335759343513432",
          "accessKeyId":"LTAI5t****","userName":"alice"},
         "requestParameters":{"UserName":"backup-bot","RegionId":"cn-hangzhou"},"errorCode":null,"recipientAccountId":"1335759343513432"}
        """;

    private static void AssertTrailEvent(SecurityLog log)
    {
        Assert.Equal("2546c4b7-6b56-403e-97d3-500d8d29339a", log.Uid);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 8, 1, 10, TimeSpan.Zero), log.Time);
        Assert.Equal(OcsfClass.ApiActivity, log.ClassUid);
        Assert.Equal(OcsfActivity.ApiCreate, log.ActivityId);
        Assert.Equal(OcsfSeverity.Informational, log.SeverityId);
        Assert.Equal(1, log.StatusId);
        Assert.Equal("CreateAccessKey", log.ApiOperation);
        Assert.Equal("Ram", log.ApiService);
        Assert.Null(log.ApiErrorCode);
        Assert.Null(log.ApiErrorMessage);
        Assert.Equal("ram-user", log.ActorUserType);
        Assert.Equal("23890260100229****", log.ActorUserUid);
        Assert.Equal("alice", log.ActorUserName);
        Assert.Equal("1335759343513432", log.ActorAccountUid);
        Assert.Equal("LTAI5t****", log.ActorCredentialUid);
        Assert.Equal("203.0.113.7", log.SrcIp);
        Assert.Equal("aliyun-cli/3.0.200", log.UserAgent);
        Assert.Equal("ram.aliyuncs.com", log.DstHostname);
        Assert.Equal("cn-hangzhou", log.Region);
        Assert.Equal("1335759343513432", log.AccountUid);
        Assert.Equal(LogProduct.AlibabaActionTrail, log.Product);
    }

    [Fact]
    public void ActionTrail_ReadsEventObject_AtTopLevel() => AssertTrailEvent(Normalize(new AlibabaActionTrailNormalizer(), TrailEvent));

    [Fact]
    public void ActionTrail_ReadsEventJsonString_InTheSlsEventField()
    {
        var escaped = System.Text.Json.JsonSerializer.Serialize(TrailEvent);
        AssertTrailEvent(Normalize(new AlibabaActionTrailNormalizer(), "{\"__topic__\":\"actiontrail_audit_event\",\"__time__\":\"1740988870\",\"event\":" + escaped + "}"));
    }

    [Fact]
    public void ActionTrail_ReadsEventObject_InTheEventField()
    {
        AssertTrailEvent(Normalize(new AlibabaActionTrailNormalizer(), "{\"__topic__\":\"actiontrail_audit_event\",\"event\":" + TrailEvent + "}"));
    }

    [Fact]
    public void ActionTrail_MarksFailure_AndMapsConsoleSignInToAuthentication()
    {
        var failed = Normalize(new AlibabaActionTrailNormalizer(),
            """{"eventId":"e1","eventTime":"2025-03-03T08:01:10Z","eventName":"DeleteTrail","errorCode":"NoPermission","errorMessage":"You are not authorized"}""");
        Assert.Equal(2, failed.StatusId);
        Assert.Equal(OcsfActivity.ApiDelete, failed.ActivityId);
        Assert.Equal("NoPermission", failed.ApiErrorCode);
        Assert.Equal("You are not authorized", failed.ApiErrorMessage);

        var signIn = Normalize(new AlibabaActionTrailNormalizer(),
            """{"event.eventId":"e2","event.eventTime":"2025-03-03T08:02:00+08:00","event.eventType":"ConsoleSignin","event.eventName":"ConsoleSignin","event.errorCode":"InvalidPassword"}""");
        Assert.Equal("e2", signIn.Uid);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 0, 2, 0, TimeSpan.Zero), signIn.Time);
        Assert.Equal(OcsfClass.Authentication, signIn.ClassUid);
        Assert.Equal(OcsfActivity.Logon, signIn.ActivityId);
        Assert.Equal(2, signIn.StatusId);
        Assert.Equal(OcsfSeverity.Low, signIn.SeverityId);
    }

    [Fact]
    public void ActionTrail_Rejects_WhenEventStringIsNotJsonOrTimeMissing()
    {
        Assert.Equal("field 'event' holds not JSON: truncated (the record ends inside a value)",
            Reject(new AlibabaActionTrailNormalizer(), "{\"event\":\"{\\\"eventId\\\":\\\"x\"}"));
        Assert.Equal("field 'event' does not hold a JSON object", Reject(new AlibabaActionTrailNormalizer(), "{\"event\":\"[1]\"}"));
        Assert.Equal("missing required field 'eventTime'", Reject(new AlibabaActionTrailNormalizer(), "{\"eventId\":\"x\"}"));
    }

    private static readonly LogContext Huawei = new(8, CloudProvider.HuaweiCloud, "0a1b2c3d", "cn-north-4", "waf-attack-stream");

    [Fact]
    public void HuaweiWaf_MapsAttackLog()
    {
        var log = Normalize(new HuaweiWafNormalizer(), """
            {"category":"attack","time_iso8601":"2022-07-29T19:39:40+08:00","policy_id":"cd081ba3d6674000acc37d7e2a4b9140","level":2,
             "attack":"lfi","action":"block","rule":"040002","hit_data":"public/../style/general.css","sip":"10.63.46.110","sport":"41000",
             "host":"www.testh.com","hport":"80","method":"GET","uri":"/","upstream_status":"504","requestid":"f34cf25eb33ed82cd7261a8276a60c39"}
            """, Huawei, position: "stream-1:1740989000123456789");

        Assert.Equal("f34cf25eb33ed82cd7261a8276a60c39", log.Uid);
        Assert.Equal(new DateTimeOffset(2022, 7, 29, 11, 39, 40, TimeSpan.Zero), log.Time);
        Assert.Equal(OcsfClass.HttpActivity, log.ClassUid);
        Assert.Equal(OcsfActivity.HttpGet, log.ActivityId);
        Assert.Equal(OcsfDisposition.Blocked, log.DispositionId);
        Assert.Equal(OcsfSeverity.Medium, log.SeverityId);
        Assert.Equal(2, log.ActionId);
        Assert.Equal("10.63.46.110", log.SrcIp);
        Assert.Equal(41000, log.SrcPort);
        Assert.Equal(80, log.DstPort);
        Assert.Equal("www.testh.com", log.UrlHostname);
        Assert.Equal("/", log.UrlPath);
        Assert.Equal(504, log.HttpStatus);
        Assert.Equal("040002", log.FirewallRuleUid);
        Assert.Equal("lfi", log.FirewallRuleType);
        Assert.Equal("f34cf25eb33ed82cd7261a8276a60c39", log.HttpRequestUid);
        Assert.Equal(CloudProvider.HuaweiCloud, log.Provider);
        Assert.Equal("0a1b2c3d", log.AccountUid);
        Assert.Equal("cn-north-4", log.Region);
        Assert.Equal(LogProduct.HuaweiWaf, log.Product);
        Assert.Equal("waf-attack-stream", log.LogName);
    }

    [Theory]
    [InlineData("{\"time\":1659094780000,\"action\":\"log\",\"reqid\":\"r1\"}", OcsfDisposition.Detected, "r1")]
    [InlineData("{\"time\":\"1659094780\",\"action\":\"captcha\",\"id\":\"i1\"}", OcsfDisposition.Captcha, "i1")]
    [InlineData("{\"access_log.time\":1659094780000,\"access_log.requestid\":\"a1\",\"access_log.method\":\"POST\"}", OcsfDisposition.Allowed, "a1")]
    public void HuaweiWaf_MapsActionAndIdVariants(string json, OcsfDisposition disposition, string uid)
    {
        var log = Normalize(new HuaweiWafNormalizer(), json, Huawei);

        Assert.Equal(disposition, log.DispositionId);
        Assert.Equal(uid, log.Uid);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1659094780), log.Time);
        Assert.Equal(OcsfSeverity.Informational, log.SeverityId);
    }

    [Fact]
    public void HuaweiWaf_Rejects_WhenTimeMissing() =>
        Assert.Equal("missing required field 'time'", Reject(new HuaweiWafNormalizer(), "{\"category\":\"attack\",\"sip\":\"1.2.3.4\"}"));

    [Fact]
    public void TencentWaf_MapsAccessLog()
    {
        var context = new LogContext(9, CloudProvider.TencentCloud, "1250000000", "ap-guangzhou", "waf-topic");
        var log = Normalize(new TencentWafNormalizer(), """
            {"domain":"shop.example.com","client":"203.0.113.7","uuid":"8d3f1a2b-0000-4c1e-9a7b-1234567890ab","schema":"https","method":"POST",
             "instance":"waf_00000001","url":"/login","query":"next=/admin","time":"1740989000","timestamp":"2025-03-03T16:03:20+08:00",
             "appid":"1250000000","status":"403","action":"intercept","attack_type":"sqli","rule_id":"10001","user_agent":"curl/8.0"}
            """, context, position: "topic-1:pkg-1:3");

        Assert.Equal("8d3f1a2b-0000-4c1e-9a7b-1234567890ab", log.Uid);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 8, 3, 20, TimeSpan.Zero), log.Time);
        Assert.Equal(OcsfActivity.HttpPost, log.ActivityId);
        Assert.Equal(OcsfDisposition.Blocked, log.DispositionId);
        Assert.Equal(OcsfSeverity.Medium, log.SeverityId);
        Assert.Equal("203.0.113.7", log.SrcIp);
        Assert.Equal("shop.example.com", log.UrlHostname);
        Assert.Equal("/login", log.UrlPath);
        Assert.Equal("next=/admin", log.UrlQuery);
        Assert.Equal(403, log.HttpStatus);
        Assert.Equal("10001", log.FirewallRuleUid);
        Assert.Equal("sqli", log.FirewallRuleType);
        Assert.Equal("curl/8.0", log.UserAgent);
        Assert.Equal("1250000000", log.AccountUid);
        Assert.Equal("ap-guangzhou", log.Region);
        Assert.Equal(LogProduct.TencentWaf, log.Product);
        Assert.Equal(CloudProvider.TencentCloud, log.Provider);
    }

    [Fact]
    public void TencentWaf_UsesPosition_WhenNoId_AndRejectsWithoutTime()
    {
        var context = new LogContext(9, CloudProvider.TencentCloud, "1250000000", "ap-guangzhou", "waf-topic");
        var log = Normalize(new TencentWafNormalizer(), "{\"time\":1740989000123,\"client\":\"198.51.100.1\"}", context, position: "topic-1:pkg-9:0");
        Assert.Equal("topic-1:pkg-9:0", log.Uid);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1740989000123), log.Time);
        Assert.Equal(OcsfDisposition.Allowed, log.DispositionId);

        Assert.Equal("missing required field 'timestamp'", Reject(new TencentWafNormalizer(), "{\"client\":\"198.51.100.1\"}"));
    }

    [Theory]
    [InlineData("{\"time\":\"24/Jun/2021:18:04:48 +0800\",\"client\":\"198.51.100.1\"}", "2021-06-24T10:04:48+00:00")]
    [InlineData("{\"time\":\"2021-06-24T18:04:48+08:00\",\"client\":\"198.51.100.1\"}", "2021-06-24T10:04:48+00:00")]
    [InlineData("{\"time\":\"1624529088\",\"client\":\"198.51.100.1\"}", "2021-06-24T10:04:48+00:00")]
    [InlineData("{\"time\":\"24/Jun/2021:18:04:48 +0800\",\"timestamp\":\"2021-06-24T18:04:49+08:00\",\"client\":\"198.51.100.1\"}", "2021-06-24T10:04:49+00:00")]
    public void TencentWaf_ReadsTheAccessLogTimeFormats_PreferringTimestamp(string json, string expected)
    {
        var context = new LogContext(9, CloudProvider.TencentCloud, "1250000000", "ap-guangzhou", "waf-topic");

        var log = Normalize(new TencentWafNormalizer(), json, context, position: "topic-1:pkg-9:0");

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), log.Time);
    }

    [Theory]
    [InlineData("{\"time\":\"yesterday\"}", "field 'time' is not a time (ISO 8601 or nginx 'dd/MMM/yyyy:HH:mm:ss +zzzz') and 'timestamp' is missing")]
    [InlineData("{\"time\":\"99999999999999999\"}", "field 'time' is not a time (ISO 8601 or nginx 'dd/MMM/yyyy:HH:mm:ss +zzzz') and 'timestamp' is missing")]
    public void TencentWaf_RejectsUnreadableTimes_WithTheReason(string json, string reason)
    {
        Assert.Equal(reason, Reject(new TencentWafNormalizer(), json));
    }

    private static readonly LogContext ThirdParty = new(11, CloudProvider.Other, null, null, "pushed");

    [Fact]
    public void Ocsf_MapsHttpActivityRecord()
    {
        var log = Normalize(new OcsfNormalizer(), """
            {"class_uid":4002,"activity_id":3,"severity_id":4,"time":1740989000123,"status_id":1,"disposition_id":2,"action_id":2,
             "message":"blocked <b>x</b>","metadata":{"uid":"evt-1","product":{"name":"EdgeGuard"},"log_name":"edge"},
             "cloud":{"account":{"uid":"acct-9"},"region":"eu-west-1"},
             "src_endpoint":{"ip":"203.0.113.7","port":443,"intermediate_ips":["10.0.0.1","10.0.0.2"]},
             "dst_endpoint":{"ip":"192.0.2.10","port":8443,"hostname":"api.example.com"},
             "http_request":{"http_method":"GET","uid":"req-1","user_agent":"Mozilla/5.0","x_forwarded_for":["203.0.113.7","10.0.0.1"],
               "url":{"hostname":"api.example.com","path":"/v1/items","query_string":"a=1"}},
             "http_response":{"code":403,"latency":12},"firewall_rule":{"uid":"r-7","type":"managed"},
             "unmapped":{"deep":{"er":[{"x":1}]}}}
            """, ThirdParty, position: null);

        Assert.Equal("evt-1", log.Uid);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1740989000123), log.Time);
        Assert.Equal(OcsfClass.HttpActivity, log.ClassUid);
        Assert.Equal(3, log.ActivityId);
        Assert.Equal(OcsfSeverity.High, log.SeverityId);
        Assert.Equal(1, log.StatusId);
        Assert.Equal(OcsfDisposition.Blocked, log.DispositionId);
        Assert.Equal(2, log.ActionId);
        Assert.Equal("blocked <b>x</b>", log.Message);
        Assert.Equal("acct-9", log.AccountUid);
        Assert.Equal("eu-west-1", log.Region);
        Assert.Equal("edge", log.LogName);
        Assert.Equal("203.0.113.7", log.SrcIp);
        Assert.Equal(443, log.SrcPort);
        Assert.Equal("10.0.0.1", log.SrcIntermediateIp);
        Assert.Equal("192.0.2.10", log.DstIp);
        Assert.Equal(8443, log.DstPort);
        Assert.Equal("api.example.com", log.DstHostname);
        Assert.Equal("GET", log.HttpMethod);
        Assert.Equal("req-1", log.HttpRequestUid);
        Assert.Equal("Mozilla/5.0", log.UserAgent);
        Assert.Equal("203.0.113.7, 10.0.0.1", log.XForwardedFor);
        Assert.Equal("api.example.com", log.UrlHostname);
        Assert.Equal("/v1/items", log.UrlPath);
        Assert.Equal("a=1", log.UrlQuery);
        Assert.Equal(403, log.HttpStatus);
        Assert.Equal(12, log.LatencyMs);
        Assert.Equal("r-7", log.FirewallRuleUid);
        Assert.Equal("managed", log.FirewallRuleType);
        Assert.Equal(CloudProvider.Other, log.Provider);
        Assert.Equal(LogProduct.ThirdPartyOcsf, log.Product);
    }

    [Fact]
    public void Ocsf_MapsApiActivity_WithIsoTime()
    {
        var log = Normalize(new OcsfNormalizer(), """
            {"class_uid":6003,"activity_id":4,"time":"2025-03-03T09:00:00+01:00","severity_id":99,
             "api":{"operation":"DeleteBucket","service":{"name":"s3"},"response":{"error":"AccessDenied","error_message":"denied"}},
             "actor":{"user":{"name":"bob","uid":"u-1","type":"IAMUser","account":{"uid":"111122223333"},"credential_uid":"AKIA..."}},
             "connection_info":{"protocol_name":"tcp","direction_id":1}}
            """, ThirdParty, position: "push:5");

        Assert.Equal("push:5", log.Uid);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero), log.Time);
        Assert.Equal(OcsfClass.ApiActivity, log.ClassUid);
        Assert.Equal(OcsfSeverity.Other, log.SeverityId);
        Assert.Equal("DeleteBucket", log.ApiOperation);
        Assert.Equal("s3", log.ApiService);
        Assert.Equal("AccessDenied", log.ApiErrorCode);
        Assert.Equal("denied", log.ApiErrorMessage);
        Assert.Equal("bob", log.ActorUserName);
        Assert.Equal("u-1", log.ActorUserUid);
        Assert.Equal("IAMUser", log.ActorUserType);
        Assert.Equal("111122223333", log.ActorAccountUid);
        Assert.Equal("AKIA...", log.ActorCredentialUid);
        Assert.Equal("tcp", log.Protocol);
        Assert.Equal(1, log.DirectionId);
    }

    [Theory]
    [InlineData("{\"time\":1740989000123}", "missing required field 'class_uid'")]
    [InlineData("{\"class_uid\":1001,\"time\":1740989000123}", "unsupported class_uid 1001 (supported: 2004, 3002, 4001, 4002, 6003)")]
    [InlineData("{\"class_uid\":4002}", "missing required field 'time'")]
    [InlineData("{\"class_uid\":\"web\",\"time\":1740989000123}", "field 'class_uid' is not a number")]
    [InlineData("{\"class_uid\":4002,\"time\":1740989000123,\"severity_id\":7}", "field 'severity_id' is not an OCSF severity (0-6 or 99)")]
    [InlineData("{\"class_uid\":4002,\"time\":1740989000123,\"src_endpoint\":{\"port\":\"https\"}}", "field 'src_endpoint.port' is not a number")]
    public void Ocsf_RejectsBadRecords(string json, string reason) => Assert.Equal(reason, Reject(new OcsfNormalizer(), json));
}
