namespace Ctdr.Application.Detection.Text;

/// <summary>A problem in rule text, at a 1-based line and column (the offending token).</summary>
public sealed record RuleTextError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

/// <summary>The rules read from a text and the errors found in it. A rule with any error is left out of <see cref="Rules"/>.</summary>
public sealed record RuleParseResult(IReadOnlyList<RuleDefinition> Rules, IReadOnlyList<RuleTextError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>A semantic problem of a rule model, with the statement it concerns (e.g. "where", "entities", "sample 'x'").</summary>
public sealed record RuleValidationError(string Statement, string Message)
{
    public override string ToString() => $"{Statement}: {Message}";
}
