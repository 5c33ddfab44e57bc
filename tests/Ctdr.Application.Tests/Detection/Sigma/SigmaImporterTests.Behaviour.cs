using System.Text;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Sigma;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Application.Tests.Detection.Sigma;

/// <summary>Imported rules run on the detection engine behave as the Sigma specification says.</summary>
public sealed partial class SigmaImporterTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RunImported_RaisesOnlyMatchingRequests_WhenSelectionAndFilterAreCombined()
    {
        var rule = Single("""
            title: Path traversal outside the office
            logsource: {category: webserver}
            detection:
              selection:
                cs-uri-query|contains:
                  - '../'
                  - '%2e%2e%2f'
              filter_office:
                c-ip|cidr: 10.0.0.0/8
              condition: selection and not 1 of filter_*
            """);

        var raised = Run(rule,
            Waf(1, ip: "203.0.113.7", query: "file=../../etc/passwd"),
            Waf(2, ip: "10.1.2.3", query: "file=../../etc/passwd"),
            Waf(3, ip: "203.0.113.8", query: "file=%2E%2E%2Fetc"),
            Waf(4, ip: "203.0.113.9", query: "file=report.pdf"),
            Waf(5, ip: "203.0.113.9", query: null));

        Assert.Equal([1, 3], raised);
    }

    [Fact]
    public void RunImported_MatchesWildcardsAndEscapesAsSigmaDoes_WhenValuesHaveWildcards()
    {
        var rule = Single("""
            title: Wildcards
            logsource: {category: webserver}
            detection:
              single_char:
                cs-uri-stem: '/v?/admin'
              literal_star:
                cs-uri-stem: '/files/\*'
              inner_star:
                cs-uri-stem: '/api/*/delete'
              condition: 1 of them
            """);

        var raised = Run(rule,
            Waf(1, path: "/v1/admin"),
            Waf(2, path: "/v10/admin"),
            Waf(3, path: "/files/*"),
            Waf(4, path: "/files/report"),
            Waf(5, path: "/API/users/DELETE"),
            Waf(6, path: "/api/delete"),
            Waf(7, path: "/api/x/delete/now"));

        Assert.Equal([1, 3, 5], raised);
    }

    [Fact]
    public void RunImported_IgnoresCaseExceptForCasedAndRegex_WhenRuleComparesText()
    {
        var rule = Single("""
            title: Case
            logsource: {category: webserver}
            detection:
              plain:
                cs-user-agent|contains: sqlmap
              cased:
                cs-user-agent|contains|cased: Nikto
              regex:
                cs-user-agent|re: '^Masscan/[0-9]'
              regex_i:
                cs-user-agent|re|i: '^zgrab'
              condition: 1 of them
            """);

        var raised = Run(rule,
            Waf(1, agent: "SQLMAP/1.7"),
            Waf(2, agent: "Mozilla/5.0 Nikto"),
            Waf(3, agent: "mozilla/5.0 nikto"),
            Waf(4, agent: "Masscan/1.3"),
            Waf(5, agent: "masscan/1.3"),
            Waf(6, agent: "ZGrab/0.x"),
            Waf(7, agent: "curl/8"));

        Assert.Equal([1, 2, 4, 6], raised);
    }

    [Fact]
    public void RunImported_RaisesOnRecordsWithoutTheField_WhenValueIsNull()
    {
        var rule = Single("""
            title: No user agent on a POST
            logsource: {category: webserver}
            detection:
              selection:
                cs-method: POST
                cs-user-agent: null
              condition: selection
            """);

        var raised = Run(rule,
            Waf(1, method: "POST", agent: null),
            Waf(2, method: "POST", agent: "curl/8"),
            Waf(3, method: "GET", agent: null));

        Assert.Equal([1], raised);
    }

    [Fact]
    public void RunImported_SearchesEveryTextField_WhenRuleHasKeywords()
    {
        var rule = Single("""
            title: Log4Shell
            logsource: {category: webserver}
            detection:
              keywords:
                - '${jndi:'
              condition: keywords
            """);

        var raised = Run(rule,
            Waf(1, agent: "${jndi:ldap://x}"),
            Waf(2, query: "q=${JNDI:rmi://y}"),
            Waf(3, path: "/index"));

        Assert.Equal([1, 2], raised);
    }

    [Fact]
    public void RunImported_MatchesEveryDashVariantAndTheEncodedValue_WhenRuleUsesWindashAndBase64()
    {
        var rule = Single("""
            title: Encoded command
            logsource: {category: webserver}
            detection:
              dash:
                cs-uri-query|windash|contains: ' -enc '
              encoded:
                cs-uri-query|base64|contains: 'whoami'
              condition: 1 of them
            """);

        var raised = Run(rule,
            Waf(1, query: "c=powershell /enc abc"),
            Waf(2, query: "c=powershell \u2013enc abc"),
            Waf(3, query: "c=powershell enc abc"),
            Waf(4, query: "x=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("whoami"))),
            Waf(5, query: "x=whoami"));

        Assert.Equal([1, 2, 4], raised);
    }

    [Fact]
    public void RunImported_ReadsTheProvidersOwnField_WhenFieldMapsToARawPath()
    {
        var rule = Single("""
            title: Evil referer
            logsource: {category: webserver}
            detection:
              selection:
                cs-referer|contains: evil.example
              condition: selection
            """);

        var raised = Run(rule,
            Waf(1, raw: """{"http_referer":"https://evil.example/x"}"""),
            Waf(2, product: LogProduct.TencentWaf, raw: """{"referer":"https://EVIL.example/y"}"""),
            Waf(3, raw: """{"http_referer":"https://good.example/"}"""));

        Assert.Equal([1, 2], raised);
    }

    [Fact]
    public void RunImported_MatchesTheWholeUri_WhenRuleTestsCsUri()
    {
        var rule = Single("""
            title: URI
            logsource: {category: webserver}
            detection:
              exact:
                cs-uri: '/login.php\?next=/admin'
              inside:
                cs-uri|contains: 'etc/passwd'
              tail:
                cs-uri|endswith: '.bak'
              condition: 1 of them
            """);

        var raised = Run(rule,
            Waf(1, path: "/login.php", query: "next=/admin"),
            Waf(2, path: "/login.php", query: "next=/admin&x=1"),
            Waf(3, path: "/static/etc/passwd"),
            Waf(4, path: "/read", query: "f=../etc/passwd"),
            Waf(5, path: "/site.bak"),
            Waf(6, path: "/site.bak", query: "v=1"),
            Waf(7, path: "/download", query: "f=db.bak"));

        Assert.Equal([1, 3, 4, 5, 7], raised);
    }

    [Fact]
    public void RunImported_RaisesWhenTheCountPassesTheThreshold_WhenCorrelationIsEventCountGt()
    {
        var rule = Assert.Single(SigmaImporter.Import([new SigmaFile("c.yml", BaseRules + """

            ---
            title: Blocked repeatedly
            correlation:
              type: event_count
              rules: [waf_blocked]
              group-by: [c-ip]
              timespan: 1m
              condition: {gt: 2}
            """)]).Imported, i => i.Rule.Title == "Blocked repeatedly").Rule;

        var raised = Run(rule,
            Waf(1, ip: "203.0.113.1", status: 405, at: 0),
            Waf(2, ip: "203.0.113.1", status: 405, at: 10),
            Waf(3, ip: "203.0.113.2", status: 405, at: 11),
            Waf(4, ip: "203.0.113.1", status: 200, at: 12),
            Waf(5, ip: "203.0.113.1", status: 405, at: 20),
            Waf(6, ip: "203.0.113.2", status: 405, at: 100),
            Waf(7, ip: "203.0.113.2", status: 405, at: 200));

        Assert.Equal([5], raised);
    }

    [Fact]
    public void RunImported_RaisesWhenDistinctValuesReachTheThreshold_WhenCorrelationIsValueCount()
    {
        var rule = Assert.Single(SigmaImporter.Import([new SigmaFile("c.yml", """
            title: Failed login
            name: failed_login
            logsource: {product: aws, service: cloudtrail}
            detection: {sel: {eventName: ConsoleSignin, errorCode|exists: true}, condition: sel}
            ---
            title: Spraying
            correlation:
              type: value_count
              rules: [failed_login]
              group-by: [sourceIPAddress]
              timespan: 10m
              condition: {field: userIdentity.userName, gte: 3}
            """)]).Imported).Rule;

        var raised = Run(rule,
            Trail(1, "alice", error: "InvalidPassword", at: 0),
            Trail(2, "alice", error: "InvalidPassword", at: 1),
            Trail(3, "bob", error: "InvalidPassword", at: 2),
            Trail(4, "carol", error: null, at: 3),
            Trail(5, "dave", error: "InvalidPassword", at: 4));

        Assert.Equal([5], raised);
    }

    [Theory]
    [InlineData("temporal", new[] { 3, 4 })]
    [InlineData("temporal_ordered", new[] { 4 })]
    public void RunImported_RaisesWhenAllRulesMatchForOneClient_WhenCorrelationIsTemporal(string type, int[] expected)
    {
        var rule = Assert.Single(SigmaImporter.Import([new SigmaFile("c.yml", BaseRules + $"""

            ---
            title: Blocked and admin login
            correlation:
              type: {type}
              rules: [waf_blocked, admin_login]
              group-by: [c-ip]
              timespan: 5m
            """)]).Imported).Rule;

        var raised = Run(rule,
            Waf(1, ip: "203.0.113.1", method: "POST", path: "/admin/login", at: 0),
            Waf(2, ip: "203.0.113.2", status: 405, at: 5),
            Waf(3, ip: "203.0.113.1", status: 405, at: 10),
            Waf(4, ip: "203.0.113.2", method: "POST", path: "/admin/login", at: 20));

        Assert.Equal(expected.Select(e => (long)e), raised);
    }

    [Fact]
    public void RunImported_CountsEachRuleOnlyOnItsOwnLogs_WhenCorrelatedRulesHaveDifferentLogsources()
    {
        var rule = Assert.Single(SigmaImporter.Import([new SigmaFile("c.yml", """
            title: Firewall hit
            name: fw_hit
            logsource: {category: firewall}
            detection: {sel: {src_ip|cidr: 203.0.113.0/24}, condition: sel}
            ---
            title: Web post
            name: web_post
            logsource: {category: webserver}
            detection: {sel: {cs-method: POST}, condition: sel}
            ---
            title: Probe on both layers
            correlation:
              type: event_count
              rules: [fw_hit, web_post]
              group-by: [ip]
              aliases: {ip: {fw_hit: src_ip, web_post: c-ip}}
              timespan: 1m
              condition: {gte: 2}
            """)]).Imported).Rule;

        var firewall = Waf(3, ip: "203.0.113.5", method: null, path: null, agent: null, at: 20, product: LogProduct.AlibabaCloudFirewall);
        var raised = Run(rule,
            Waf(1, ip: "203.0.113.5", method: "GET", at: 0),
            Waf(2, ip: "203.0.113.5", method: "POST", at: 10),
            firewall);

        Assert.Equal([3], raised);
    }

    private static List<long> Run(RuleDefinition rule, params SecurityLog[] records)
    {
        var engine = new DetectionEngine(
            RuleCompiler.Compile([new ActiveRule(1, rule, RuleMode.Live)], [], new DetectionOptions()),
            new DetectionOptions());
        var sink = new Sink();
        for (var i = 0; i < records.Length; i++)
        {
            engine.Process(new StoredLog(long.Parse(records[i].Uid, System.Globalization.CultureInfo.InvariantCulture), records[i]), sink, records[i].Time);
        }

        engine.Flush(sink);
        return [.. sink.Raised.Distinct()];
    }

    private static SecurityLog Waf(
        int uid,
        string ip = "198.51.100.1",
        string? method = "GET",
        string? path = "/",
        string? query = null,
        string? agent = "Mozilla/5.0",
        int status = 200,
        int at = 0,
        LogProduct product = LogProduct.AlibabaWaf,
        string raw = "{}") => new()
        {
            SourceId = 1,
            Uid = uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Time = T0.AddSeconds(at),
            ClassUid = OcsfClass.HttpActivity,
            Product = product,
            SrcIp = ip,
            HttpMethod = method,
            UrlHostname = "shop.example.com",
            UrlPath = path,
            UrlQuery = query,
            UserAgent = agent,
            HttpStatus = status,
            Raw = Encoding.UTF8.GetBytes(raw),
        };

    private static SecurityLog Trail(int uid, string user, string? error, int at) => new()
    {
        SourceId = 2,
        Uid = uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Time = T0.AddSeconds(at),
        ClassUid = OcsfClass.ApiActivity,
        Product = LogProduct.AlibabaActionTrail,
        SrcIp = "198.51.100.7",
        ApiOperation = "ConsoleSignin",
        ApiErrorCode = error,
        ActorUserName = user,
        Raw = "{}"u8.ToArray(),
    };

    private sealed class Sink : IDetectionSink
    {
        public List<long> Raised { get; } = [];

        public void Raise(AlertCandidate candidate) => Raised.Add(candidate.Evidence.LogId);

        public void AllowListed(long entryId, long ruleId, DateTimeOffset time)
        {
        }
    }
}
