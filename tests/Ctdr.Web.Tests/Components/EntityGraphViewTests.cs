using Bunit;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Web.Components.Shared;
using Ctdr.Web.Tests.Infrastructure;

namespace Ctdr.Web.Tests.Components;

/// <summary>The entity graph drawn with Z.Blazor.Diagrams: one node per entity, values and rule titles as text, links to the entity pages.</summary>
public sealed class EntityGraphViewTests : CtdrComponentContext
{
    private const string Sqli = "SQL injection against a site protected by the Alibaba Cloud WAF";
    private const string KeyCreated = "Access key created from an external IP (Alibaba Cloud ActionTrail)";

    private static GraphAlert Alert(long id, string rule, string? ip = null, string? asset = null, string? account = null, string? user = null, string? accessKey = null) =>
        new(id, rule, RuleSeverity.High, "TA0001", ip, asset, account, user, accessKey);

    private static EntityGraph KillChain() => EntityGraph.Build(
    [
        Alert(1, Sqli, ip: "203.0.113.66", asset: "shop.example.com"),
        Alert(2, Sqli, ip: "203.0.113.66", asset: "shop.example.com"),
        Alert(3, KeyCreated, ip: "203.0.113.66", user: "a/b c", account: "5000000000000001", accessKey: "LTAI5t+key=="),
    ]);

    [Fact]
    public void Render_ShowsOneNodePerEntityWithItsValue_WhenGivenAGraph()
    {
        var graph = KillChain();

        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        Assert.Equal(
            ["203.0.113.66", "a/b c", "LTAI5t+key==", "shop.example.com", "5000000000000001"],
            view.FindAll("[data-testid=entity-graph-node-value]").Select(e => e.TextContent));
        Assert.Equal(5, view.FindAll("[data-testid=entity-graph-node]").Count);
        Assert.Empty(view.FindAll("[data-testid=entity-graph-empty]"));
        Assert.Empty(view.FindAll("[data-testid=entity-graph-truncated]"));
    }

    [Fact]
    public void Render_LinksEachNodeToItsEntityPage_WhenValuesNeedEscaping()
    {
        var graph = KillChain();

        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        Assert.Equal(
            [
                "/entities/ip?value=203.0.113.66",
                "/entities/user?value=a%2Fb%20c",
                "/entities/access-key?value=LTAI5t%2Bkey%3D%3D",
                "/entities/asset?value=shop.example.com",
                "/entities/account?value=5000000000000001",
            ],
            view.FindAll("[data-testid=entity-graph-node-value]").Select(e => e.GetAttribute("href")));
    }

    [Fact]
    public void Render_LabelsLinksWithRuleAndCount_WhenAlertsFoldIntoAnEdge()
    {
        var graph = KillChain();

        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        // Edges in the graph's order (from, to, rule); the two SQL injections on the shop fold into one link.
        Assert.Equal(
            [
                $"{Sqli} ×2",
                KeyCreated,
                KeyCreated,
                KeyCreated,
            ],
            view.FindAll("[data-testid=entity-graph-link-label]").Select(e => e.TextContent));
        Assert.Equal(graph.Edges.Count, view.FindAll("g.diagram-link path[stroke='#ff9800']:not(.selection-helper)").Count);
    }

    [Fact]
    public void Render_ShowsMarkupAsText_WhenAValueOrRuleTitleHoldsTags()
    {
        var graph = EntityGraph.Build([Alert(1, "<i>rule</i>", ip: "198.51.100.1", user: "<b>x</b>")]);

        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        Assert.Equal(["198.51.100.1", "<b>x</b>"], view.FindAll("[data-testid=entity-graph-node-value]").Select(e => e.TextContent));
        Assert.Equal(["<i>rule</i>"], view.FindAll("[data-testid=entity-graph-link-label]").Select(e => e.TextContent));
        Assert.Empty(view.FindAll("[data-testid=entity-graph] b"));
        Assert.Empty(view.FindAll("[data-testid=entity-graph] i"));
    }

    [Fact]
    public void Render_PlacesNodesAtTheirLayoutPositions_WhenGivenAGraph()
    {
        var graph = KillChain();

        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        Assert.Equal(
            ["top: 45px; left: 0px", "top: 0px; left: 320px", "top: 90px; left: 320px", "top: 45px; left: 640px", "top: 45px; left: 960px"],
            view.FindAll("div.diagram-node").Select(e => e.GetAttribute("style")));
    }

    [Fact]
    public void Render_SaysNoEntities_WhenTheGraphIsEmpty()
    {
        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, EntityGraph.Build(Array.Empty<GraphAlert>())));

        Assert.Equal("No entities", view.Find("[data-testid=entity-graph-empty]").TextContent);
        Assert.Empty(view.FindAll("[data-testid=entity-graph-node]"));
        Assert.Empty(view.FindAll(".diagram-canvas"));
    }

    [Fact]
    public void Render_SaysTheGraphIsCut_WhenItIsTruncated()
    {
        var graph = EntityGraph.Build(
        [
            Alert(1, Sqli, ip: "198.51.100.1", asset: "a.example.com"),
            Alert(2, Sqli, ip: "198.51.100.1", asset: "b.example.com"),
            Alert(3, Sqli, ip: "198.51.100.2", asset: "c.example.com"),
        ], maxNodes: 2);

        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        Assert.Equal(
            "Only the 2 entities with the most alerts are shown, with the links among them.",
            view.Find("[data-testid=entity-graph-truncated]").TextContent.Trim());
        Assert.Equal(["198.51.100.1", "198.51.100.2"], view.FindAll("[data-testid=entity-graph-node-value]").Select(e => e.TextContent));
        Assert.Empty(view.FindAll("[data-testid=entity-graph-link-label]"));
    }

    [Fact]
    public void Render_ListsTheEntitiesWithoutACanvas_WhenPrerendering()
    {
        var graph = KillChain();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));

        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        Assert.Empty(view.FindAll(".diagram-canvas"));
        Assert.Equal(
            [
                "IP: 203.0.113.66 (3 alerts)",
                "User: a/b c (1 alert)",
                "Access key: LTAI5t+key== (1 alert)",
                "Domain: shop.example.com (2 alerts)",
                "Account: 5000000000000001 (1 alert)",
            ],
            view.FindAll("[data-testid=entity-graph-list] li").Select(e => string.Join(' ', e.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
        Assert.Equal("/entities/user?value=a%2Fb%20c", view.FindAll("[data-testid=entity-graph-list] a")[1].GetAttribute("href"));
    }

    [Fact]
    public void DeleteKey_RemovesNothing_WhenANodeIsSelected()
    {
        var graph = KillChain();
        var view = Render<EntityGraphView>(p => p.Add(v => v.Graph, graph));

        view.FindAll("div.diagram-node")[0].PointerDown(new Microsoft.AspNetCore.Components.Web.PointerEventArgs { Button = 0 });
        view.Find(".diagram-canvas").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Delete" });

        Assert.Contains("selected", view.FindAll("div.diagram-node")[0].ClassName, StringComparison.Ordinal);
        Assert.Equal(5, view.FindAll("[data-testid=entity-graph-node]").Count);
        Assert.Equal(4, view.FindAll("[data-testid=entity-graph-link-label]").Count);
    }
}
