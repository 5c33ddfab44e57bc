using Ctdr.Application.Accounts;

namespace Ctdr.Application.Response;

/// <summary>Who asked for a handling policy.</summary>
public enum PolicyOrigin
{
    /// <summary>An analyst, from an event's recommended handling or the manual form.</summary>
    Manual,

    /// <summary>An automatic response rule.</summary>
    Automatic,
}

/// <summary>A handling policy's state (docs/response.md).</summary>
public enum PolicyStatus
{
    /// <summary>An automatic rule with an approval gate: waiting for an analyst until the deadline.</summary>
    AwaitingApproval,

    /// <summary>Its tasks run or ran; blocks are in force until the end time.</summary>
    Active,

    /// <summary>Every task finished (no block in force any more, or none to keep).</summary>
    Completed,

    /// <summary>A task failed after its retries.</summary>
    Failed,

    /// <summary>Unblocked by an analyst before its end.</summary>
    Reverted,

    /// <summary>Its end time passed and its blocks were removed.</summary>
    Expired,

    /// <summary>Refused by the safety envelope (allow-listed target, cap reached, bad end time) or rejected at approval; nothing was sent.</summary>
    Refused,

    /// <summary>Dry run: what would have been done is recorded, nothing was sent.</summary>
    DryRun,
}

/// <summary>
/// A decision to handle an event or an entity with a playbook: who decided (a user or an automatic rule), which
/// playbook version, the target, the scope and the time span. It creates one <see cref="HandlingTask"/> per cloud
/// resource and action; the Disposal Center lists both.
/// </summary>
public sealed class HandlingPolicy
{
    private HandlingPolicy()
    {
    }

    public long Id { get; private set; }

    public long? EventId { get; private set; }

    /// <summary>The entity acted on (today an IP or CIDR), when the playbook acts on one.</summary>
    public string? Target { get; private set; }

    public long PlaybookId { get; private set; }

    public string PlaybookKey { get; private set; } = string.Empty;

    public string PlaybookName { get; private set; } = string.Empty;

    public int PlaybookVersion { get; private set; }

    public PolicyOrigin Origin { get; private set; }

    public long? ResponseRuleId { get; private set; }

    /// <summary>The user's sign-in name, or <c>rule:&lt;name&gt;</c> for an automatic rule.</summary>
    public string CreatedBy { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset StartAt { get; private set; }

    /// <summary>When blocks end (mandatory for playbooks that block).</summary>
    public DateTimeOffset? EndAt { get; private set; }

    public PolicyStatus Status { get; private set; }

    public string? StatusReason { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool DryRun { get; private set; }

    public DateTimeOffset? ApprovalDeadline { get; private set; }

    /// <summary>Who approved or rejected it, or <c>default after deadline</c>.</summary>
    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Scope as chosen or recommended, for the page: "Alibaba Cloud 5000… waf_v3…, shop.example.com".</summary>
    public string ScopeText { get; private set; } = string.Empty;

    public static HandlingPolicy Open(
        long? eventId,
        string? target,
        Playbook playbook,
        PolicyOrigin origin,
        long? ruleId,
        string by,
        DateTimeOffset startAt,
        DateTimeOffset? endAt,
        string scopeText,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        return new HandlingPolicy
        {
            EventId = eventId,
            Target = target,
            PlaybookId = playbook.Id,
            PlaybookKey = playbook.Key,
            PlaybookName = playbook.Name,
            PlaybookVersion = playbook.Version,
            Origin = origin,
            ResponseRuleId = ruleId,
            CreatedBy = by,
            CreatedAt = now,
            StartAt = startAt,
            EndAt = endAt,
            Status = PolicyStatus.Active,
            UpdatedAt = now,
            ScopeText = scopeText.Length > 1000 ? scopeText[..1000] : scopeText,
        };
    }

    public void Refuse(string reason, DateTimeOffset now) => SetStatus(PolicyStatus.Refused, reason, now);

    public void MarkDryRun(string reason, DateTimeOffset now)
    {
        DryRun = true;
        SetStatus(PolicyStatus.DryRun, reason, now);
    }

    public void AwaitApproval(DateTimeOffset deadline, DateTimeOffset now)
    {
        ApprovalDeadline = deadline;
        SetStatus(PolicyStatus.AwaitingApproval, $"waiting for an analyst's approval until {deadline.UtcDateTime:yyyy-MM-dd HH:mm} UTC", now);
    }

    /// <summary>Approves (→ Active) or rejects (→ Refused) a policy awaiting approval.</summary>
    public bool Decide(bool approve, string by, DateTimeOffset now)
    {
        if (Status != PolicyStatus.AwaitingApproval)
        {
            return false;
        }

        DecidedBy = by;
        DecidedAt = now;
        if (approve)
        {
            SetStatus(PolicyStatus.Active, $"approved by {by}", now);
        }
        else
        {
            SetStatus(PolicyStatus.Refused, $"rejected by {by}", now);
        }

        return true;
    }

    public void SetStatus(PolicyStatus status, string? reason, DateTimeOffset now)
    {
        Status = status;
        StatusReason = reason is { Length: > 500 } ? reason[..500] : reason;
        UpdatedAt = now;
    }
}

/// <summary>What a handling task does.</summary>
public enum HandlingTaskKind
{
    BlockIp,
    UnblockIp,
    ChangeEventStatus,
    ChangeThreatLevel,
    Notify,
}

/// <summary>A handling task's state: Pending → Running → Succeeded | Failed; a block then → Reverted | Expired. Skipped: dry run or refused.</summary>
public enum HandlingTaskStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Reverted,
    Expired,
    Skipped,
}

/// <summary>
/// One action on one cloud resource (or on the event), run by the response worker with retries and back-off. A block
/// task keeps the cloud-side rule id, is reverted (unblocked) on request or when its end passes.
/// </summary>
public sealed class HandlingTask
{
    public const int MaxAttempts = 5;

    private HandlingTask()
    {
    }

    public long Id { get; private set; }

    public long PolicyId { get; private set; }

    public int Step { get; private set; }

    public HandlingTaskKind Kind { get; private set; }

    public CloudProvider? Provider { get; private set; }

    public long? AccountId { get; private set; }

    public string? InstanceId { get; private set; }

    public string? Domain { get; private set; }

    /// <summary>The IP or CIDR blocked or unblocked.</summary>
    public string? Address { get; private set; }

    /// <summary>The action's parameter: a status, a threat level, a webhook URL.</summary>
    public string? Parameter { get; private set; }

    /// <summary>For a status change: the reason the playbook gives (kept in the event's status and history).</summary>
    public string? Reason { get; private set; }

    public HandlingTaskStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public string? Error { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>For blocks: the cloud-side rule that holds the address.</summary>
    public string? CloudRuleId { get; private set; }

    /// <summary>For blocks: when the block ends and is removed.</summary>
    public DateTimeOffset? Until { get; private set; }

    /// <summary>Set when an analyst asked to unblock; the worker removes the block and marks it Reverted.</summary>
    public DateTimeOffset? RevertRequestedAt { get; private set; }

    public string? RevertRequestedBy { get; private set; }

    public int RevertAttempts { get; private set; }

    public DateTimeOffset? RevertedAt { get; private set; }

    /// <summary>What the worker found or did, in words (for the page).</summary>
    public string? Detail { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public WafScope? Scope => InstanceId is null ? null : new WafScope(InstanceId, Domain);

    /// <summary>The block is in force: placed, not removed, not past its end.</summary>
    public bool IsEffective(DateTimeOffset now) =>
        Kind == HandlingTaskKind.BlockIp && Status == HandlingTaskStatus.Succeeded && (Until is null || Until > now);

    public static HandlingTask Block(long policyId, int step, CloudProvider provider, long accountId, WafScope scope, string address, DateTimeOffset until, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new HandlingTask
        {
            PolicyId = policyId,
            Step = step,
            Kind = HandlingTaskKind.BlockIp,
            Provider = provider,
            AccountId = accountId,
            InstanceId = scope.InstanceId,
            Domain = scope.Domain,
            Address = address,
            Until = until,
            Status = HandlingTaskStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public static HandlingTask Unblock(long policyId, int step, CloudProvider provider, long accountId, WafScope scope, string address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new HandlingTask
        {
            PolicyId = policyId,
            Step = step,
            Kind = HandlingTaskKind.UnblockIp,
            Provider = provider,
            AccountId = accountId,
            InstanceId = scope.InstanceId,
            Domain = scope.Domain,
            Address = address,
            Status = HandlingTaskStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public static HandlingTask OnEvent(long policyId, int step, HandlingTaskKind kind, string? parameter, DateTimeOffset now, string? reason = null) => new()
    {
        PolicyId = policyId,
        Step = step,
        Kind = kind,
        Parameter = parameter,
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        Status = HandlingTaskStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>A policy that starts later: the task waits until then.</summary>
    public void NotBefore(DateTimeOffset at)
    {
        if (Status == HandlingTaskStatus.Pending && (NextAttemptAt is null || NextAttemptAt < at))
        {
            NextAttemptAt = at;
        }
    }

    /// <summary>Recorded but never run (dry run, refused): says what would have been done.</summary>
    public void Skip(string detail, DateTimeOffset now)
    {
        Status = HandlingTaskStatus.Skipped;
        Detail = detail;
        NextAttemptAt = null;
        FinishedAt = now;
        UpdatedAt = now;
    }

    public void Start(DateTimeOffset now)
    {
        Status = HandlingTaskStatus.Running;
        Attempts++;
        StartedAt ??= now;
        UpdatedAt = now;
    }

    public void Succeed(string? cloudRuleId, string detail, DateTimeOffset now)
    {
        Status = HandlingTaskStatus.Succeeded;
        CloudRuleId = cloudRuleId ?? CloudRuleId;
        Detail = detail;
        Error = null;
        NextAttemptAt = null;
        FinishedAt = now;
        UpdatedAt = now;
    }

    /// <summary>A failed attempt: retried after <paramref name="retryAfter"/>, or Failed for good after <see cref="MaxAttempts"/>.</summary>
    public void Fail(string error, TimeSpan? retryAfter, DateTimeOffset now)
    {
        Error = error.Length > 1000 ? error[..1000] : error;
        UpdatedAt = now;
        if (retryAfter is { } wait && Attempts < MaxAttempts)
        {
            Status = HandlingTaskStatus.Pending;
            NextAttemptAt = now + wait;
            return;
        }

        Status = HandlingTaskStatus.Failed;
        NextAttemptAt = null;
        FinishedAt = now;
    }

    /// <summary>Sends a failed task round again (the Disposal Center's retry).</summary>
    public bool Retry(DateTimeOffset now)
    {
        if (Status != HandlingTaskStatus.Failed)
        {
            return false;
        }

        Status = HandlingTaskStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        FinishedAt = null;
        UpdatedAt = now;
        return true;
    }

    public bool RequestRevert(string by, DateTimeOffset now)
    {
        if (Kind != HandlingTaskKind.BlockIp || Status != HandlingTaskStatus.Succeeded || RevertRequestedAt is not null)
        {
            return false;
        }

        RevertRequestedAt = now;
        RevertRequestedBy = by;
        NextAttemptAt = now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>The block was removed: by request (Reverted) or because its end passed (Expired).</summary>
    public void Removed(bool expired, string detail, DateTimeOffset now)
    {
        Status = expired ? HandlingTaskStatus.Expired : HandlingTaskStatus.Reverted;
        RevertedAt = now;
        Detail = detail;
        Error = null;
        NextAttemptAt = null;
        UpdatedAt = now;
    }

    public void RemoveFailed(string error, TimeSpan retryAfter, DateTimeOffset now)
    {
        RevertAttempts++;
        Error = error.Length > 1000 ? error[..1000] : error;
        NextAttemptAt = now + retryAfter;
        UpdatedAt = now;
    }
}
