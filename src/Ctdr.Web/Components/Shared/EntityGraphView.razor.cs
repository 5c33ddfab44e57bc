using Blazor.Diagrams;
using Blazor.Diagrams.Core.Behaviors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Options;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
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

    /// <summary>Vertical distance between the labels of links that join the same two entities.</summary>
    private const double LabelStep = 16;

    private EntityGraph? shown;
    private BlazorDiagram? diagram;
    private bool fitted;

    [Parameter, EditorRequired]
    public EntityGraph Graph { get; set; } = EntityGraph.Empty;

    /// <summary>The entity investigation page of a node: <c>/entities/{kind}?value=…</c>; domains and assets are both assets there.</summary>
    public static string EntityHref(GraphNodeKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var segment = kind switch
        {
            GraphNodeKind.Ip => "ip",
            GraphNodeKind.Domain or GraphNodeKind.Asset => "asset",
            GraphNodeKind.Account => "account",
            GraphNodeKind.User => "user",
            GraphNodeKind.AccessKey => "access-key",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return $"/entities/{segment}?value={Uri.EscapeDataString(value)}";
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
        var result = new BlazorDiagram(options);

        // Delete and group shortcuts would change what the analyst sees of the event; nodes have no ports, so no link
        // can be drawn by hand either.
        result.UnregisterBehavior<KeyboardShortcutsBehavior>();
        result.RegisterComponent<EntityNodeModel, EntityGraphNode>();
        result.RegisterComponent<EntityLinkLabelModel, EntityGraphLinkLabel>();

        var nodes = graph.Nodes.ToDictionary(n => n.Id, n => new EntityNodeModel(n), StringComparer.Ordinal);
        result.Batch(() =>
        {
            result.Nodes.Add(graph.Nodes.Select(n => nodes[n.Id]));
            foreach (var pair in graph.Edges.GroupBy(e => (e.From, e.To)))
            {
                var edges = pair.ToList();
                for (var i = 0; i < edges.Count; i++)
                {
                    var edge = edges[i];
                    var link = new LinkModel(nodes[edge.From], nodes[edge.To])
                    {
                        Color = ColorOf(edge.Severity),
                        SelectedColor = ColorOf(edge.Severity),
                        Width = edge.AlertCount > 1 ? 3 : 2,
                        TargetMarker = LinkMarker.Arrow,
                        Locked = true,
                    };

                    // Links between the same two entities overlap; their labels are stacked around the middle.
                    var offset = (i - ((edges.Count - 1) / 2.0)) * LabelStep;
                    link.Labels.Add(new EntityLinkLabelModel(link, edge, new Point(0, offset)));
                    result.Links.Add(link);
                }
            }
        });
        return result;
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
public sealed class EntityLinkLabelModel(LinkModel link, GraphEdge edge, Point offset)
    : LinkLabelModel(link, edge?.RuleTitle ?? throw new ArgumentNullException(nameof(edge)), 0.5, offset)
{
    public GraphEdge Edge { get; } = edge;
}
