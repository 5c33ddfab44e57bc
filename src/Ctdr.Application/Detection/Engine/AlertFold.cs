using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Detection.Engine;

/// <summary>
/// One alert as folded from its candidates. <see cref="EntitiesFrom"/> is the evidence of the candidate whose entities
/// (and provider, account and product) the alert carries: the smallest one, so that folding is order-independent.
/// </summary>
public sealed record AlertDraft(
    string Fingerprint,
    long RuleId,
    string RuleKey,
    RuleMode Mode,
    CloudProvider Provider,
    string? AccountUid,
    LogProduct Product,
    long Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    ValueList<EvidenceRef> Evidence,
    ValueList<AlertEntity> Entities,
    EvidenceRef EntitiesFrom,
    long? MaxValue);

/// <summary>
/// Folds <see cref="AlertCandidate"/>s by fingerprint into <see cref="AlertDraft"/>s. Commutative and associative:
/// any permutation or split of the candidates (a stored draft merged with new candidates) gives the same drafts.
/// </summary>
public static class AlertFold
{
    /// <summary>Drafts ordered by fingerprint.</summary>
    public static IReadOnlyList<AlertDraft> Fold(IEnumerable<AlertCandidate> candidates, int maxEvidence)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var drafts = new SortedDictionary<string, AlertDraft>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var draft = Single(candidate);
            drafts[candidate.Fingerprint] = drafts.TryGetValue(candidate.Fingerprint, out var existing)
                ? Merge(existing, draft, maxEvidence)
                : draft;
        }

        return [.. drafts.Values];
    }

    /// <summary>A stored draft with new candidates of the same fingerprint folded in.</summary>
    public static AlertDraft Merge(AlertDraft stored, IEnumerable<AlertCandidate> candidates, int maxEvidence)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(candidates);
        var result = stored;
        foreach (var candidate in candidates)
        {
            if (!string.Equals(candidate.Fingerprint, stored.Fingerprint, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Candidate fingerprint {candidate.Fingerprint} differs from the draft's {stored.Fingerprint}.", nameof(candidates));
            }

            result = Merge(result, Single(candidate), maxEvidence);
        }

        return result;
    }

    public static AlertDraft Merge(AlertDraft left, AlertDraft right, int maxEvidence)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var first = Compare(left.EntitiesFrom, right.EntitiesFrom) <= 0 ? left : right;
        var evidence = left.Evidence.Concat(right.Evidence)
            .Distinct()
            .Order(Comparer<EvidenceRef>.Create(Compare))
            .Take(Math.Max(maxEvidence, 1))
            .ToValueList();
        return first with
        {
            Count = left.Count + right.Count,
            FirstSeen = left.FirstSeen <= right.FirstSeen ? left.FirstSeen : right.FirstSeen,
            LastSeen = left.LastSeen >= right.LastSeen ? left.LastSeen : right.LastSeen,
            Evidence = evidence,
            MaxValue = left.MaxValue is null ? right.MaxValue : right.MaxValue is null ? left.MaxValue : Math.Max(left.MaxValue.Value, right.MaxValue.Value),
        };
    }

    private static AlertDraft Single(AlertCandidate candidate) => new(
        candidate.Fingerprint,
        candidate.RuleId,
        candidate.RuleKey,
        candidate.Mode,
        candidate.Provider,
        candidate.AccountUid,
        candidate.Product,
        1,
        candidate.Time,
        candidate.Time,
        ValueList.Of(candidate.Evidence),
        candidate.Entities,
        candidate.Evidence,
        candidate.Value);

    /// <summary>Evidence order (time, source, uid), then the log id so that equal records still order totally.</summary>
    private static int Compare(EvidenceRef? left, EvidenceRef? right)
    {
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : -1) : 1;
        }

        var byRef = left.CompareTo(right);
        return byRef != 0 ? byRef : left.LogId.CompareTo(right.LogId);
    }
}
