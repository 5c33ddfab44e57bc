using System.Globalization;
using System.Text;
using System.Text.Json;
using Ctdr.CloudEmulator.Alibaba;

namespace Ctdr.CloudEmulator.Traffic;

/// <summary>
/// Writes visits and events down the way each provider logs them: Alibaba WAF rows and Cloud Firewall rows and
/// ActionTrail events (SLS key/value records), Huawei WAF attack and access logs (LTS JSON), Tencent WAF access
/// logs (CLS JSON). It also plays each WAF: it decides the final action the way the real one would.
/// </summary>
internal sealed class RecordWriter(SandboxState state, Random rng, DateTimeOffset now)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private static readonly string[] WafNodes = ["0a2f1c07", "0a2f1c1b", "0a2f2a44", "0a2f2a9e"];
    private static readonly string[] FirewallAssets = ["198.18.10.1", "198.18.10.2", "198.18.10.3", "198.18.10.4"];
    private static readonly int[] ScanPorts = [21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 9200, 11211, 27017];

    /// <summary>After this many requests of one scan, the scan protection module starts blocking it.</summary>
    public const int ScanBlockThreshold = 20;

    // ---------------------------------------------------------------- Alibaba Cloud WAF 3.0 (SLS, topic waf_access_log)

    public SlsRecord AlibabaWaf(Visit v, long sequence)
    {
        var uid = SandboxAccounts.AliUid;
        var node = WafNodes[rng.Next(WafNodes.Length)];
        var traceId = string.Create(CultureInfo.InvariantCulture, $"{node}{v.Time.ToUnixTimeMilliseconds():D13}{sequence % 10_000_000:D7}{rng.Next(256):x2}");
        var (action, plugin, ruleId, ruleType) = AlibabaDecision(v, uid);
        var blocked = action == "block";
        var status = blocked ? 405 : v.OriginStatus;
        var https = v.Host != "www.example.com";

        var f = new List<KeyValuePair<string, string>>(48);
        void Add(string key, string value) => f.Add(new(key, value));
        Add("time", v.Time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
        Add("user_id", uid);
        Add("region", "cn");
        Add("host", v.Host);
        Add("matched_host", v.Host);
        Add("request_method", v.Method);
        Add("request_path", v.Path);
        Add("querystring", v.Query.Length == 0 ? "-" : v.Query);
        Add("request_uri", v.Uri);
        Add("real_client_ip", v.ClientIp);
        Add("remote_addr", v.ClientIp);
        Add("remote_port", Num(v.ClientPort));
        Add("https", https ? "on" : "off");
        Add("http_user_agent", v.UserAgent);
        Add("http_referer", v.Referer);
        Add("http_x_forwarded_for", "-");
        Add("http_cookie", v.Attack == AttackKind.None && rng.Next(2) == 0 ? $"session={rng.NextInt64():x16}" : "-");
        Add("content_type", v.Method == "POST" ? "application/x-www-form-urlencoded" : "-");
        Add("request_length", Num(v.RequestLength));
        Add("request_time_msec", Num(blocked ? 1 : v.RequestTimeMs));
        Add("request_traceid", traceId);
        Add("server_protocol", "HTTP/1.1");
        Add("dst_port", https ? "443" : "80");
        Add("server_port", https ? "443" : "80");
        Add("status", Num(status));
        Add("upstream_status", blocked ? "-" : Num(v.OriginStatus));
        Add("upstream_addr", blocked ? "-" : "198.18.20.10:80");
        Add("upstream_response_time", blocked ? "-" : (v.RequestTimeMs / 1000.0).ToString("0.000", CultureInfo.InvariantCulture));
        Add("body_bytes_sent", Num(blocked ? 0 : v.ResponseBytes));
        var (browser, os, device) = DescribeAgent(v.UserAgent);
        Add("ua_browser", browser);
        Add("ua_os", os);
        Add("ua_device_type", device);
        if (action is not null)
        {
            Add("final_action", action);
            Add("final_plugin", plugin!);
            Add("final_rule_id", ruleId!);
            Add("final_rule_type", ruleType!);
            Add(plugin + "_action", action);
            Add(plugin + "_rule_id", ruleId!);
            Add(plugin + "_rule_type", ruleType!);
            Add(plugin + "_test", "false");
        }

        return new SlsRecord(v.Time.ToUnixTimeSeconds(), f) { ShardKey = v.ClientIp };
    }

    /// <summary>
    /// The WAF's verdict: the IP block list (module acl) first, then the core web rules (module waf) for SQL
    /// injection, XSS and web shells, then scan protection (antiscan) once a scan passes the threshold.
    /// </summary>
    private (string? Action, string? Plugin, string? RuleId, string? RuleType) AlibabaDecision(Visit v, string uid)
    {
        if (state.BlockLists.TryGetValue(uid, out var blockList) && blockList.Match(v.ClientIp, now) is { } entry)
        {
            return ("block", "acl", entry.RuleId, "blacklist");
        }

        return v.Attack switch
        {
            AttackKind.SqlInjection => ("block", "waf", "115341", "sqli"),
            AttackKind.CrossSiteScripting => ("block", "waf", "113005", "xss"),
            AttackKind.WebShell => ("block", "waf", "116102", "webshell"),
            AttackKind.DirectoryScan when v.Counter >= ScanBlockThreshold => ("block", "antiscan", "5001", "dirscan"),
            _ => (null, null, null, null),
        };
    }

    // ---------------------------------------------------------------- Alibaba Cloud Firewall (SLS, topic cloudfirewall_access_log)

    public SlsRecord CloudFirewall(string? scenario, long counter, long sequence)
    {
        var asset = FirewallAssets[rng.Next(FirewallAssets.Length)];
        string src, app, result, ruleSource = "-", aclRule = "00000000-0000-0000-0000-000000000000";
        string? ipsRule = null, ipsName = null, attackType = null, vulLevel = null;
        int dstPort;
        switch (scenario)
        {
            case "portscan":
                src = "198.51.100.14";
                dstPort = ScanPorts[counter % ScanPorts.Length];
                app = "Unknown";
                result = dstPort is 22 or 80 or 443 ? "pass" : "drop";
                if (result == "drop")
                {
                    ruleSource = "acl";
                    aclRule = "4c5a2b10-7e3d-4f61-9a8b-1c2d3e4f5a60";
                }

                break;
            case "ssh-bruteforce":
                src = "203.0.113.200";
                dstPort = 22;
                app = "SSH";
                result = counter % 10 == 9 ? "drop" : "pass";
                if (result == "drop")
                {
                    ruleSource = "ips";
                    ipsRule = "1001223";
                    ipsName = "SSH Brute Force Attack";
                    attackType = "Brute Force";
                    vulLevel = "2";
                }

                break;
            default:
                src = WebTraffic.BenignIps[rng.Next(WebTraffic.BenignIps.Length)];
                dstPort = rng.Next(4) == 0 ? 80 : 443;
                app = dstPort == 443 ? "HTTPS" : "HTTP";
                result = "pass";
                break;
        }

        var start = now.ToUnixTimeSeconds();
        var f = new List<KeyValuePair<string, string>>(24)
        {
            new("log_type", "internet_log"),
            new("aliuid", SandboxAccounts.AliUid),
            new("direction", "in"),
            new("src_ip", src),
            new("src_port", Num(rng.Next(1024, 65535))),
            new("dst_ip", asset),
            new("dst_port", Num(dstPort)),
            new("ip_protocol", "tcp"),
            new("app_name", app),
            new("app_dpi_state", result == "pass" ? "complete" : "unfinished"),
            new("domain", dstPort is 80 or 443 ? WebTraffic.Hosts[rng.Next(WebTraffic.Hosts.Length)] : "-"),
            new("acl_rule_id", aclRule),
            new("rule_result", result),
            new("rule_source", ruleSource),
            new("country_id", src.StartsWith("192.0.2.", StringComparison.Ordinal) ? "CN" : "ZZ"),
            new("start_time", Num(start)),
            new("end_time", Num(start + (result == "pass" ? rng.Next(0, 30) : 0))),
            new("in_packets", Num(result == "pass" ? rng.Next(4, 200) : 1)),
            new("out_packets", Num(result == "pass" ? rng.Next(4, 200) : 0)),
            new("in_bytes", Num(result == "pass" ? rng.Next(300, 90_000) : 60)),
            new("out_bytes", Num(result == "pass" ? rng.Next(300, 900_000) : 0)),
        };
        if (ipsRule is not null)
        {
            f.Add(new("ips_rule_id", ipsRule));
            f.Add(new("ips_rule_name", ipsName!));
            f.Add(new("attack_type_name_en", attackType!));
            f.Add(new("vul_level", vulLevel!));
        }

        _ = sequence;
        return new SlsRecord(start, f) { ShardKey = src };
    }

    // ---------------------------------------------------------------- Alibaba Cloud ActionTrail (SLS, field "event" = JSON)

    private static readonly (string Name, string Source, string Service, string Version, string Rw, string Param, string Value)[] BenignApiCalls =
    [
        ("DescribeInstances", "ecs.aliyuncs.com", "Ecs", "2014-05-26", "Read", "RegionId", "cn-hangzhou"),
        ("ListUsers", "ram.aliyuncs.com", "Ram", "2015-05-01", "Read", "MaxItems", "100"),
        ("GetUser", "ram.aliyuncs.com", "Ram", "2015-05-01", "Read", "UserName", "bob"),
        ("DescribeDefenseRules", "waf-openapi.aliyuncs.com", "waf-openapi", "2021-10-01", "Read", "InstanceId", "waf_v3prepaid_public_cn-sandbox"),
        ("DescribeSecurityGroups", "ecs.aliyuncs.com", "Ecs", "2014-05-26", "Read", "RegionId", "cn-hangzhou"),
        ("ModifyInstanceAttribute", "ecs.aliyuncs.com", "Ecs", "2014-05-26", "Write", "InstanceId", "i-bp1sandbox0000000001"),
    ];

    /// <summary>The RAM user whose key the kill chain's attacker uses (its principal and key exist only here).</summary>
    private static readonly AuditActor KillChainActor = new("deploy-bot", "27470398765432101", "LTAI5tSandboxDeployBot1", KillChain.AttackerIp, "AlibabaCloud (Linux; x86_64) Python/3.11.4 Core/2.13.36 python-requests/2.31.0");

    /// <summary>The kill chain's discovery: read-only calls no predefined rule judges.</summary>
    private static readonly (string Name, string Source, string Service, string Version, string? Param, string? Value)[] KillChainDiscoveryCalls =
    [
        ("GetCallerIdentity", "sts.aliyuncs.com", "Sts", "2015-04-01", null, null),
        ("ListUsers", "ram.aliyuncs.com", "Ram", "2015-05-01", "MaxItems", "100"),
        ("ListAccessKeys", "ram.aliyuncs.com", "Ram", "2015-05-01", "UserName", "deploy-bot"),
        ("DescribeTrails", "actiontrail.cn-hangzhou.aliyuncs.com", "Actiontrail", "2020-07-06", "NameList", "sandbox-trail"),
        ("DescribeInstances", "ecs.aliyuncs.com", "Ecs", "2014-05-26", "PageSize", "100"),
    ];

    public (SlsRecord Record, string EventId) ActionTrail(string? scenario, long counter)
    {
        if (scenario == "audit-misuse")
        {
            return AuditEvent(now, mfa: false, "198.51.100.201", (w, requestId) =>
            {
                WriteMisuse(w, counter, requestId);
                return new AuditActor("ops-admin", "27470312345678901", "LTAI5tSandboxOpsAdmin01", "198.51.100.201", "aliyun-cli/3.0.200");
            });
        }

        return AuditEvent(now, mfa: true, "192.0.2.50", (w, requestId) =>
        {
            var alice = rng.Next(2) == 0;
            var (user, principal, accessKey, ip) = alice
                ? ("alice", "23890260100229001", "LTAI5tSandboxAlice00001", "192.0.2.50")
                : ("bob", "23890260100229002", "LTAI5tSandboxBob000001", "192.0.2.51");
            var agent = "aliyun-cli/3.0.200";
            if (rng.Next(8) == 0)
            {
                agent = WebTraffic.BrowserAgents[0];
                WriteCommon(w, "ConsoleSignin", "ConsoleSignin", "signin.aliyun.com", "AasSub", null, "Write", requestId);
                w.WriteStartObject("additionalEventData");
                w.WriteString("loginAccount", user + "@" + SandboxAccounts.AliUid + ".onaliyun.com");
                w.WriteString("MFAUsed", "true");
                w.WriteEndObject();
            }
            else
            {
                var call = BenignApiCalls[rng.Next(BenignApiCalls.Length)];
                WriteCommon(w, "ApiCall", call.Name, call.Source, call.Service, call.Version, call.Rw, requestId);
                w.WriteStartObject("requestParameters");
                w.WriteString(call.Param, call.Value);
                w.WriteString("RegionId", "cn-hangzhou");
                w.WriteEndObject();
            }

            return new AuditActor(user, principal, accessKey, ip, agent);
        });
    }

    /// <summary>An audit event of the kill chain, at the step's time, by <c>deploy-bot</c> from the attacker's address.</summary>
    public (SlsRecord Record, string EventId) KillChainAudit(KillChainStep step) =>
        AuditEvent(step.Time, mfa: false, KillChainActor.Ip, (w, requestId) =>
        {
            switch (step.Stage)
            {
                case KillChainStage.Discovery:
                {
                    var call = KillChainDiscoveryCalls[step.Index % KillChainDiscoveryCalls.Length];
                    WriteCommon(w, "ApiCall", call.Name, call.Source, call.Service, call.Version, "Read", requestId);
                    w.WriteStartObject("requestParameters");
                    if (call.Param is not null)
                    {
                        w.WriteString(call.Param, call.Value);
                    }

                    w.WriteString("RegionId", "cn-hangzhou");
                    w.WriteEndObject();
                    break;
                }

                case KillChainStage.AccessKeyCreated:
                    WriteCreateAccessKey(w, "deploy-bot", "LTAI5tSbxDeployBot" + rng.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture), requestId);
                    break;
                case KillChainStage.LoggingStopped:
                    WriteStopLogging(w, requestId);
                    break;
                default:
                    throw new ArgumentException($"Kill-chain stage {step.Stage} has no audit event.");
            }

            return KillChainActor;
        });

    /// <summary>Who made an audit event, from where, with which tool.</summary>
    private sealed record AuditActor(string User, string Principal, string AccessKey, string Ip, string Agent);

    /// <summary>
    /// The ActionTrail event envelope; <paramref name="writeBody"/> writes the call itself and says who made it
    /// (it runs after the event and request ids are drawn, which keeps the generator's random sequence stable).
    /// </summary>
    private (SlsRecord Record, string EventId) AuditEvent(DateTimeOffset time, bool mfa, string shardKey, Func<Utf8JsonWriter, string, AuditActor> writeBody)
    {
        var eventId = NewUuid(lower: true);
        var requestId = NewUuid(lower: false);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("eventId", eventId);
            w.WriteNumber("eventVersion", 1);
            w.WriteString("eventTime", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            var actor = writeBody(w, requestId);
            w.WriteString("sourceIpAddress", actor.Ip);
            w.WriteString("userAgent", actor.Agent);
            w.WriteStartObject("userIdentity");
            w.WriteString("type", "ram-user");
            w.WriteString("principalId", actor.Principal);
            w.WriteString("accountId", SandboxAccounts.AliUid);
            w.WriteString("accessKeyId", actor.AccessKey);
            w.WriteString("userName", actor.User);
            w.WriteStartObject("sessionContext");
            w.WriteStartObject("attributes");
            w.WriteString("mfaAuthenticated", mfa ? "true" : "false");
            w.WriteString("creationDate", time.AddMinutes(-20).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("recipientAccountId", SandboxAccounts.AliUid);
            w.WriteEndObject();
        }

        var json = Encoding.UTF8.GetString(buffer.ToArray());
        return (new SlsRecord(time.ToUnixTimeSeconds(), [new("event", json)]) { ShardKey = shardKey }, eventId);
    }

    private void WriteMisuse(Utf8JsonWriter w, long counter, string requestId)
    {
        switch (counter % 5)
        {
            case 0:
                WriteCommon(w, "ConsoleSignin", "ConsoleSignin", "signin.aliyun.com", "AasSub", null, "Write", requestId);
                w.WriteStartObject("additionalEventData");
                w.WriteString("loginAccount", "ops-admin@" + SandboxAccounts.AliUid + ".onaliyun.com");
                w.WriteString("MFAUsed", "false");
                w.WriteEndObject();
                break;
            case 1:
                WriteCreateAccessKey(w, "backup-bot", "LTAI5tSbxBackupBot" + rng.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture), requestId);
                break;

            case 2:
                WriteCommon(w, "ApiCall", "AttachPolicyToUser", "ram.aliyuncs.com", "Ram", "2015-05-01", "Write", requestId);
                w.WriteStartObject("requestParameters");
                w.WriteString("PolicyName", "AdministratorAccess");
                w.WriteString("PolicyType", "System");
                w.WriteString("UserName", "backup-bot");
                w.WriteEndObject();
                break;
            case 3:
                WriteStopLogging(w, requestId);
                break;
            default:
                WriteCommon(w, "ApiCall", "DeleteTrail", "actiontrail.cn-hangzhou.aliyuncs.com", "Actiontrail", "2020-07-06", "Write", requestId);
                w.WriteStartObject("requestParameters");
                w.WriteString("Name", "sandbox-trail");
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteCreateAccessKey(Utf8JsonWriter w, string userName, string newKey, string requestId)
    {
        WriteCommon(w, "ApiCall", "CreateAccessKey", "ram.aliyuncs.com", "Ram", "2015-05-01", "Write", requestId);
        w.WriteStartObject("requestParameters");
        w.WriteString("UserName", userName);
        w.WriteEndObject();
        w.WriteStartObject("responseElements");
        w.WriteStartObject("AccessKey");
        w.WriteString("AccessKeyId", newKey);
        w.WriteString("Status", "Active");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("referencedResources");
        w.WriteStartArray("ACS::RAM::AccessKey");
        w.WriteStringValue(newKey);
        w.WriteEndArray();
        w.WriteStartArray("ACS::RAM::User");
        w.WriteStringValue(userName);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteStopLogging(Utf8JsonWriter w, string requestId)
    {
        WriteCommon(w, "ApiCall", "StopLogging", "actiontrail.cn-hangzhou.aliyuncs.com", "Actiontrail", "2020-07-06", "Write", requestId);
        w.WriteStartObject("requestParameters");
        w.WriteString("Name", "sandbox-trail");
        w.WriteEndObject();
    }

    private static void WriteCommon(Utf8JsonWriter w, string eventType, string name, string source, string service, string? version, string rw, string requestId)
    {
        w.WriteString("eventType", eventType);
        w.WriteString("eventCategory", "Management");
        w.WriteString("eventRW", rw);
        w.WriteString("eventSource", source);
        w.WriteString("eventName", name);
        w.WriteString("serviceName", service);
        w.WriteString("acsRegion", "cn-hangzhou");
        if (version is not null)
        {
            w.WriteString("apiVersion", version);
        }

        w.WriteString("requestId", requestId);
        w.WriteNull("errorCode");
    }

    // ---------------------------------------------------------------- Huawei Cloud WAF (LTS, content = JSON)

    /// <summary>
    /// The WAF's verdict on a visit; Huawei's block page answers 418. The black/white IP rules of the policy that
    /// protects the host come first: a blocked address is logged as attack <c>custom_whiteip</c> (the black/white IP
    /// module), action block, rule = the rule's id, hit data = the address.
    /// </summary>
    private (string Attack, string Action, string Rule, string Location, string HitData)? HuaweiDecision(Visit v)
    {
        var projectId = SandboxAccounts.Huawei.ProjectId;
        if (state.HuaweiWafs.TryGetValue(projectId, out var waf) && waf.PolicyOf(v.Host) is { } policy
            && state.WafBlockList("huawei", projectId, policy.Id).Match(v.ClientIp, now) is { } entry)
        {
            return ("custom_whiteip", "block", entry.RuleId, "remote_ip", v.ClientIp);
        }

        return v.Attack switch
        {
            AttackKind.SqlInjection => ("sqli", "block", "040009", "params", v.HitData),
            AttackKind.CrossSiteScripting => ("xss", "block", "040014", "params", v.HitData),
            AttackKind.WebShell => ("webshell", "block", "040036", v.Method == "POST" ? "body" : "params", v.HitData),
            AttackKind.DirectoryScan => ("robot", v.Counter >= ScanBlockThreshold ? "block" : "log", "071002", "uri", v.HitData),
            _ => null,
        };
    }

    public (string Json, string Id) HuaweiAttack(Visit v, long sequence)
    {
        var decision = HuaweiDecision(v) ?? throw new InvalidOperationException("A Huawei attack log needs an attack.");
        var requestId = HexId(sequence);
        var blocked = decision.Action == "block";
        var json = Json(w =>
        {
            w.WriteString("category", "attack");
            w.WriteNumber("time", v.Time.ToUnixTimeMilliseconds());
            w.WriteString("time_iso8601", v.Time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            w.WriteString("policy_id", SandboxWafs.Huawei.PolicyId);
            w.WriteNumber("level", 2);
            w.WriteString("attack", decision.Attack);
            w.WriteString("action", decision.Action);
            w.WriteString("rule", decision.Rule);
            w.WriteString("location", decision.Location);
            w.WriteString("hit_data", decision.HitData);
            w.WriteString("status", Num(blocked ? 418 : v.OriginStatus));
            w.WriteString("reqid", requestId);
            w.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"04-0000-0000-0000-{v.Time.ToOffset(ChinaOffset):yyyyMMddHHmmss}-{sequence:x8}"));
            w.WriteString("method", v.Method);
            w.WriteString("sip", v.ClientIp);
            w.WriteString("sport", Num(v.ClientPort));
            w.WriteString("host", v.Host + ":443");
            w.WriteString("http_host", v.Host);
            w.WriteString("hport", "443");
            w.WriteString("uri", v.Path);
            w.WriteString("header", $"{{\"host\":\"{v.Host}\",\"user-agent\":{JsonSerializer.Serialize(v.UserAgent)}}}");
            w.WriteString("cookie", "");
            w.WriteString("params", v.Query);
            w.WriteString("body_bytes_sent", Num(blocked ? 0 : v.ResponseBytes));
            w.WriteString("upstream_status", blocked ? "-" : Num(v.OriginStatus));
            w.WriteString("x_forwarded_for", "");
            w.WriteString("remote_ip", v.ClientIp);
            w.WriteString("engine_ip", "198.18.30.11");
            w.WriteString("requestid", requestId);
            w.WriteString("projectid", SandboxAccounts.Huawei.ProjectId);
            w.WriteString("enterprise_project_id", "0");
        });
        return (json, requestId);
    }

    public (string Json, string Id) HuaweiAccess(Visit v, long sequence)
    {
        var decision = HuaweiDecision(v);
        var blocked = decision?.Action == "block";
        var requestId = HexId(sequence);
        var json = Json(w =>
        {
            w.WriteString("category", "access");
            w.WriteString("access_log.requestid", requestId);
            w.WriteNumber("access_log.time", v.Time.ToUnixTimeMilliseconds());
            w.WriteString("access_log.time_iso8601", v.Time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            w.WriteString("access_log.eng_ip", "198.18.30.11");
            w.WriteString("access_log.sip", v.ClientIp);
            w.WriteString("access_log.sport", Num(v.ClientPort));
            w.WriteString("access_log.host", v.Host);
            w.WriteString("access_log.hport", "443");
            w.WriteString("access_log.method", v.Method);
            w.WriteString("access_log.uri", v.Path);
            w.WriteString("access_log.params", v.Query);
            w.WriteString("access_log.status", Num(blocked ? 418 : v.OriginStatus));
            w.WriteString("access_log.upstream_status", blocked ? "-" : Num(v.OriginStatus));
            w.WriteString("access_log.body_bytes_sent", Num(blocked ? 0 : v.ResponseBytes));
            w.WriteString("access_log.request_length", Num(v.RequestLength));
            w.WriteString("access_log.request_time", (v.RequestTimeMs / 1000.0).ToString("0.000", CultureInfo.InvariantCulture));
            w.WriteString("access_log.user_agent", v.UserAgent);
            w.WriteString("access_log.referer", v.Referer);
            w.WriteString("access_log.x_forwarded_for", "-");
            w.WriteString("access_log.attack", decision?.Attack ?? "-");
            w.WriteString("access_log.action", decision?.Action ?? "-");
        });
        return (json, requestId);
    }

    // ---------------------------------------------------------------- Tencent Cloud WAF (CLS, LogJson)

    /// <summary>
    /// A Tencent WAF access log. The domain's IP blocklist comes first: a blocked address is logged with action
    /// intercept, attack_type <c>ip_blacklist</c> and rule_id = the access-control rule's RuleId.
    /// </summary>
    public (string Json, string Id) TencentWaf(Visit v, long sequence)
    {
        var blocked = state.WafBlockList("tencent", SandboxAccounts.Tencent.AppId, v.Host).Match(v.ClientIp, now);
        var (attack, ruleId) = blocked is not null ? ("ip_blacklist", blocked.RuleId) : v.Attack switch
        {
            AttackKind.SqlInjection => ("sqli", "100000001"),
            AttackKind.CrossSiteScripting => ("xss", "100000002"),
            AttackKind.WebShell => ("webshell", "100000003"),
            AttackKind.DirectoryScan when v.Counter >= ScanBlockThreshold => ("scanner", "100000004"),
            _ => ("-", "0"),
        };
        var intercepted = attack != "-";
        var uuid = HexId(sequence) + "-" + HexId(rng.NextInt64());
        var local = v.Time.ToOffset(ChinaOffset);
        var json = Json(w =>
        {
            w.WriteString("domain", v.Host);
            w.WriteString("request_time", (intercepted ? 0.001 : v.RequestTimeMs / 1000.0).ToString("0.000", CultureInfo.InvariantCulture));
            w.WriteString("client", v.ClientIp);
            w.WriteString("uuid", uuid);
            w.WriteString("schema", "https");
            w.WriteString("method", v.Method);
            w.WriteString("instance", SandboxWafs.Tencent.InstanceId);
            w.WriteString("url", v.Path);
            w.WriteString("query", v.Query);
            w.WriteString("time", local.ToString("dd/MMM/yyyy:HH:mm:ss ", CultureInfo.InvariantCulture) + "+0800");
            w.WriteString("timestamp", local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            w.WriteString("appid", SandboxAccounts.Tencent.AppId);
            w.WriteString("status", Num(intercepted ? 403 : v.OriginStatus));
            w.WriteString("upstream_status", intercepted ? "-" : Num(v.OriginStatus));
            w.WriteString("bytes_sent", Num(intercepted ? 0 : v.ResponseBytes));
            w.WriteString("user_agent", v.UserAgent);
            w.WriteString("referer", v.Referer);
            w.WriteString("attack_type", attack);
            w.WriteString("rule_id", ruleId);
            w.WriteString("action", intercepted ? "intercept" : "pass");
        });
        return (json, uuid);
    }

    // ---------------------------------------------------------------- helpers

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private string HexId(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{sequence:x16}{rng.NextInt64():x16}");

    private string NewUuid(bool lower)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexString(bytes);
        var text = $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
        return lower ? text.ToLowerInvariant() : text;
    }

    private static (string Browser, string Os, string Device) DescribeAgent(string agent) =>
        agent.Contains("sqlmap", StringComparison.Ordinal) || agent.Contains("gobuster", StringComparison.Ordinal) || agent.Contains("python-requests", StringComparison.Ordinal)
            ? ("Unknown", "Unknown", "Unknown")
            : (agent.Contains("Edg/", StringComparison.Ordinal) ? "Edge"
                : agent.Contains("Chrome/", StringComparison.Ordinal) ? "Chrome"
                : agent.Contains("Firefox/", StringComparison.Ordinal) ? "Firefox" : "Safari",
                agent.Contains("Android", StringComparison.Ordinal) ? "Android"
                : agent.Contains("iPhone", StringComparison.Ordinal) ? "iOS"
                : agent.Contains("Windows", StringComparison.Ordinal) ? "Windows"
                : agent.Contains("Mac OS X", StringComparison.Ordinal) ? "Mac OS X" : "Linux",
                agent.Contains("Mobile", StringComparison.Ordinal) ? "Mobile" : "Computer");
}
