using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Application.Detection;

/// <summary>A stored log with its row id; detection reads logs in row-id order and checkpoints on the id.</summary>
public readonly record struct StoredLog(long Id, SecurityLog Log);

/// <summary>How a rule's alerts are treated: live alerts feed events and responses; shadow alerts are only recorded.</summary>
public enum RuleMode
{
    Live,
    Shadow,
}

/// <summary>A rule the engine runs: its database id, its definition and its mode.</summary>
public sealed record ActiveRule(long RuleId, RuleDefinition Definition, RuleMode Mode);

/// <summary>An alert allow-list entry: matches of <see cref="Condition"/> raise nothing (for one rule, or all rules when <see cref="RuleKey"/> is null).</summary>
public sealed record AllowListRule(long EntryId, string? RuleKey, RuleCondition Condition);

public sealed record AlertEntity(EntityKind Kind, string Value);

/// <summary>A log that is evidence of an alert. Ordered by time, then source, then uid (deterministic evidence selection).</summary>
public sealed record EvidenceRef(long LogId, long SourceId, string Uid, DateTimeOffset Time) : IComparable<EvidenceRef>
{
    public int CompareTo(EvidenceRef? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byTime = Time.CompareTo(other.Time);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySource = SourceId.CompareTo(other.SourceId);
        return bySource != 0 ? bySource : string.CompareOrdinal(Uid, other.Uid);
    }

    public static bool operator <(EvidenceRef left, EvidenceRef right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator <=(EvidenceRef left, EvidenceRef right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >(EvidenceRef left, EvidenceRef right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator >=(EvidenceRef left, EvidenceRef right) => left is null ? right is null : left.CompareTo(right) >= 0;
}

/// <summary>
/// One match the engine reports. Candidates with the same <see cref="Fingerprint"/> are one alert: its count is the
/// number of candidates, first/last seen the min/max <see cref="Time"/>, its evidence the smallest evidence refs.
/// </summary>
/// <param name="Value">For aggregation rules, the count or distinct count that reached the threshold.</param>
public sealed record AlertCandidate(
    long RuleId,
    string RuleKey,
    RuleMode Mode,
    string Fingerprint,
    DateTimeOffset Time,
    ValueList<AlertEntity> Entities,
    EvidenceRef Evidence,
    long? Value,
    CloudProvider Provider,
    string? AccountUid,
    LogProduct Product);

/// <summary>Receives what the engine finds.</summary>
public interface IDetectionSink
{
    void Raise(AlertCandidate candidate);

    /// <summary>A match that an allow-list entry suppressed.</summary>
    void AllowListed(long entryId, long ruleId, DateTimeOffset time);
}

public sealed class DetectionOptions
{
    /// <summary>
    /// How far out of time order records may arrive and still be evaluated deterministically by windowed rules
    /// (aggregations, sequences). Windowed rules see records once the watermark (newest time − lateness) passes them.
    /// </summary>
    public TimeSpan Lateness { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Windowed state keys kept per rule; beyond it new keys are dropped and counted.</summary>
    public int MaxKeysPerRule { get; set; } = 1_000_000;

    /// <summary>The match timeout of regular expressions that need the backtracking engine.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Evidence logs kept per alert.</summary>
    public int MaxEvidence { get; set; } = 20;
}
