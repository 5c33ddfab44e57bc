using Ctdr.Application.Common;

namespace Ctdr.Application.Alerts;

/// <summary>
/// A known-benign pattern: records matching <see cref="Condition"/> (rule condition text) raise no alert, for one
/// rule (<see cref="RuleKey"/>) or for all rules. Counts what it suppressed.
/// </summary>
public sealed class AlertAllowListEntry
{
    private AlertAllowListEntry()
    {
    }

    public long Id { get; private set; }

    /// <summary>The rule it applies to; null for every rule.</summary>
    public string? RuleKey { get; private set; }

    /// <summary>A condition in the rule text syntax, e.g. <c>src_endpoint.ip cidr "192.0.2.0/24"</c>.</summary>
    public string Condition { get; private set; } = string.Empty;

    public string Reason { get; private set; } = string.Empty;

    public bool Enabled { get; private set; }

    public string CreatedBy { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public long SuppressedCount { get; private set; }

    public DateTimeOffset? LastSuppressedAt { get; private set; }

    public static AlertAllowListEntry Create(string? ruleKey, string condition, string reason, string by, DateTimeOffset now) => new()
    {
        RuleKey = string.IsNullOrWhiteSpace(ruleKey) ? null : ruleKey.Trim(),
        Condition = condition.Trim(),
        Reason = reason.Trim(),
        Enabled = true,
        CreatedBy = by,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void Update(string? ruleKey, string condition, string reason, bool enabled, DateTimeOffset now)
    {
        RuleKey = string.IsNullOrWhiteSpace(ruleKey) ? null : ruleKey.Trim();
        Condition = condition.Trim();
        Reason = reason.Trim();
        Enabled = enabled;
        UpdatedAt = now;
    }

    public void CountSuppressed(long count, DateTimeOffset last)
    {
        SuppressedCount += count;
        if (LastSuppressedAt is null || last > LastSuppressedAt)
        {
            LastSuppressedAt = last;
        }
    }

    public static Result Validate(string? condition, string? reason)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(condition))
        {
            errors.Add("Condition", "Give the condition of the records to allow.");
        }
        else if (condition.Length > 4000)
        {
            errors.Add("Condition", "The condition has at most 4000 characters.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add("Reason", "Say why these matches are benign.");
        }
        else if (reason.Length > 500)
        {
            errors.Add("Reason", "The reason has at most 500 characters.");
        }

        return errors.ToResult();
    }
}
