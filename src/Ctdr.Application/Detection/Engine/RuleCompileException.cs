namespace Ctdr.Application.Detection.Engine;

/// <summary>A rule (or allow-list entry) that cannot be compiled: an unknown field, a bad regular expression or CIDR range.</summary>
public sealed class RuleCompileException : Exception
{
    public RuleCompileException()
    {
    }

    public RuleCompileException(string message)
        : base(message)
    {
    }

    public RuleCompileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RuleCompileException(string ruleKey, string problem, Exception? innerException = null)
        : base($"Rule '{ruleKey}': {problem}", innerException)
    {
        RuleKey = ruleKey;
        Problem = problem;
    }

    /// <summary>The rule key, or <c>allow-list:&lt;id&gt;</c> for an allow-list entry.</summary>
    public string? RuleKey { get; }

    public string? Problem { get; }
}
