using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Sigma;
using Ctdr.Application.Detection.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.Detection.Sigma;

public sealed partial class SigmaImporterTests
{
    private static readonly ValueList<LogProduct> Wafs = ValueList.Of(LogProduct.AlibabaWaf, LogProduct.HuaweiWaf, LogProduct.TencentWaf);

    private static readonly ValueList<EntityMapping> WafEntities = ValueList.Of(
        new EntityMapping(EntityKind.Ip, "src_endpoint.ip"),
        new EntityMapping(EntityKind.Asset, "http_request.url.hostname"),
        new EntityMapping(EntityKind.Account, "cloud.account.uid"));

    private static readonly ValueList<EntityMapping> TrailEntities = ValueList.Of(
        new EntityMapping(EntityKind.Ip, "src_endpoint.ip"),
        new EntityMapping(EntityKind.Account, "cloud.account.uid"),
        new EntityMapping(EntityKind.User, "actor.user.name"),
        new EntityMapping(EntityKind.AccessKey, "actor.user.credential_uid"));

    private static readonly ValueList<EntityMapping> AnyProductEntities = ValueList.Of(
        new EntityMapping(EntityKind.Ip, "src_endpoint.ip"),
        new EntityMapping(EntityKind.Account, "cloud.account.uid"));

    [Fact]
    public void Import_TranslatesEveryMetadataField_WhenRuleHasFullMetadata()
    {
        var report = SigmaImporter.Import([new SigmaFile("sqli.yml", """
            title: SQL Injection Keywords In Query String
            id: 5a1c4f2e-8b7d-4e0a-9c3f-1d2e3f4a5b6c
            name: webserver_sqli_keywords
            status: test
            description: Detects SQL keywords in the query string of web requests.
            license: DRL-1.1
            author: Jane Doe, John Roe
            date: 2025-01-02
            references:
              - https://example.org/sqli
              - https://example.org/owasp
            tags:
              - attack.initial-access
              - attack.t1190
              - attack.execution
              - attack.t1059
            logsource:
              category: webserver
            detection:
              selection:
                cs-uri-query|contains:
                  - 'union select'
                  - 'sleep('
              condition: selection
            falsepositives:
              - Search pages that echo SQL
              - Unknown
            level: high
            """)]);

        var item = Assert.Single(report.Imported);
        Assert.Empty(report.Refused);
        Assert.Equal("sqli.yml", item.File);
        Assert.Equal("5a1c4f2e-8b7d-4e0a-9c3f-1d2e3f4a5b6c", item.SigmaId);
        Assert.Equal(
            new RuleDefinition
            {
                Id = "sigma-webserver-sqli-keywords",
                Title = "SQL Injection Keywords In Query String",
                Description = "Detects SQL keywords in the query string of web requests. False positives: Search pages that echo SQL; Unknown.",
                Severity = RuleSeverity.High,
                Products = Wafs,
                Tactic = "TA0001",
                Technique = "T1190",
                Condition = F("http_request.url.query_string", MatchOperator.Contains, "union select", "sleep("),
                Entities = WafEntities,
                Author = "Jane Doe, John Roe",
                License = "DRL-1.1",
                References = ValueList.Of("https://example.org/sqli", "https://example.org/owasp"),
            },
            item.Rule);
    }

    [Fact]
    public void Import_DerivesKeyFromTitleAndDefaultsLevel_WhenRuleHasNoNameNoLevelNoLicence()
    {
        var rule = Single("""
            title: "Über-long: Admin Panel Probe (v2) — test"
            logsource:
              product: ctdr
            detection:
              sel:
                http_request.url.path: /admin
              condition: sel
            """);

        Assert.Equal("sigma-ber-long-admin-panel-probe-v2-test", rule.Id);
        Assert.Equal(RuleSeverity.Medium, rule.Severity);
        Assert.Null(rule.License);
        Assert.Null(rule.Author);
        Assert.Null(rule.Description);
        Assert.Null(rule.Tactic);
        Assert.Null(rule.Technique);
        Assert.Null(rule.Suppression);
        Assert.Empty(rule.Products);
        Assert.Equal(AnyProductEntities, rule.Entities);
    }

    [Fact]
    public void Import_DropsTheTechniqueAndJoinsTitleLines_WhenRuleHasNoTacticTagAndAFoldedTitle()
    {
        var rule = Single("""
            title: >-
              Probe of the
              admin panel
            tags: [attack.t1190, attack.s0001, cve.2021-44228]
            logsource: {product: ctdr}
            detection: {sel: {http_request.url.path: /admin}, condition: sel}
            """);

        Assert.Equal("Probe of the admin panel", rule.Title);
        Assert.Null(rule.Tactic);
        Assert.Null(rule.Technique);
    }

    [Fact]
    public void Import_ShortensTitleAndKey_WhenTitleIsLongerThanTheLimits()
    {
        var title = string.Concat(Enumerable.Repeat("abcdefghi ", 30));

        var rule = Single($"""
            title: {title}
            logsource:
              product: ctdr
            detection:
              sel:
                http_request.url.path: /admin
              condition: sel
            """);

        Assert.Equal(200, rule.Title.Length);
        Assert.EndsWith("abcdefghi\u2026", rule.Title, StringComparison.Ordinal);
        Assert.Equal(100, rule.Id.Length);
        Assert.StartsWith("sigma-abcdefghi-abcdefghi-", rule.Id, StringComparison.Ordinal);
        Assert.EndsWith("-abcd", rule.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_SuffixesTheKey_WhenTwoRulesHaveTheSameTitle()
    {
        var report = SigmaImporter.Import([
            new SigmaFile("a.yml", "title: Same\nlogsource: {product: ctdr}\ndetection: {sel: {http_request.http_method: A}, condition: sel}"),
            new SigmaFile("b.yml", "title: Same\nlogsource: {product: ctdr}\ndetection: {sel: {http_request.http_method: B}, condition: sel}"),
        ]);

        Assert.Equal(["sigma-same", "sigma-same-2"], report.Imported.Select(i => i.Rule.Id));
    }

    [Fact]
    public void Import_MapsWebserverFields_WhenLogsourceIsCategoryWebserver()
    {
        var rule = Single("""
            title: Web fields
            logsource:
              category: webserver
            detection:
              sel:
                c-ip: 203.0.113.7
                cs-method: POST
                cs-uri-stem: /login
                cs-uri-query: a=1
                sc-status: 401
                cs-user-agent|contains: curl
                cs-host: shop.example.com
                cs-referer|contains: evil
                src_endpoint.port: 4444
              condition: sel
            """);

        Assert.Equal(
            And(
                F("src_endpoint.ip", MatchOperator.Equals, "203.0.113.7"),
                F("http_request.http_method", MatchOperator.Equals, "POST"),
                F("http_request.url.path", MatchOperator.Equals, "/login"),
                F("http_request.url.query_string", MatchOperator.Equals, "a=1"),
                F("http_response.code", MatchOperator.Equals, "401"),
                F("http_request.user_agent", MatchOperator.Contains, "curl"),
                F("http_request.url.hostname", MatchOperator.Equals, "shop.example.com"),
                Or(
                    F("raw.http_referer", MatchOperator.Contains, "evil"),
                    F("raw.access_log.referer", MatchOperator.Contains, "evil"),
                    F("raw.referer", MatchOperator.Contains, "evil")),
                F("src_endpoint.port", MatchOperator.Equals, "4444")),
            rule.Condition);
        Assert.Equal(Wafs, rule.Products);
    }

    public static TheoryData<string, RuleCondition> UriTests => new()
    {
        { "cs-uri: /index.php", And(F("http_request.url.path", MatchOperator.Equals, "/index.php"), new NotCondition(F("http_request.url.query_string", MatchOperator.Exists))) },
        { "cs-uri: '/a\\?b=1'", And(F("http_request.url.path", MatchOperator.Equals, "/a"), F("http_request.url.query_string", MatchOperator.Equals, "b=1")) },
        { "cs-uri|startswith: /admin", F("http_request.url.path", MatchOperator.StartsWith, "/admin") },
        { "cs-uri|startswith: '/a\\?x='", And(F("http_request.url.path", MatchOperator.Equals, "/a"), F("http_request.url.query_string", MatchOperator.StartsWith, "x=")) },
        { "cs-uri|startswith: '/a\\?'", And(F("http_request.url.path", MatchOperator.Equals, "/a"), F("http_request.url.query_string", MatchOperator.Exists)) },
        { "cs-uri|contains: etc/passwd", Or(F("http_request.url.path", MatchOperator.Contains, "etc/passwd"), F("http_request.url.query_string", MatchOperator.Contains, "etc/passwd")) },
        { "cs-uri|contains|cased: Etc", Or(F("http_request.url.path", MatchOperator.Contains, "Etc") with { CaseSensitive = true }, F("http_request.url.query_string", MatchOperator.Contains, "Etc") with { CaseSensitive = true }) },
        {
            "cs-uri|contains|all: [/remote.do, getPier]",
            And(
                Or(F("http_request.url.path", MatchOperator.Contains, "/remote.do"), F("http_request.url.query_string", MatchOperator.Contains, "/remote.do")),
                Or(F("http_request.url.path", MatchOperator.Contains, "getPier"), F("http_request.url.query_string", MatchOperator.Contains, "getPier")))
        },
        {
            "cs-uri|endswith: .bak",
            Or(
                And(F("http_request.url.query_string", MatchOperator.Exists), F("http_request.url.query_string", MatchOperator.EndsWith, ".bak")),
                And(new NotCondition(F("http_request.url.query_string", MatchOperator.Exists)), F("http_request.url.path", MatchOperator.EndsWith, ".bak")))
        },
        { "cs-uri|neq: /", new NotCondition(And(F("http_request.url.path", MatchOperator.Equals, "/"), new NotCondition(F("http_request.url.query_string", MatchOperator.Exists)))) },
    };

    [Theory]
    [MemberData(nameof(UriTests))]
    public void Import_SplitsTheTestIntoPathAndQuery_WhenFieldIsCsUri(string entry, RuleCondition expected)
    {
        var condition = Condition($"""
            detection:
              selection:
                {entry}
              condition: selection
            """, "category: webserver");

        Assert.Equal(expected, condition);
    }

    [Fact]
    public void Import_TestsEveryProductsFieldIsAbsent_WhenNullIsGivenForAFieldWithSeveralPaths()
    {
        var rule = Single("""
            title: No referer
            logsource:
              category: webserver
            detection:
              sel:
                cs-referer: null
              condition: sel
            """);

        Assert.Equal(
            new NotCondition(Or(
                F("raw.http_referer", MatchOperator.Exists),
                F("raw.access_log.referer", MatchOperator.Exists),
                F("raw.referer", MatchOperator.Exists))),
            rule.Condition);
    }

    [Fact]
    public void Import_MapsCloudTrailFieldsToActionTrail_WhenLogsourceIsAwsCloudTrail()
    {
        var rule = Single("""
            title: Trail fields
            logsource:
              product: aws
              service: cloudtrail
            detection:
              sel:
                eventName: DeleteTrail
                eventSource: actiontrail.aliyuncs.com
                sourceIPAddress: 198.51.100.1
                errorCode: NoPermission
                errorMessage|contains: denied
                userAgent|startswith: aliyun-cli
                awsRegion: cn-hangzhou
                recipientAccountId: '1234567890'
                userIdentity.type: ram-user
                userIdentity.userName: alice
                userIdentity.principalId: '2001'
                userIdentity.accessKeyId: LTAI0001
                userIdentity.accountId: '1234567890'
                requestParameters.name: trail-1
              condition: sel
            """);

        Assert.Equal(
            And(
                F("api.operation", MatchOperator.Equals, "DeleteTrail"),
                F("api.service.name", MatchOperator.Equals, "actiontrail.aliyuncs.com"),
                F("src_endpoint.ip", MatchOperator.Equals, "198.51.100.1"),
                F("api.response.error", MatchOperator.Equals, "NoPermission"),
                F("api.response.error_message", MatchOperator.Contains, "denied"),
                F("http_request.user_agent", MatchOperator.StartsWith, "aliyun-cli"),
                F("cloud.region", MatchOperator.Equals, "cn-hangzhou"),
                F("cloud.account.uid", MatchOperator.Equals, "1234567890"),
                F("actor.user.type", MatchOperator.Equals, "ram-user"),
                F("actor.user.name", MatchOperator.Equals, "alice"),
                F("actor.user.uid", MatchOperator.Equals, "2001"),
                F("actor.user.credential_uid", MatchOperator.Equals, "LTAI0001"),
                F("actor.user.account.uid", MatchOperator.Equals, "1234567890"),
                F("raw.event.requestParameters.name", MatchOperator.Equals, "trail-1")),
            rule.Condition);
        Assert.Equal(ValueList.Of(LogProduct.AlibabaActionTrail), rule.Products);
        Assert.Equal(TrailEntities, rule.Entities);
    }

    [Fact]
    public void Import_MapsFirewallFields_WhenLogsourceIsCategoryFirewall()
    {
        var rule = Single("""
            title: Firewall fields
            logsource:
              category: firewall
            detection:
              sel:
                src_ip|cidr: 10.0.0.0/8
                dst_ip: 192.0.2.1
                src_port|gte: 1024
                dst_port: 22
                action: drop
              condition: sel
            """);

        Assert.Equal(
            And(
                F("src_endpoint.ip", MatchOperator.Cidr, "10.0.0.0/8"),
                F("dst_endpoint.ip", MatchOperator.Equals, "192.0.2.1"),
                F("src_endpoint.port", MatchOperator.GreaterOrEqual, "1024"),
                F("dst_endpoint.port", MatchOperator.Equals, "22"),
                F("raw.rule_result", MatchOperator.Equals, "drop")),
            rule.Condition);
        Assert.Equal(ValueList.Of(LogProduct.AlibabaCloudFirewall), rule.Products);
        Assert.Equal(AnyProductEntities, rule.Entities);
    }

    [Theory]
    [InlineData("product: alibaba_cloud\n  service: waf", LogProduct.AlibabaWaf, "final_rule_type", "raw.final_rule_type")]
    [InlineData("product: Alibaba_Cloud\n  service: CloudFirewall", LogProduct.AlibabaCloudFirewall, "rule_result", "raw.rule_result")]
    [InlineData("product: alibaba_cloud\n  service: actiontrail", LogProduct.AlibabaActionTrail, "serviceName", "raw.event.serviceName")]
    [InlineData("product: alibaba_cloud\n  service: actiontrail", LogProduct.AlibabaActionTrail, "eventName", "api.operation")]
    [InlineData("product: alibaba_cloud\n  service: actiontrail", LogProduct.AlibabaActionTrail, "acsRegion", "cloud.region")]
    [InlineData("product: alibaba_cloud\n  service: actiontrail", LogProduct.AlibabaActionTrail, "vpcId", "raw.event.vpcId")]
    [InlineData("product: huawei_cloud\n  service: waf", LogProduct.HuaweiWaf, "attack", "raw.attack")]
    [InlineData("product: tencent_cloud\n  service: waf", LogProduct.TencentWaf, "attack_type", "raw.attack_type")]
    [InlineData("product: tencent_cloud\n  service: waf", LogProduct.TencentWaf, "src_endpoint.ip", "src_endpoint.ip")]
    [InlineData("product: ctdr\n  service: HuaweiWaf", LogProduct.HuaweiWaf, "raw.access_log.attack", "raw.access_log.attack")]
    public void Import_MapsProviderFieldsToRaw_WhenLogsourceIsOneOfOurOwn(string logsource, LogProduct product, string field, string path)
    {
        var rule = Single($"""
            title: Own logsource
            logsource:
              {logsource}
            detection:
              sel:
                '{field}': x
              condition: sel
            """);

        Assert.Equal(F(path, MatchOperator.Equals, "x"), rule.Condition);
        Assert.Equal(ValueList.Of(product), rule.Products);
    }

    [Fact]
    public void Import_ReportsEachRuleOfAFile_WhenFileHoldsSeveralDocuments()
    {
        var report = SigmaImporter.Import([new SigmaFile("multi.yml", """
            title: First
            logsource: {product: ctdr}
            detection: {sel: {http_request.http_method: A}, condition: sel}
            ---
            title: Second
            id: second-id
            logsource: {product: windows}
            detection: {sel: {Image: x}, condition: sel}
            ---
            ---
            - not a map
            """)]);

        Assert.Equal(["sigma-first"], report.Imported.Select(i => i.Rule.Id));
        Assert.Equal(
            [
                new SigmaRefusal("multi.yml", "Second", $"logsource product 'windows' has no log product in Ctdr (supported: {SigmaFieldMap.Supported})"),
                new SigmaRefusal("multi.yml", "document 4", "a Sigma rule must be a YAML map"),
            ],
            report.Refused);
    }

    // ------------------------------------------------------------------ correlations

    private const string BaseRules = """
        title: WAF blocked request
        id: 11111111-1111-4111-8111-111111111111
        name: waf_blocked
        logsource:
          category: webserver
        detection:
          sel:
            sc-status: 405
          condition: sel
        level: low
        ---
        title: Admin login
        id: 22222222-2222-4222-8222-222222222222
        name: admin_login
        logsource:
          category: webserver
        detection:
          sel:
            cs-uri-stem: /admin/login
            cs-method: POST
          condition: sel
        """;

    private static readonly RuleCondition Blocked = F("http_response.code", MatchOperator.Equals, "405");

    private static readonly RuleCondition AdminLogin = And(
        F("http_request.url.path", MatchOperator.Equals, "/admin/login"),
        F("http_request.http_method", MatchOperator.Equals, "POST"));

    [Fact]
    public void Import_CountsMatchesOfTheBaseRule_WhenCorrelationIsEventCount()
    {
        var report = SigmaImporter.Import([new SigmaFile("count.yml", BaseRules + """

            ---
            title: Many WAF blocks from one client
            id: 7d1f8a2e-3c44-4a51-9b1c-0f5e2b7c9a10
            author: Jane Doe
            license: DRL-1.1
            correlation:
              type: event_count
              rules:
                - waf_blocked
              group-by:
                - c-ip
                - cs-host
              timespan: 5m
              condition:
                gt: 49
            tags:
              - attack.t1595.002
              - attack.reconnaissance
            level: high
            """)]);

        Assert.Empty(report.Refused);
        Assert.Equal(["sigma-admin-login", "sigma-many-waf-blocks-from-one-client"], report.Imported.Select(i => i.Rule.Id));
        var item = report.Imported[1];
        Assert.Equal("7d1f8a2e-3c44-4a51-9b1c-0f5e2b7c9a10", item.SigmaId);
        Assert.Equal(
            new RuleDefinition
            {
                Id = "sigma-many-waf-blocks-from-one-client",
                Title = "Many WAF blocks from one client",
                Severity = RuleSeverity.High,
                Products = Wafs,
                Tactic = "TA0043",
                Technique = "T1595.002",
                Condition = Blocked,
                Aggregation = new Aggregation(ValueList.Of("src_endpoint.ip", "http_request.url.hostname"), TimeSpan.FromMinutes(5), AggregateFunction.Count, null, 50),
                Entities = WafEntities,
                Author = "Jane Doe",
                License = "DRL-1.1",
            },
            item.Rule);
    }

    [Fact]
    public void Import_CountsDistinctValues_WhenCorrelationIsValueCountWithGte()
    {
        var rule = Assert.Single(SigmaImporter.Import([new SigmaFile("value.yml", """
            title: Failed console login
            name: failed_login
            logsource: {product: aws, service: cloudtrail}
            detection:
              sel:
                eventName: ConsoleSignin
                errorCode|exists: true
              condition: sel
            ---
            title: Password spraying
            correlation:
              type: value_count
              rules: [failed_login]
              group-by: [sourceIPAddress]
              timespan: 1h
              condition:
                field: userIdentity.userName
                gte: 10
            """)]).Imported).Rule;

        Assert.Equal(
            And(F("api.operation", MatchOperator.Equals, "ConsoleSignin"), F("api.response.error", MatchOperator.Exists)),
            rule.Condition);
        Assert.Equal(
            new Aggregation(ValueList.Of("src_endpoint.ip"), TimeSpan.FromHours(1), AggregateFunction.DistinctCount, "actor.user.name", 10),
            rule.Aggregation);
        Assert.Equal(TrailEntities, rule.Entities);
    }

    [Theory]
    [InlineData("temporal", false)]
    [InlineData("temporal_ordered", true)]
    public void Import_BuildsASequence_WhenCorrelationIsTemporal(string type, bool ordered)
    {
        var report = SigmaImporter.Import([
            new SigmaFile("base.yml", BaseRules),
            new SigmaFile("seq.yml", $"""
                title: Blocked then admin login
                correlation:
                  type: {type}
                  rules:
                    - 11111111-1111-4111-8111-111111111111
                    - admin_login
                  group-by: [c-ip]
                  timespan: 10m
                level: critical
                """),
        ]);

        Assert.Empty(report.Refused);
        var item = Assert.Single(report.Imported);
        Assert.Equal("seq.yml", item.File);
        Assert.Null(item.SigmaId);
        Assert.Equal(
            new RuleDefinition
            {
                Id = "sigma-blocked-then-admin-login",
                Title = "Blocked then admin login",
                Severity = RuleSeverity.Critical,
                Products = Wafs,
                Sequence = new Sequence(
                    ValueList.Of(new SequenceStep("waf_blocked", Blocked), new SequenceStep("admin_login", AdminLogin)),
                    ValueList.Of("src_endpoint.ip"),
                    TimeSpan.FromMinutes(10),
                    ordered),
                Entities = WafEntities,
            },
            item.Rule);
    }

    [Fact]
    public void Import_AlsoImportsTheBaseRules_WhenCorrelationSaysGenerate()
    {
        var report = SigmaImporter.Import([new SigmaFile("gen.yml", BaseRules + """

            ---
            title: Two rules one client
            correlation:
              type: event_count
              rules: [waf_blocked, admin_login]
              group-by: [c-ip]
              timespan: 30s
              condition: {gte: 3}
            generate: true
            """)]);

        Assert.Equal(["sigma-waf-blocked", "sigma-admin-login", "sigma-two-rules-one-client"], report.Imported.Select(i => i.Rule.Id));
        Assert.Equal(Or(Blocked, AdminLogin), report.Imported[2].Rule.Condition);
        Assert.Equal(RuleSeverity.Low, report.Imported[0].Rule.Severity);
        Assert.Equal(Blocked, report.Imported[0].Rule.Condition);
    }

    [Fact]
    public void Import_GroupsOnTheAliasedFields_WhenCorrelationHasAliases()
    {
        var rule = Assert.Single(SigmaImporter.Import([new SigmaFile("alias.yml", """
            title: Firewall drop
            name: fw_drop
            logsource: {category: firewall}
            detection: {sel: {action: drop}, condition: sel}
            ---
            title: Console login
            name: console_login
            logsource: {product: aws, service: cloudtrail}
            detection: {sel: {eventName: ConsoleSignin}, condition: sel}
            ---
            title: Dropped then logged in
            correlation:
              type: temporal_ordered
              rules: [fw_drop, console_login]
              group-by: [ip]
              timespan: 1d
              aliases:
                ip:
                  fw_drop: src_ip
                  console_login: sourceIPAddress
            """)]).Imported).Rule;

        Assert.Equal(
            ValueList.Of(
                new SequenceStep("fw_drop", And(F("metadata.product.name", MatchOperator.Equals, "AlibabaCloudFirewall"), F("raw.rule_result", MatchOperator.Equals, "drop"))),
                new SequenceStep("console_login", And(F("metadata.product.name", MatchOperator.Equals, "AlibabaActionTrail"), F("api.operation", MatchOperator.Equals, "ConsoleSignin")))),
            rule.Sequence!.Steps);
        Assert.True(rule.Sequence.Ordered);
        Assert.Equal(ValueList.Of("src_endpoint.ip"), rule.Sequence.By);
        Assert.Equal(ValueList.Of(LogProduct.AlibabaCloudFirewall, LogProduct.AlibabaActionTrail), rule.Products);
        Assert.Equal(AnyProductEntities, rule.Entities);
        Assert.Equal(TimeSpan.FromDays(1), rule.Sequence.Window);
    }

    [Fact]
    public void Import_ProducesRulesThatPrintAndParseBackEqual_WhenRulesUseEveryConstruct()
    {
        var entries = Modifiers.Select(row => (string)row[0]).ToList();
        var detections = string.Join("\n---\n", entries.Select((entry, i) => $$"""
            title: Construct {{i}}
            logsource: {product: ctdr}
            detection:
              selection:
                {{entry}}
              keywords: ['a*b', plain]
              _x: {http_request.http_method: X}
              condition: 1 of selection* and not (keywords or _x)
            """));
        var report = SigmaImporter.Import([new SigmaFile("all.yml", detections), new SigmaFile("corr.yml", BaseRules + """

            ---
            title: Count
            correlation: {type: value_count, rules: [waf_blocked, admin_login], group-by: [c-ip], timespan: 90s, condition: {field: cs-host, gt: 3}}
            generate: true
            ---
            title: Sequence
            correlation: {type: temporal_ordered, rules: [waf_blocked, admin_login], group-by: [c-ip, cs-host], timespan: 2h}
            tags: [attack.initial_access, attack.t1190]
            """)]);

        Assert.Empty(report.Refused);
        Assert.Equal(entries.Count + 4, report.Imported.Count);
        foreach (var rule in report.Imported.Select(i => i.Rule))
        {
            var (parsed, errors) = RuleText.ParseSingle(RuleText.Print(rule));
            Assert.Empty(errors);
            Assert.Equal(rule, parsed);
        }
    }

    // ------------------------------------------------------------------ refusals

    public static TheoryData<string, string> Refusals => new()
    {
        { "detection: {sel: {http_request.url.path|base64offset|contains: x}, condition: sel}", "modifier 'base64offset' is not supported" },
        { "detection: {sel: {http_request.url.path|expand: '%x%'}, condition: sel}", "modifier 'expand' is not supported" },
        { "detection: {sel: {http_request.url.path|fieldref: http_request.url.hostname}, condition: sel}", "modifier 'fieldref' is not supported" },
        { "detection: {sel: {time|hour: 3}, condition: sel}", "modifier 'hour' is not supported" },
        { "detection: {sel: {http_request.url.path|wide: x}, condition: sel}", "modifier 'wide' is only supported with 'base64' (logs hold decoded text)" },
        { "detection: {sel: {http_request.url.path|base64: 'a*'}, condition: sel}", "modifier 'base64' on field 'http_request.url.path' cannot encode the wildcards in 'a*'" },
        { "detection: {sel: {http_request.url.path|i: x}, condition: sel}", "modifier 'i' is only valid with 're'" },
        { "detection: {sel: {http_request.url.path|re|contains: x}, condition: sel}", "modifier 'contains' cannot be combined with 're'" },
        { "detection: {sel: {http_request.url.path|re: '(a'}, condition: sel}", "modifier 're' on field 'http_request.url.path': '(a' is not a valid regular expression (Invalid pattern '(a' at offset 2. Not enough )'s.)" },
        { "detection: {sel: {http_response.code|gt: 1.5}, condition: sel}", "modifier 'gt' on field 'http_response.code' needs an integer, not '1.5'" },
        { "detection: {sel: {src_endpoint.ip|cidr: 10.0.0.0/33}, condition: sel}", "modifier 'cidr' on field 'src_endpoint.ip': '10.0.0.0/33' is not an IPv4 or IPv6 range" },
        { "detection: {sel: {http_request.url.path|exists: yes}, condition: sel}", "modifier 'exists' on field 'http_request.url.path' needs the value true or false" },
        { "detection: {sel: {http_request.url.path|contains|endswith: x}, condition: sel}", "modifiers 'contains' and 'endswith' cannot be combined" },
        { "detection: {sel: {http_request.url.path|contains|all: x}, condition: sel}", "modifier 'all' on field 'http_request.url.path' needs a list of at least two values" },
        { "detection: {sel: {http_request.url.path|windash: 'a-b-c-d-e-f'}, condition: sel}", "modifier 'windash' on field 'http_request.url.path': 'a-b-c-d-e-f' has more than four dashes (too many variants)" },
        { "detection: {sel: {Image: x}, condition: sel}", "field 'Image' has no mapping for logsource product 'ctdr'" },
        { "detection: {sel: [x, {a: b}], condition: sel}", "search identifier 'sel' must be a map, a list of maps or a list of keywords" },
        { "detection: {sel: ['*'], condition: sel}", "the keyword '*' would match every record" },
        { "detection: {sel: {http_request.url.path: x}, condition: sel and filter}", "the condition names 'filter', which is not a search identifier of the rule" },
        { "detection: {sel: {http_request.url.path: x}, condition: sel*}", "the pattern 'sel*' in the condition is only allowed after '1 of' or 'all of'" },
        { "detection: {sel: {http_request.url.path: x}, condition: 1 of filter*}", "'1 of filter*' in the condition matches no search identifier" },
        { "detection: {sel: {http_request.url.path: x}, condition: 2 of sel*}", "'2 of' in the condition is not supported (only '1 of' and 'all of')" },
        { "detection: {sel: {http_request.url.path: x}, condition: (sel}", "the condition '(sel' is not valid: ')' is missing" },
        { "detection: {sel: {http_request.url.path: x}, condition: sel and}", "the condition 'sel and' is not valid: the condition ends too early" },
        { "detection: {sel: {http_request.url.path: x}, condition: sel sel}", "the condition 'sel sel' is not valid: unexpected 'sel'" },
        { "detection: {sel: {src_endpoint.ip: x}, condition: sel | count() by src_endpoint.ip > 10}", "the aggregation '| count() by src_endpoint.ip > 10' in the condition is not supported; use a correlation rule" },
        { "detection: {sel: {http_request.url.path: x}}", "'detection' has no 'condition'" },
        { "status: deprecated\ndetection: {sel: {http_request.url.path: x}, condition: sel}", "status 'deprecated': deprecated and unsupported rules are not imported" },
        { "status: unsupported\ndetection: {sel: {http_request.url.path: x}, condition: sel}", "status 'unsupported': deprecated and unsupported rules are not imported" },
        { "level: severe\ndetection: {sel: {http_request.url.path: x}, condition: sel}", "level 'severe' is not one of informational, low, medium, high, critical" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Import_RefusesWithTheReason_WhenRuleCannotBeTranslated(string body, string reason)
    {
        var report = SigmaImporter.Import([new SigmaFile("r.yml", "title: Refused\nlogsource: {product: ctdr}\n" + body)]);

        Assert.Empty(report.Imported);
        Assert.Equal([new SigmaRefusal("r.yml", "Refused", reason)], report.Refused);
    }

    [Theory]
    [InlineData("cs-uri|contains: 'a\\?b'", "field 'cs-uri' (logged as path and query) cannot take 'a?b' with 'contains': the '?' may fall on either side")]
    [InlineData("cs-uri|endswith: '\\?debug'", "field 'cs-uri' (logged as path and query) cannot take '?debug' with 'endswith': the '?' may fall on either side")]
    [InlineData("cs-uri: '/a*b'", "field 'cs-uri' (logged as path and query) cannot take a wildcard inside a value")]
    [InlineData("cs-uri|re: '^/a'", "modifier 're' is not supported on field 'cs-uri' (the URI is logged as path and query)")]
    public void Import_RefusesTheUriTest_WhenItCannotBeSplitExactly(string entry, string reason)
    {
        var report = SigmaImporter.Import([new SigmaFile("r.yml", $"title: Uri\nlogsource: {{category: webserver}}\ndetection:\n  sel:\n    {entry}\n  condition: sel\n")]);

        Assert.Equal([new SigmaRefusal("r.yml", "Uri", reason)], report.Refused);
    }

    [Theory]
    [InlineData("{product: windows, category: process_creation}", "product 'windows'")]
    [InlineData("{category: process_creation}", "category 'process_creation'")]
    [InlineData("{category: webserver, product: apache}", "product 'apache'")]
    [InlineData("{product: aws, service: s3}", "product 'aws', service 's3'")]
    public void Import_RefusesTheLogsource_WhenCtdrHasNoProductForIt(string logsource, string described)
    {
        var report = SigmaImporter.Import([new SigmaFile("r.yml", $"title: T\nid: the-id\nlogsource: {logsource}\ndetection: {{sel: {{x: y}}, condition: sel}}")]);

        Assert.Equal(
            [new SigmaRefusal("r.yml", "T", $"logsource {described} has no log product in Ctdr (supported: {SigmaFieldMap.Supported})")],
            report.Refused);
    }

    [Theory]
    [InlineData("Image")]
    [InlineData("cs-bytes")]
    public void Import_RefusesTheField_WhenLogsourceHasNoMappingForIt(string field)
    {
        var report = SigmaImporter.Import([new SigmaFile("r.yml", $"id: only-id\nlogsource: {{category: webserver}}\ndetection: {{sel: {{{field}: x}}, condition: sel}}")]);

        Assert.Equal([new SigmaRefusal("r.yml", "only-id", $"field '{field}' has no mapping for logsource category 'webserver'")], report.Refused);
    }

    [Fact]
    public void Import_RefusesTheServiceName_WhenCtdrServiceNamesNoProduct()
    {
        var report = SigmaImporter.Import([new SigmaFile("r.yml", "title: T\nlogsource: {product: ctdr, service: nginx}\ndetection: {sel: {x: y}, condition: sel}")]);

        Assert.Equal(
            "logsource product 'ctdr', service 'nginx' names no log product (supported: AlibabaWaf, AlibabaCloudFirewall, AlibabaActionTrail, HuaweiWaf, TencentWaf, ThirdPartyOcsf)",
            Assert.Single(report.Refused).Reason);
    }

    public static TheoryData<string, string> CorrelationRefusals => new()
    {
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {lt: 10}", "correlation condition 'lt' cannot be evaluated on a stream" },
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {eq: 10}", "correlation condition 'eq' cannot be evaluated on a stream" },
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {gt: 10, lte: 20}", "correlation condition 'lte' cannot be evaluated on a stream" },
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {gt: 10, gte: 20}", "correlation condition has both 'gt' and 'gte'" },
        { "type: event_count\n  rules: [nowhere]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {gt: 10}", "referenced rule 'nowhere' not found" },
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5 minutes\n  condition: {gt: 10}", "correlation timespan '5 minutes' is not a duration (Xs, Xm, Xh or Xd)" },
        { "type: event_count\n  rules: [waf_blocked]\n  timespan: 5m\n  condition: {gt: 10}", "correlation 'group-by' is missing" },
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [Image]\n  timespan: 5m\n  condition: {gt: 10}", "field 'Image' has no mapping for logsource category 'webserver'" },
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [cs-referer]\n  timespan: 5m\n  condition: {gt: 10}", "group-by field 'cs-referer' is several fields for logsource category 'webserver' and cannot be grouped on" },
        { "type: value_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {gt: 10}", "value_count needs 'field' in its condition" },
        { "type: value_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {gt: 10, field: cs-uri}", "value_count field 'cs-uri' is several fields for logsource category 'webserver' and cannot be grouped on" },
        { "type: temporal\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m", "a temporal correlation needs at least two different referenced rules" },
        { "type: temporal\n  rules: [waf_blocked, admin_login]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {gte: 1}", "a temporal correlation whose condition asks for fewer than all 2 referenced rules cannot be expressed" },
        { "type: event_count\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 2d\n  condition: {gte: 10}", "the translated rule is not valid: count: the window must be between 1s and 1d" },
        { "type: value_sum\n  rules: [waf_blocked]\n  group-by: [c-ip]\n  timespan: 5m\n  condition: {gt: 10}", "correlation type 'value_sum' is not supported (supported: event_count, value_count, temporal, temporal_ordered)" },
        { "type: temporal\n  rules: [waf_blocked, admin_login]\n  group-by: [ip]\n  timespan: 5m\n  aliases: {ip: {waf_blocked: c-ip}}", "alias 'ip' names no field for the rule 'admin_login'" },
        { "type: temporal\n  rules: [waf_blocked, admin_login]\n  group-by: [ip]\n  timespan: 5m\n  aliases: {ip: {waf_blocked: c-ip, admin_login: cs-host}}", "group-by field 'ip' is a different field in the referenced rules ('src_endpoint.ip' in 'waf_blocked', 'http_request.url.hostname' in 'admin_login')" },
    };

    [Theory]
    [MemberData(nameof(CorrelationRefusals))]
    public void Import_RefusesTheCorrelation_WhenItCannotBeTranslated(string section, string reason)
    {
        var report = SigmaImporter.Import([new SigmaFile("c.yml", BaseRules + "\n---\ntitle: Corr\ncorrelation:\n  " + section + "\n")]);

        Assert.Equal([new SigmaRefusal("c.yml", "Corr", reason)], report.Refused);
        Assert.DoesNotContain(report.Imported, i => i.Rule.Title == "Corr");
    }

    [Fact]
    public void Import_RefusesTheCorrelationToo_WhenItsBaseRuleIsRefused()
    {
        var report = SigmaImporter.Import([new SigmaFile("c.yml", """
            title: Process
            name: proc
            logsource: {category: webserver}
            detection: {sel: {CommandLine|contains: whoami}, condition: sel}
            ---
            title: Many processes
            correlation: {type: event_count, rules: [proc], group-by: [c-ip], timespan: 1m, condition: {gte: 5}}
            """)]);

        Assert.Empty(report.Imported);
        Assert.Equal(
            [
                new SigmaRefusal("c.yml", "Process", "field 'CommandLine' has no mapping for logsource category 'webserver'"),
                new SigmaRefusal("c.yml", "Many processes", "referenced rule 'proc' was refused: field 'CommandLine' has no mapping for logsource category 'webserver'"),
            ],
            report.Refused);
    }

    [Fact]
    public void Import_RefusesChainedCorrelations_WhenACorrelationReferencesAnother()
    {
        var report = SigmaImporter.Import([new SigmaFile("c.yml", BaseRules + """

            ---
            title: Inner
            name: inner
            correlation: {type: event_count, rules: [waf_blocked], group-by: [c-ip], timespan: 1m, condition: {gte: 5}}
            ---
            title: Outer
            correlation: {type: event_count, rules: [inner], group-by: [c-ip], timespan: 1h, condition: {gte: 2}}
            """)]);

        Assert.Equal(["sigma-admin-login", "sigma-inner"], report.Imported.Select(i => i.Rule.Id));
        Assert.Equal(
            [new SigmaRefusal("c.yml", "Outer", "referenced rule 'inner' is a correlation rule; chained correlations are not supported")],
            report.Refused);
    }

    [Fact]
    public void Import_RefusesTheFileWithLineAndColumn_WhenYamlIsMalformed()
    {
        var report = SigmaImporter.Import([
            new SigmaFile("bad.yml", "title: Bad\nlogsource:\n  product: ctdr\n detection: [\n"),
            new SigmaFile("good.yml", "title: Good\nlogsource: {product: ctdr}\ndetection: {sel: {http_request.http_method: A}, condition: sel}"),
        ]);

        Assert.Equal(["sigma-good"], report.Imported.Select(i => i.Rule.Id));
        var refusal = Assert.Single(report.Refused);
        Assert.Equal("bad.yml", refusal.File);
        Assert.Equal("bad.yml", refusal.Rule);
        Assert.Equal("YAML syntax error at line 4, column 2: While parsing a block mapping, did not find expected key.", refusal.Reason);
    }

    [Fact]
    public void Import_RefusesTheFile_WhenAMapRepeatsAKey()
    {
        var report = SigmaImporter.Import([new SigmaFile("dup.yml", "title: A\ntitle: B\nlogsource: {product: ctdr}\ndetection: {sel: {x: y}, condition: sel}\n")]);

        Assert.Empty(report.Imported);
        Assert.Equal([new SigmaRefusal("dup.yml", "dup.yml", "YAML syntax error at line 2, column 1: Duplicate key title")], report.Refused);
    }

    [Fact]
    public void Import_RefusesTheCorrelation_WhenTwoRulesHaveTheReferencedName()
    {
        var report = SigmaImporter.Import([
            new SigmaFile("a.yml", "title: A\nname: dup\nlogsource: {product: ctdr}\ndetection: {sel: {http_request.http_method: A}, condition: sel}"),
            new SigmaFile("b.yml", "title: B\nname: dup\nlogsource: {product: ctdr}\ndetection: {sel: {http_request.http_method: B}, condition: sel}\n---\ntitle: C\ncorrelation: {type: event_count, rules: [dup], group-by: [src_endpoint.ip], timespan: 1m, condition: {gte: 2}}"),
        ]);

        Assert.Equal(["sigma-dup", "sigma-dup-2"], report.Imported.Select(i => i.Rule.Id));
        Assert.Equal([new SigmaRefusal("b.yml", "C", "referenced rule 'dup' is ambiguous: 2 rules have that id or name")], report.Refused);
    }

    [Fact]
    public void Import_ListsTheSupportedLogsources_WhenRefusingALogsource()
    {
        Assert.Equal(
            "category 'webserver'; category 'firewall'; product 'aws', service 'cloudtrail'; product 'alibaba_cloud', service 'waf'; "
            + "product 'alibaba_cloud', service 'cloudfirewall'; product 'alibaba_cloud', service 'actiontrail'; product 'huawei_cloud', service 'waf'; "
            + "product 'tencent_cloud', service 'waf'; product 'ctdr'",
            SigmaFieldMap.Supported);
    }

    // ------------------------------------------------------------------ helpers

    private static RuleDefinition Single(string yaml)
    {
        var report = SigmaImporter.Import([new SigmaFile("test.yml", yaml)]);
        Assert.Empty(report.Refused);
        var rule = Assert.Single(report.Imported).Rule;

        // Every translated rule must be one the engine accepts.
        _ = RuleCompiler.Compile([new ActiveRule(1, rule, RuleMode.Live)], [], new DetectionOptions());
        return rule;
    }

    private static RuleCondition? Condition(string detection, string logsource = "product: ctdr") =>
        Single($"title: Test\nlogsource:\n  {logsource}\n{detection}").Condition;

    private static FieldCondition F(string field, MatchOperator op, params string[] values) => new(field, op, values.ToValueList());

    private static AndCondition And(params RuleCondition[] items) => new(items.ToValueList());

    private static OrCondition Or(params RuleCondition[] items) => new(items.ToValueList());
}
