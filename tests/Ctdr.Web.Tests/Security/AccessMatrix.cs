namespace Ctdr.Web.Tests.Security;

/// <summary>One row of <c>access-matrix.txt</c>: a route, the request that exercises it, and the outcome per caller.</summary>
public sealed record AccessMatrixRow(string Method, string Route, string Request, IReadOnlyDictionary<string, string> Outcomes)
{
    public string Key => Method + " " + Route;
}

/// <summary>Reads the access matrix, a whitespace-separated table copied next to the test assembly.</summary>
public static class AccessMatrix
{
    public const string Anonymous = "anonymous";

    /// <summary>The callers, in the matrix's column order.</summary>
    public static IReadOnlyList<string> Callers { get; } = [Anonymous, "Viewer", "Analyst", "Admin"];

    private static readonly Lazy<IReadOnlyList<AccessMatrixRow>> Loaded = new(Load);

    public static IReadOnlyList<AccessMatrixRow> Rows => Loaded.Value;

    public static AccessMatrixRow Row(string method, string route) =>
        Rows.Single(r => r.Method == method && r.Route == route);

    private static List<AccessMatrixRow> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Security", "access-matrix.txt");
        var rows = new List<AccessMatrixRow>();
        foreach (var (line, number) in File.ReadLines(path).Select((line, index) => (line.Trim(), index + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length != 3 + Callers.Count)
            {
                throw new FormatException($"access-matrix.txt line {number}: expected {3 + Callers.Count} columns, found {cells.Length}.");
            }

            var outcomes = Callers.Select((caller, i) => (caller, outcome: cells[3 + i])).ToDictionary(c => c.caller, c => c.outcome, StringComparer.Ordinal);
            rows.Add(new AccessMatrixRow(cells[0], cells[1], cells[2], outcomes));
        }

        var duplicates = rows.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new FormatException("access-matrix.txt lists these routes twice: " + string.Join(", ", duplicates));
        }

        return rows;
    }
}
