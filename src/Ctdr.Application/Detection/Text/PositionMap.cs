namespace Ctdr.Application.Detection.Text;

/// <summary>Where the parser read each model node and statement, so that validation problems point at their token.</summary>
internal sealed class PositionMap
{
    private readonly Dictionary<object, Dictionary<string, TextPosition>> nodes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, TextPosition> statements = new(StringComparer.Ordinal);

    public void Node(object node, string part, Token token)
    {
        if (!nodes.TryGetValue(node, out var parts))
        {
            parts = new Dictionary<string, TextPosition>(StringComparer.Ordinal);
            nodes.Add(node, parts);
        }

        parts.TryAdd(part, token.Position);
    }

    public void Statement(string keyword, string part, Token token) =>
        statements.TryAdd(part.Length == 0 ? keyword : keyword + "/" + part, token.Position);

    public TextPosition? Find(RuleIssue issue)
    {
        if (issue.Node is not null && nodes.TryGetValue(issue.Node, out var parts))
        {
            if (parts.TryGetValue(issue.Part, out var position) || parts.TryGetValue(string.Empty, out position))
            {
                return position with { Column = position.Column + issue.Offset };
            }
        }

        if (issue.Part.Length > 0 && statements.TryGetValue(issue.Keyword + "/" + issue.Part, out var part))
        {
            return part;
        }

        return statements.TryGetValue(issue.Keyword, out var statement) ? statement : null;
    }
}
