using Blazor.Diagrams;
using Blazor.Diagrams.Core.Behaviors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.PathGenerators;
using Blazor.Diagrams.Options;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.Investigation;
using Microsoft.AspNetCore.Components;

namespace Ctdr.Web.Components.Shared;

/// <summary>
/// The entity graph of an event drawn with Z.Blazor.Diagrams at the positions <see cref="EntityGraph.Build(IEnumerable{GraphAlert}, int)"/>
/// computed. The data is read-only: nodes can be dragged, the canvas panned and zoomed, nothing added, linked or deleted.
/// </summary>
public sealed partial class EntityGraphView : IDisposable
{
    /// <summary>Node size in px. Fixed, so that links are drawn on the server without measuring nodes in the browser.</summary>
    internal const double NodeWidth = 170;

    internal const double NodeHeight = 52;

    private const double Margin = 24;

    /// <summary>Vertical distance between two labels (their line height and a little air).</summary>
    private const double LabelStep = 16;

    /// <summary>
    /// Labels sit in the free band just before the target's column (half the gap between two columns, from the link's
    /// end), so that a link that spans several columns does not put its label on a node of a column it crosses.
    /// </summary>
    private const double LabelFromEnd = -(EntityGraph.ColumnSpacing - NodeWidth) / 2;

    private EntityGraph? shown;
    private BlazorDiagram? diagram;
    private bool fitted;

    [Parameter, EditorRequired]
    public EntityGraph Graph { get; set; } = EntityGraph.Empty;

    /// <summary>The entity investigation page of a node: <c>/entities/{kind}?value=…</c>; domains and assets are both assets there.</summary>
    public static string EntityHref(GraphNodeKind kind, string value)
    {
        var investigated = kind switch
        {
            GraphNodeKind.Ip => InvestigatedKind.Ip,
            GraphNodeKind.Domain or GraphNodeKind.Asset => InvestigatedKind.Asset,
            GraphNodeKind.Account => InvestigatedKind.Account,
            GraphNodeKind.User => InvestigatedKind.User,
            GraphNodeKind.AccessKey => InvestigatedKind.AccessKey,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return EntityInvestigation.PageUrl(investigated, value);
    }

    /// <summary>Link colours by severity, the MudBlazor palette colours of <see cref="SeverityChip"/>.</summary>
    internal static string ColorOf(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical => "#f44336",
        RuleSeverity.High => "#ff9800",
        RuleSeverity.Medium => "#2196f3",
        RuleSeverity.Low => "#9e9e9e",
        _ => "#616161",
    };

    public void Dispose() => Detach();

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(Graph, shown))
        {
            return;
        }

        shown = Graph;
        Detach();
        diagram = Graph.Nodes.Count == 0 ? null : CreateDiagram(Graph);
        fitted = false;
        if (diagram is not null)
        {
            diagram.ContainerChanged += OnContainerChanged;
        }
    }

    private static BlazorDiagram CreateDiagram(EntityGraph graph)
    {
        var options = new BlazorDiagramOptions { AllowMultiSelection = false };
        options.Groups.Enabled = false;
        options.Constraints.ShouldDeleteNode = _ => ValueTask.FromResult(false);
        options.Constraints.ShouldDeleteLink = _ => ValueTask.FromResult(false);
        options.Constraints.ShouldDeleteGroup = _ => ValueTask.FromResult(false);
        options.Links.DefaultPathGenerator = new StraightPathGenerator();
        var result = new BlazorDiagram(options);

        // Delete and group shortcuts would change what the analyst sees of the event; nodes have no ports, so no link
        // can be drawn by hand either.
        result.UnregisterBehavior<KeyboardShortcutsBehavior>();
        result.RegisterComponent<EntityNodeModel, EntityGraphNode>();
        result.RegisterComponent<EntityLinkLabelModel, EntityGraphLinkLabel>();

        var nodes = graph.Nodes.ToDictionary(n => n.Id, n => new EntityNodeModel(n), StringComparer.Ordinal);
        var labels = PlaceLabels(graph);
        result.Batch(() =>
        {
            result.Nodes.Add(graph.Nodes.Select(n => nodes[n.Id]));
            for (var i = 0; i < graph.Edges.Count; i++)
            {
                var edge = graph.Edges[i];
                var link = new LinkModel(nodes[edge.From], nodes[edge.To])
                {
                    Color = ColorOf(edge.Severity),
                    SelectedColor = ColorOf(edge.Severity),
                    Width = edge.AlertCount > 1 ? 3 : 2,
                    TargetMarker = LinkMarker.Arrow,
                    Locked = true,
                };
                link.Labels.Add(new EntityLinkLabelModel(link, edge, labels[i].Distance, labels[i].Offset));
                result.Links.Add(link);
            }
        });
        return result;
    }

    /// <summary>
    /// Where each link's label goes: on its link, in the band before the target's column, then moved up or down just
    /// enough that the labels in one band do not overlap (links between the same two entities share a line). Links
    /// within a column keep their label in the middle.
    /// </summary>
    private static (double Distance, Point Offset)[] PlaceLabels(EntityGraph graph)
    {
        var nodes = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var placed = new (double Distance, Point Offset)[graph.Edges.Count];
        var bands = new SortedDictionary<int, List<(int Edge, double Y)>>();
        for (var i = 0; i < graph.Edges.Count; i++)
        {
            var from = nodes[graph.Edges[i].From];
            var to = nodes[graph.Edges[i].To];
            var column = EntityGraph.ColumnOf(to.Kind);
            if (EntityGraph.ColumnOf(from.Kind) == column)
            {
                placed[i] = (0.5, new Point(0, 0));
                continue;
            }

            if (!bands.TryGetValue(column, out var band))
            {
                band = [];
                bands.Add(column, band);
            }

            band.Add((i, LabelY(from, to)));
        }

        foreach (var band in bands.Values)
        {
            var previous = double.NegativeInfinity;
            var shifts = new List<(int Edge, double Shift)>(band.Count);
            foreach (var (edge, y) in band.OrderBy(b => b.Y).ThenBy(b => b.Edge))
            {
                previous = Math.Max(y, previous + LabelStep);
                shifts.Add((edge, previous - y));
            }

            // Centred on the links rather than all pushed below them.
            var mean = shifts.Average(s => s.Shift);
            foreach (var (edge, shift) in shifts)
            {
                placed[edge] = (LabelFromEnd, new Point(0, shift - mean));
            }
        }

        return placed;
    }

    /// <summary>The height at which a straight link from centre to centre is <see cref="LabelFromEnd"/> before the target's border.</summary>
    private static double LabelY(GraphNode from, GraphNode to)
    {
        var dx = to.X - from.X;
        var dy = to.Y - from.Y;
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        var (ux, uy) = (dx / length, dy / length);
        var toBorder = Math.Min(
            ux == 0 ? double.PositiveInfinity : NodeWidth / 2 / Math.Abs(ux),
            uy == 0 ? double.PositiveInfinity : NodeHeight / 2 / Math.Abs(uy));
        return to.Y + (NodeHeight / 2) - (uy * (toBorder - LabelFromEnd));
    }

    private void OnContainerChanged()
    {
        if (fitted || diagram?.Container is not { } container)
        {
            return;
        }

        // Once, when the canvas is first measured: a graph that fits is shown at full size, a larger one zoomed out.
        fitted = true;
        var width = Graph.Nodes.Max(n => n.X) + NodeWidth;
        var height = Graph.Nodes.Max(n => n.Y) + NodeHeight;
        if (width + (2 * Margin) <= container.Width && height + (2 * Margin) <= container.Height)
        {
            diagram.SetPan(Margin, (container.Height - height) / 2);
        }
        else
        {
            diagram.ZoomToFit(Margin);
        }
    }

    private void Detach()
    {
        if (diagram is not null)
        {
            diagram.ContainerChanged -= OnContainerChanged;
        }
    }
}

/// <summary>A diagram node that carries its entity.</summary>
public sealed class EntityNodeModel : NodeModel
{
    public EntityNodeModel(GraphNode entity)
        : base(entity?.Id ?? throw new ArgumentNullException(nameof(entity)), new Point(entity.X, entity.Y))
    {
        Entity = entity;
        Size = new Size(EntityGraphView.NodeWidth, EntityGraphView.NodeHeight);
        ControlledSize = true;
    }

    public GraphNode Entity { get; }
}

/// <summary>A link label that carries its edge: the rule title and how many alerts the link stands for.</summary>
public sealed class EntityLinkLabelModel(LinkModel link, GraphEdge edge, double distance, Point offset)
    : LinkLabelModel(link, edge?.RuleTitle ?? throw new ArgumentNullException(nameof(edge)), distance, offset)
{
    public GraphEdge Edge { get; } = edge;
}
