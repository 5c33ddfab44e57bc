using System.Net;
using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;

namespace Ctdr.Application.Events;

/// <summary>The kinds of entity an event's graph shows; an alert's asset is split into host names and the rest.</summary>
public enum GraphNodeKind
{
    Ip,
    Domain,
    Asset,
    Account,
    User,
    AccessKey,
}

/// <summary>One entity of the graph, with the number of alerts that name it and its place in the layout (px).</summary>
public sealed record GraphNode(string Id, GraphNodeKind Kind, string Value, int AlertCount, double X, double Y);

/// <summary>The alerts of one rule between two entities, folded into one edge; <see cref="AlertIds"/> ascending.</summary>
public sealed record GraphEdge(string From, string To, string RuleTitle, RuleSeverity Severity, string? Tactic, int AlertCount, IReadOnlyList<long> AlertIds);

/// <summary>What the graph needs of an alert, so that queries can project just these columns.</summary>
public sealed record GraphAlert(
    long AlertId,
    string RuleTitle,
    RuleSeverity Severity,
    string? Tactic,
    string? Ip,
    string? Asset,
    string? Account,
    string? User,
    string? AccessKey)
{
    /// <summary>The alert's graph facts; the account is the account entity, else the alert's account uid.</summary>
    public static GraphAlert From(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(alert.Id, alert.RuleTitle, alert.Severity, alert.Tactic, alert.Ip, alert.Asset, alert.Account ?? alert.AccountUid, alert.User, alert.AccessKey);
    }
}

/// <summary>
/// The entity graph of a security event (docs/events.md, "Entity graph"): entities as nodes, alerts as edges from the
/// acting entities to their targets, laid out in columns by kind. Pure and deterministic: the same alerts in any
/// order give the same graph.
/// </summary>
public sealed record EntityGraph(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, bool Truncated)
{
    /// <summary>Horizontal distance between two columns, in px.</summary>
    public const double ColumnSpacing = 320;

    /// <summary>Vertical distance between two nodes of a column, in px.</summary>
    public const double RowSpacing = 90;

    public static EntityGraph Empty { get; } = new([], [], false);

    public static EntityGraph Build(IEnumerable<Alert> alerts, int maxNodes = 200)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return Build(alerts.Select(GraphAlert.From), maxNodes);
    }

    public static EntityGraph Build(IEnumerable<GraphAlert> alerts, int maxNodes = 200)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNodes);

        var nodes = new Dictionary<string, NodeTally>(StringComparer.Ordinal);
        var edges = new Dictionary<(string From, string To, string Rule), EdgeTally>();
        foreach (var alert in alerts)
        {
            var entities = Entities(alert);
            foreach (var entity in entities.All)
            {
                if (!nodes.TryGetValue(entity.Id, out var tally))
                {
                    tally = new NodeTally(entity.Kind, entity.Value);
                    nodes.Add(entity.Id, tally);
                }

                tally.Alerts++;
            }

            foreach (var (from, to) in Links(entities))
            {
                var key = (from.Id, to.Id, alert.RuleTitle);
                if (!edges.TryGetValue(key, out var edge))
                {
                    edge = new EdgeTally();
                    edges.Add(key, edge);
                }

                edge.Add(alert);
            }
        }

        // The busiest entities stay; ties by kind then value so that truncation does not depend on input order.
        var kept = nodes.Values
            .OrderByDescending(n => n.Alerts)
            .ThenBy(n => n.Kind)
            .ThenBy(n => n.Value, StringComparer.Ordinal)
            .Take(maxNodes)
            .ToList();
        var keptIds = kept.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);

        var graphEdges = edges
            .Where(e => keptIds.Contains(e.Key.From) && keptIds.Contains(e.Key.To))
            .OrderBy(e => e.Key.From, StringComparer.Ordinal)
            .ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Rule, StringComparer.Ordinal)
            .Select(e => e.Value.ToEdge(e.Key.From, e.Key.To, e.Key.Rule))
            .ToList();

        return new EntityGraph(Layout(kept), graphEdges, kept.Count < nodes.Count);
    }

    /// <summary>Whether an asset value is a host name (a letter and a dot, not an IP address) rather than an instance id or an address.</summary>
    public static bool IsDomain(string asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return asset.Contains('.', StringComparison.Ordinal)
            && asset.Any(char.IsAsciiLetter)
            && !IPAddress.TryParse(asset, out _);
    }

    /// <summary>The layout column of a kind, left to right: attackers, identities, assets, accounts.</summary>
    public static int ColumnOf(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Ip => 0,
        GraphNodeKind.User or GraphNodeKind.AccessKey => 1,
        GraphNodeKind.Domain or GraphNodeKind.Asset => 2,
        _ => 3,
    };

    public static string NodeId(GraphNodeKind kind, string value) => $"{kind}:{value}";

    private static AlertEntities Entities(GraphAlert alert) => new(
        EntityOf(GraphNodeKind.Ip, alert.Ip),
        EntityOf(GraphNodeKind.User, alert.User),
        EntityOf(GraphNodeKind.AccessKey, alert.AccessKey),
        alert.Asset is { Length: > 0 } asset ? EntityOf(IsDomain(asset) ? GraphNodeKind.Domain : GraphNodeKind.Asset, asset) : null,
        EntityOf(GraphNodeKind.Account, alert.Account));

    private static Entity? EntityOf(GraphNodeKind kind, string? value) =>
        string.IsNullOrEmpty(value) ? null : new Entity(kind, value, NodeId(kind, value));

    /// <summary>The edge rule of docs/events.md, "Entity graph".</summary>
    private static IEnumerable<(Entity From, Entity To)> Links(AlertEntities e)
    {
        // The actors in the order ip → user → access key, each linked to the next one present.
        Entity? previous = null;
        foreach (var actor in new[] { e.Ip, e.User, e.AccessKey })
        {
            if (actor is null)
            {
                continue;
            }

            if (previous is not null)
            {
                yield return (previous, actor);
            }

            previous = actor;
        }

        // The network reaches the asset; an identity acts in its account, and an asset without one belongs to it
        // (a WAF alert's account is the site owner's), so each alert reads left to right along the columns.
        if (e.Target is not null && (e.Ip ?? e.User ?? e.AccessKey) is { } toTarget)
        {
            yield return (toTarget, e.Target);
        }

        if (e.Account is not null && (e.User ?? e.AccessKey ?? e.Target ?? e.Ip) is { } toAccount)
        {
            yield return (toAccount, e.Account);
        }
    }

    private static List<GraphNode> Layout(List<NodeTally> kept)
    {
        // Empty columns are skipped so that a WAF-only event (ip → domain) does not leave a gap.
        var columns = kept
            .GroupBy(n => ColumnOf(n.Kind))
            .OrderBy(g => g.Key)
            .Select(g => g.OrderBy(n => n.Kind).ThenBy(n => n.Value, StringComparer.Ordinal).ToList())
            .ToList();
        var tallest = columns.Count == 0 ? 0 : columns.Max(c => c.Count);
        var nodes = new List<GraphNode>(kept.Count);
        for (var column = 0; column < columns.Count; column++)
        {
            var top = (tallest - columns[column].Count) * RowSpacing / 2;
            for (var row = 0; row < columns[column].Count; row++)
            {
                var node = columns[column][row];
                nodes.Add(new GraphNode(node.Id, node.Kind, node.Value, node.Alerts, column * ColumnSpacing, top + (row * RowSpacing)));
            }
        }

        return nodes;
    }

    private sealed record Entity(GraphNodeKind Kind, string Value, string Id);

    private sealed record AlertEntities(Entity? Ip, Entity? User, Entity? AccessKey, Entity? Target, Entity? Account)
    {
        public IEnumerable<Entity> All => new[] { Ip, User, AccessKey, Target, Account }.OfType<Entity>();
    }

    private sealed class NodeTally(GraphNodeKind kind, string value)
    {
        public GraphNodeKind Kind { get; } = kind;

        public string Value { get; } = value;

        public string Id { get; } = NodeId(kind, value);

        public int Alerts { get; set; }
    }

    private sealed class EdgeTally
    {
        private readonly List<long> ids = [];
        private RuleSeverity severity;
        private string? tactic;
        private long tacticFrom = long.MaxValue;

        public void Add(GraphAlert alert)
        {
            ids.Add(alert.AlertId);
            if (alert.Severity > severity)
            {
                severity = alert.Severity;
            }

            // The tactic of the earliest alert that has one (ordinal on a tie), whatever the input order.
            if (alert.Tactic is not null
                && (alert.AlertId < tacticFrom || (alert.AlertId == tacticFrom && string.CompareOrdinal(alert.Tactic, tactic) < 0)))
            {
                tactic = alert.Tactic;
                tacticFrom = alert.AlertId;
            }
        }

        public GraphEdge ToEdge(string from, string to, string rule)
        {
            ids.Sort();
            return new GraphEdge(from, to, rule, severity, tactic, ids.Count, ids);
        }
    }
}
