using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Library;
using Ctdr.Application.Detection.Text;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.Events;

public class EntityGraphTests
{
    private const string AttackerIp = "203.0.113.66";
    private const string Shop = "shop.example.com";
    private const string SandboxAccount = "5000000000000001";
    private const string DeployBot = "deploy-bot";
    private const string SandboxKey = "LTAI5tSandboxKey0001";

    private const string DirectoryScan = "Directory scanning: many distinct missing paths from one IP (Alibaba Cloud WAF)";
    private const string Sqli = "SQL injection against a site protected by the Alibaba Cloud WAF";
    private const string WebShell = "Web shell upload or use on a site protected by the Alibaba Cloud WAF";
    private const string KeyCreated = "Access key created from an external IP (Alibaba Cloud ActionTrail)";

    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static Alert Raise(string ruleKey, params AlertEntity[] entities)
    {
        var definition = PredefinedRules.Find(ruleKey)!;
        var rule = DetectionRule.Create(RuleOrigin.Predefined, definition, RuleText.Print(definition), null, "system", Now);
        var evidence = new EvidenceRef(1, 1, "uid-" + ruleKey, Now);
        var draft = new AlertDraft(ruleKey, rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, SandboxAccount, LogProduct.AlibabaWaf, 1, Now, Now, [evidence], [.. entities], evidence, null);
        return Alert.Raise(draft, rule, Now);
    }

    /// <summary>The sandbox's kill chain: three WAF attacks on the shop, then an access key created from the same IP.</summary>
    private static List<Alert> SandboxKillChain() =>
    [
        Raise("alibaba-waf-directory-scan", new(EntityKind.Ip, AttackerIp), new(EntityKind.Asset, Shop)),
        Raise("alibaba-waf-sqli", new(EntityKind.Ip, AttackerIp), new(EntityKind.Asset, Shop)),
        Raise("alibaba-waf-webshell", new(EntityKind.Ip, AttackerIp), new(EntityKind.Asset, Shop)),
        Raise(
            "alibaba-actiontrail-access-key-created-external-ip",
            new(EntityKind.Ip, AttackerIp),
            new(EntityKind.User, DeployBot),
            new(EntityKind.Account, SandboxAccount),
            new(EntityKind.AccessKey, SandboxKey)),
    ];

    private static GraphAlert Graph(long id, string rule, string? ip = null, string? asset = null, string? account = null, string? user = null, string? accessKey = null, RuleSeverity severity = RuleSeverity.High, string? tactic = "TA0001") =>
        new(id, rule, severity, tactic, ip, asset, account, user, accessKey);

    private static string Describe(GraphNode n) => $"{n.Id} {n.AlertCount} ({n.X},{n.Y})";

    private static string Describe(GraphEdge e) => $"{e.From} -> {e.To} [{e.RuleTitle}] {e.Severity} {e.Tactic} x{e.AlertCount} ids {string.Join(',', e.AlertIds)}";

    [Fact]
    public void Build_GivesTheKillChainShape_WhenGivenTheSandboxAlerts()
    {
        var alerts = SandboxKillChain();

        var graph = EntityGraph.Build(alerts);

        Assert.False(graph.Truncated);
        Assert.Equal(
            [
                "Ip:203.0.113.66 4 (0,45)",
                "User:deploy-bot 1 (320,0)",
                "AccessKey:LTAI5tSandboxKey0001 1 (320,90)",
                "Domain:shop.example.com 3 (640,45)",
                "Account:5000000000000001 4 (960,45)",
            ],
            graph.Nodes.Select(Describe));
        // Unsaved alerts have id 0; the ids themselves are covered by the folding test.
        Assert.Equal(
            [
                $"Domain:shop.example.com -> Account:5000000000000001 [{DirectoryScan}] Medium TA0043 x1 ids 0",
                $"Domain:shop.example.com -> Account:5000000000000001 [{Sqli}] High TA0001 x1 ids 0",
                $"Domain:shop.example.com -> Account:5000000000000001 [{WebShell}] High TA0003 x1 ids 0",
                $"Ip:203.0.113.66 -> Domain:shop.example.com [{DirectoryScan}] Medium TA0043 x1 ids 0",
                $"Ip:203.0.113.66 -> Domain:shop.example.com [{Sqli}] High TA0001 x1 ids 0",
                $"Ip:203.0.113.66 -> Domain:shop.example.com [{WebShell}] High TA0003 x1 ids 0",
                $"Ip:203.0.113.66 -> User:deploy-bot [{KeyCreated}] High TA0003 x1 ids 0",
                $"User:deploy-bot -> AccessKey:LTAI5tSandboxKey0001 [{KeyCreated}] High TA0003 x1 ids 0",
                $"User:deploy-bot -> Account:5000000000000001 [{KeyCreated}] High TA0003 x1 ids 0",
            ],
            graph.Edges.Select(Describe));
    }

    [Fact]
    public void Build_TakesTheAccountUid_WhenTheAlertHasNoAccountEntity()
    {
        var alert = Raise("alibaba-waf-sqli", new AlertEntity(EntityKind.Ip, AttackerIp));

        var graph = EntityGraph.Build([alert]);

        Assert.Equal(["Ip:203.0.113.66", "Account:5000000000000001"], graph.Nodes.Select(n => n.Id));
        Assert.Equal([$"Ip:203.0.113.66 -> Account:5000000000000001 [{Sqli}] High TA0001 x1 ids 0"], graph.Edges.Select(Describe));
    }

    [Fact]
    public void Build_FoldsAlertsIntoOneEdge_WhenTheSameRuleLinksTheSameEntities()
    {
        GraphAlert[] alerts =
        [
            Graph(7, Sqli, ip: AttackerIp, asset: Shop, severity: RuleSeverity.Medium, tactic: null),
            Graph(3, Sqli, ip: AttackerIp, asset: Shop, tactic: "TA0001"),
            Graph(5, Sqli, ip: AttackerIp, asset: Shop, tactic: "TA0002"),
            Graph(4, WebShell, ip: AttackerIp, asset: Shop, tactic: "TA0003"),
        ];

        var graph = EntityGraph.Build(alerts);

        Assert.Equal(
            [
                $"Ip:203.0.113.66 -> Domain:shop.example.com [{Sqli}] High TA0001 x3 ids 3,5,7",
                $"Ip:203.0.113.66 -> Domain:shop.example.com [{WebShell}] High TA0003 x1 ids 4",
            ],
            graph.Edges.Select(Describe));
        Assert.Equal(["Ip:203.0.113.66 4 (0,0)", "Domain:shop.example.com 4 (320,0)"], graph.Nodes.Select(Describe));
    }

    [Theory]
    [InlineData("shop.example.com", GraphNodeKind.Domain)]
    [InlineData("WWW.Example.CN", GraphNodeKind.Domain)]
    [InlineData("203.0.113.10", GraphNodeKind.Asset)]
    [InlineData("2001:db8::1", GraphNodeKind.Asset)]
    [InlineData("::ffff:192.0.2.1", GraphNodeKind.Asset)]
    [InlineData("i-bp1abcdef0123456789", GraphNodeKind.Asset)]
    [InlineData("localhost", GraphNodeKind.Asset)]
    public void Build_ClassifiesTheAsset_WhenItIsAHostNameOrNot(string asset, GraphNodeKind expected)
    {
        var graph = EntityGraph.Build([Graph(1, Sqli, asset: asset)]);

        var node = Assert.Single(graph.Nodes);
        Assert.Equal(expected, node.Kind);
        Assert.Equal($"{expected}:{asset}", node.Id);
        Assert.Equal(asset, node.Value);
    }

    [Fact]
    public void Build_GivesOneNodeAndNoEdge_WhenTheAlertHasASingleEntity()
    {
        var graph = EntityGraph.Build([Graph(9, Sqli, ip: AttackerIp)]);

        Assert.Equal(["Ip:203.0.113.66 1 (0,0)"], graph.Nodes.Select(Describe));
        Assert.Empty(graph.Edges);
        Assert.False(graph.Truncated);
    }

    [Fact]
    public void Build_ChainsTheActors_WhenTheAlertHasNoTarget()
    {
        var graph = EntityGraph.Build([Graph(2, KeyCreated, ip: AttackerIp, user: DeployBot, accessKey: SandboxKey, tactic: "TA0003")]);

        Assert.Equal(
            [
                $"Ip:203.0.113.66 -> User:deploy-bot [{KeyCreated}] High TA0003 x1 ids 2",
                $"User:deploy-bot -> AccessKey:LTAI5tSandboxKey0001 [{KeyCreated}] High TA0003 x1 ids 2",
            ],
            graph.Edges.Select(Describe));
    }

    [Fact]
    public void Build_LinksTheKeyToTheAccount_WhenTheAlertHasNoUser()
    {
        var graph = EntityGraph.Build([Graph(2, KeyCreated, account: SandboxAccount, accessKey: SandboxKey, tactic: "TA0003")]);

        Assert.Equal([$"AccessKey:LTAI5tSandboxKey0001 -> Account:5000000000000001 [{KeyCreated}] High TA0003 x1 ids 2"], graph.Edges.Select(Describe));
    }

    [Fact]
    public void Build_GivesAnEmptyGraph_WhenThereAreNoAlerts()
    {
        var graph = EntityGraph.Build(Array.Empty<GraphAlert>());

        Assert.Empty(graph.Nodes);
        Assert.Empty(graph.Edges);
        Assert.False(graph.Truncated);
    }

    [Fact]
    public void Build_KeepsTheBusiestNodesAndTheirEdges_WhenThereAreMoreThanMaxNodes()
    {
        GraphAlert[] alerts =
        [
            Graph(1, Sqli, ip: "198.51.100.1", asset: "a.example.com"),
            Graph(2, Sqli, ip: "198.51.100.1", asset: "b.example.com"),
            Graph(3, Sqli, ip: "198.51.100.1", asset: "c.example.com"),
            Graph(4, Sqli, ip: "198.51.100.2", asset: "a.example.com"),
        ];

        var graph = EntityGraph.Build(alerts, maxNodes: 3);
        var reversed = EntityGraph.Build(alerts.Reverse(), maxNodes: 3);

        // 198.51.100.1 has 3 alerts, a.example.com 2; of the four with 1, the ip wins on kind (Ip before Domain).
        Assert.True(graph.Truncated);
        Assert.Equal(
            ["Ip:198.51.100.1 3 (0,0)", "Ip:198.51.100.2 1 (0,90)", "Domain:a.example.com 2 (320,45)"],
            graph.Nodes.Select(Describe));
        Assert.Equal(
            [
                $"Ip:198.51.100.1 -> Domain:a.example.com [{Sqli}] High TA0001 x1 ids 1",
                $"Ip:198.51.100.2 -> Domain:a.example.com [{Sqli}] High TA0001 x1 ids 4",
            ],
            graph.Edges.Select(Describe));
        Assert.Equal(graph.Nodes.Select(Describe), reversed.Nodes.Select(Describe));
        Assert.Equal(graph.Edges.Select(Describe), reversed.Edges.Select(Describe));
    }

    [Fact]
    public void Build_IsNotTruncated_WhenTheNodesFitExactly()
    {
        GraphAlert[] alerts =
        [
            Graph(1, Sqli, ip: "198.51.100.1", asset: "a.example.com"),
            Graph(2, Sqli, ip: "198.51.100.2", asset: "b.example.com"),
        ];

        var graph = EntityGraph.Build(alerts, maxNodes: 4);

        Assert.False(graph.Truncated);
        Assert.Equal(4, graph.Nodes.Count);
        Assert.Equal(2, graph.Edges.Count);
    }

    [Fact]
    public void Build_LaysColumnsOutCentredAndSortedByValue_WhenColumnsHaveDifferentHeights()
    {
        GraphAlert[] alerts =
        [
            Graph(1, Sqli, ip: "203.0.113.1", asset: Shop),
            Graph(2, Sqli, ip: "198.51.100.3", asset: Shop),
            Graph(3, Sqli, ip: "198.51.100.20", asset: Shop),
            Graph(4, KeyCreated, account: SandboxAccount, user: DeployBot),
        ];

        var graph = EntityGraph.Build(alerts);

        // Ordinal: "198.51.100.20" sorts before "198.51.100.3". Every column is present, so x runs 0, 320, 640, 960.
        Assert.Equal(
            [
                "Ip:198.51.100.20 1 (0,0)",
                "Ip:198.51.100.3 1 (0,90)",
                "Ip:203.0.113.1 1 (0,180)",
                "User:deploy-bot 1 (320,90)",
                "Domain:shop.example.com 3 (640,90)",
                "Account:5000000000000001 1 (960,90)",
            ],
            graph.Nodes.Select(Describe));
    }

    [Fact]
    public void Build_GivesTheSameGraph_WhenTheAlertsComeInAnotherOrder()
    {
        GraphAlert[] alerts =
        [
            Graph(11, DirectoryScan, ip: AttackerIp, asset: Shop, account: SandboxAccount, severity: RuleSeverity.Medium, tactic: "TA0043"),
            Graph(12, Sqli, ip: AttackerIp, asset: Shop, account: SandboxAccount),
            Graph(13, Sqli, ip: AttackerIp, asset: Shop, account: SandboxAccount),
            Graph(14, WebShell, ip: AttackerIp, asset: Shop, account: SandboxAccount, tactic: "TA0003"),
            Graph(15, KeyCreated, ip: AttackerIp, user: DeployBot, account: SandboxAccount, accessKey: SandboxKey, tactic: "TA0003"),
            Graph(16, Sqli, ip: "198.51.100.7", asset: "i-bp1abcdef0123456789"),
        ];
        GraphAlert[] shuffled = [alerts[4], alerts[2], alerts[5], alerts[0], alerts[3], alerts[1]];

        var graph = EntityGraph.Build(alerts);
        var other = EntityGraph.Build(shuffled);

        Assert.Equal(graph.Nodes, other.Nodes);
        Assert.Equal(graph.Edges.Select(Describe), other.Edges.Select(Describe));
        Assert.Contains($"Ip:203.0.113.66 -> Domain:shop.example.com [{Sqli}] High TA0001 x2 ids 12,13", graph.Edges.Select(Describe));
    }
}
