using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Alerts;

/// <summary>Alert lifecycle (domain.md): Open → (Acknowledged) → Closed with a reason.</summary>
public enum AlertStatus
{
    Open,
    Acknowledged,
    Closed,
}

/// <summary>
/// What a rule raised. Idempotent by <see cref="Fingerprint"/>: repeats within the rule's suppression period fold
/// into the same alert and raise its <see cref="Count"/>. Rule facts are copied in, so an alert reads the same
/// after its rule changes.
/// </summary>
public sealed class Alert
{
    private readonly List<AlertEvidence> evidence = [];

    private Alert()
    {
    }

    public long Id { get; private set; }

    public string Fingerprint { get; private set; } = string.Empty;

    public long RuleId { get; private set; }

    public string RuleKey { get; private set; } = string.Empty;

    public string RuleTitle { get; private set; } = string.Empty;

    public int RuleVersion { get; private set; }

    public RuleOrigin RuleOrigin { get; private set; }

    /// <summary>For imported rules: the rule's author, shown with the alert (Detection Rule License).</summary>
    public string? RuleAuthor { get; private set; }

    public string? RuleLicense { get; private set; }

    public RuleSeverity Severity { get; private set; }

    public ThreatLevel ThreatLevel { get; private set; }

    public string? Tactic { get; private set; }

    public string? Technique { get; private set; }

    /// <summary>Raised by a rule in shadow mode: recorded and visible, never aggregated into events or responded to.</summary>
    public bool IsShadow { get; private set; }

    public CloudProvider Provider { get; private set; }

    public string? AccountUid { get; private set; }

    public LogProduct Product { get; private set; }

    // Entities, one column per kind so that lists filter on them.
    public string? Ip { get; private set; }

    public string? Asset { get; private set; }

    public string? Account { get; private set; }

    public string? User { get; private set; }

    public string? AccessKey { get; private set; }

    /// <summary>Matches folded into this alert.</summary>
    public long Count { get; private set; }

    /// <summary>For aggregation rules: the largest window value seen (count or distinct count).</summary>
    public long? Value { get; private set; }

    public DateTimeOffset FirstSeen { get; private set; }

    public DateTimeOffset LastSeen { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public AlertStatus Status { get; private set; }

    public string? StatusReason { get; private set; }

    public string? StatusBy { get; private set; }

    public DateTimeOffset? StatusAt { get; private set; }

    public IReadOnlyList<AlertEvidence> Evidence => evidence;

    public string? EntityValue(EntityKind kind) => kind switch
    {
        EntityKind.Ip => Ip,
        EntityKind.Asset => Asset,
        EntityKind.Account => Account,
        EntityKind.User => User,
        EntityKind.AccessKey => AccessKey,
        _ => null,
    };

    public static Alert Raise(AlertDraft draft, DetectionRule rule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(rule);
        var alert = new Alert
        {
            Fingerprint = draft.Fingerprint,
            RuleId = rule.Id,
            RuleKey = rule.Key,
            RuleTitle = rule.Title,
            RuleVersion = rule.Version,
            RuleOrigin = rule.Origin,
            RuleAuthor = rule.Author,
            RuleLicense = rule.License,
            Severity = rule.Severity,
            ThreatLevel = rule.ThreatLevel,
            Tactic = rule.Tactic,
            Technique = rule.Technique,
            IsShadow = draft.Mode == RuleMode.Shadow,
            Provider = draft.Provider,
            AccountUid = draft.AccountUid,
            Product = draft.Product,
            CreatedAt = now,
            Status = AlertStatus.Open,
        };
        alert.Apply(draft, now);
        return alert;
    }

    /// <summary>The alert after more matches: <paramref name="merged"/> is the stored draft folded with the new candidates.</summary>
    public void Apply(AlertDraft merged, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(merged);
        Count = merged.Count;
        Value = merged.MaxValue;
        Ip = Asset = Account = User = AccessKey = null;
        foreach (var entity in merged.Entities)
        {
            SetEntity(entity);
        }

        FirstSeen = merged.FirstSeen;
        LastSeen = merged.LastSeen;
        UpdatedAt = now;
        var keep = merged.Evidence.ToHashSet();
        evidence.RemoveAll(e => !keep.Contains(e.Ref));
        foreach (var item in merged.Evidence.Where(r => evidence.All(e => e.Ref != r)))
        {
            evidence.Add(new AlertEvidence(item));
        }
    }

    /// <summary>The stored state as a draft, to fold new candidates into.</summary>
    public AlertDraft ToDraft()
    {
        var refs = evidence.Select(e => e.Ref).Order().ToList();
        return new(
            Fingerprint,
            RuleId,
            RuleKey,
            IsShadow ? RuleMode.Shadow : RuleMode.Live,
            Provider,
            AccountUid,
            Product,
            Count,
            FirstSeen,
            LastSeen,
            [.. refs],
            EntityList(),
            refs[0],
            Value);
    }

    public Result Acknowledge(string by, DateTimeOffset now)
    {
        if (Status != AlertStatus.Open)
        {
            return Result.Invalid("Status", Status == AlertStatus.Closed ? "The alert is closed." : "The alert is already acknowledged.");
        }

        Status = AlertStatus.Acknowledged;
        StatusBy = by;
        StatusAt = now;
        return Result.Ok();
    }

    public Result Close(string reason, string by, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Result.Invalid("Reason", "Say why the alert is closed.");
        }

        if (reason.Length > 500)
        {
            return Result.Invalid("Reason", "The reason has at most 500 characters.");
        }

        if (Status == AlertStatus.Closed)
        {
            return Result.Invalid("Status", "The alert is already closed.");
        }

        Status = AlertStatus.Closed;
        StatusReason = reason.Trim();
        StatusBy = by;
        StatusAt = now;
        return Result.Ok();
    }

    private ValueList<AlertEntity> EntityList()
    {
        var list = new List<AlertEntity>();
        foreach (var kind in Enum.GetValues<EntityKind>())
        {
            if (EntityValue(kind) is { } value)
            {
                list.Add(new AlertEntity(kind, value));
            }
        }

        return list;
    }

    private void SetEntity(AlertEntity entity)
    {
        var value = entity.Value.Length > 256 ? entity.Value[..256] : entity.Value;
        switch (entity.Kind)
        {
            case EntityKind.Ip: Ip = value; break;
            case EntityKind.Asset: Asset = value; break;
            case EntityKind.Account: Account = value; break;
            case EntityKind.User: User = value; break;
            case EntityKind.AccessKey: AccessKey = value; break;
        }
    }
}

/// <summary>A log that is evidence of an alert.</summary>
public sealed class AlertEvidence
{
    private AlertEvidence()
    {
    }

    public AlertEvidence(EvidenceRef item)
    {
        ArgumentNullException.ThrowIfNull(item);
        LogId = item.LogId;
        SourceId = item.SourceId;
        Uid = item.Uid;
        Time = item.Time;
    }

    public long Id { get; private set; }

    public long AlertId { get; private set; }

    public long LogId { get; private set; }

    public long SourceId { get; private set; }

    public string Uid { get; private set; } = string.Empty;

    public DateTimeOffset Time { get; private set; }

    public EvidenceRef Ref => new(LogId, SourceId, Uid, Time);
}
