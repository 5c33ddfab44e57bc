using Ctdr.Application.Common;

namespace Ctdr.Application.Audit;

/// <summary>
/// One line of the audit log: who did what to whom, when (UTC) and from which IP address. Immutable once
/// written. Every text is cleaned and capped on the way in, because parts of it (attempted user names)
/// come from anonymous visitors.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxNameLength = 256;
    public const int MaxIdLength = 64;
    public const int MaxDetailsLength = 2000;
    public const int MaxIpLength = 45;

    private AuditEntry()
    {
    }

    public long Id { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public AuditAction Action { get; private set; }

    public string? ActorId { get; private set; }

    public string ActorName { get; private set; } = string.Empty;

    public string? TargetId { get; private set; }

    public string? TargetName { get; private set; }

    public string? Details { get; private set; }

    public string? IpAddress { get; private set; }

    public static AuditEntry Create(
        DateTimeOffset occurredAt,
        AuditAction action,
        Actor actor,
        string? targetId = null,
        string? targetName = null,
        string? details = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(action))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown audit action.");
        }

        var actorName = TextSanitizer.Clean(actor.Name, MaxNameLength);
        return new AuditEntry
        {
            OccurredAt = occurredAt.ToUniversalTime(),
            Action = action,
            ActorId = TextSanitizer.CleanOrNull(actor.UserId, MaxIdLength),
            ActorName = actorName.Length == 0 ? "(unknown)" : actorName,
            TargetId = TextSanitizer.CleanOrNull(targetId, MaxIdLength),
            TargetName = TextSanitizer.CleanOrNull(targetName, MaxNameLength),
            Details = TextSanitizer.CleanOrNull(details, MaxDetailsLength),
            IpAddress = TextSanitizer.CleanOrNull(actor.IpAddress, MaxIpLength),
        };
    }

    /// <summary>A one-line description for activity feeds.</summary>
    public string Describe() => Action switch
    {
        AuditAction.SignInSucceeded => $"{ActorName} signed in",
        AuditAction.SignInFailed => $"Failed sign-in for {ActorName}",
        AuditAction.SignInLockedOut => $"{ActorName} is locked out after repeated failed sign-ins",
        AuditAction.SignInRefused => $"Sign-in refused for {ActorName}",
        AuditAction.SignedOut => $"{ActorName} signed out",
        AuditAction.FirstAdministratorCreated => $"First administrator {TargetName} created",
        AuditAction.UserCreated => $"{ActorName} created user {TargetName}",
        AuditAction.RoleChanged => $"{ActorName} changed the role of {TargetName}",
        AuditAction.UserDisabled => $"{ActorName} disabled {TargetName}",
        AuditAction.UserEnabled => $"{ActorName} enabled {TargetName}",
        AuditAction.PasswordReset => $"{ActorName} reset the password of {TargetName}",
        AuditAction.CloudAccountOnboarded => $"{ActorName} onboarded cloud account {TargetName}",
        AuditAction.CloudAccountUpdated => $"{ActorName} updated cloud account {TargetName}",
        AuditAction.CloudAccountDisabled => $"{ActorName} disabled cloud account {TargetName}",
        AuditAction.CloudAccountEnabled => $"{ActorName} enabled cloud account {TargetName}",
        AuditAction.CloudAccountDeleted => $"{ActorName} deleted cloud account {TargetName}",
        AuditAction.ServiceActivated => $"{ActorName} activated the service",
        AuditAction.LogAccessPolicyChanged => $"{ActorName} changed the log access policy",
        AuditAction.PricingChanged => $"{ActorName} changed the ingestion pricing",
        AuditAction.LogSourceAdded => $"{ActorName} added log source {TargetName}",
        AuditAction.LogSourceUpdated => $"{ActorName} updated log source {TargetName}",
        AuditAction.LogSourcePaused => $"{ActorName} paused log source {TargetName}",
        AuditAction.LogSourceResumed => $"{ActorName} resumed log source {TargetName}",
        AuditAction.LogSourceDeleted => $"{ActorName} deleted log source {TargetName}",
        AuditAction.PushKeyIssued => $"{ActorName} issued a push key for log source {TargetName}",
        AuditAction.DetectionRuleCreated => $"{ActorName} created detection rule {TargetName}",
        AuditAction.DetectionRuleUpdated => $"{ActorName} changed detection rule {TargetName}",
        AuditAction.DetectionRuleStateChanged => $"{ActorName} changed the state of detection rule {TargetName}",
        AuditAction.DetectionRuleDeleted => $"{ActorName} deleted detection rule {TargetName}",
        AuditAction.DetectionRulesImported => $"{ActorName} imported Sigma rules from {TargetName}",
        AuditAction.AlertAcknowledged => $"{ActorName} acknowledged alert {TargetName}",
        AuditAction.AlertClosed => $"{ActorName} closed alert {TargetName}",
        AuditAction.AlertAllowListChanged => $"{ActorName} changed the alert allow-list ({TargetName})",
        AuditAction.SecurityEventStatusChanged => $"{ActorName} changed the status of security event {TargetName}",
        AuditAction.SecurityEventsMerged => $"{ActorName} merged security events into {TargetName}",
        AuditAction.SecurityEventSplit => $"{ActorName} split alerts out of security event {TargetName}",
        AuditAction.SecurityEventAssigned => $"{ActorName} assigned security event {TargetName}",
        AuditAction.SecurityEventTagged => $"{ActorName} changed the tags of security event {TargetName}",
        AuditAction.SecurityEventCommented => $"{ActorName} commented on security event {TargetName}",
        AuditAction.HandlingPolicyCreated => $"{ActorName} created handling policy {TargetName}",
        AuditAction.HandlingPolicyRefused => $"The safety envelope refused handling policy {TargetName} of {ActorName}",
        AuditAction.HandlingPolicyDecided => $"{ActorName} decided on handling policy {TargetName}",
        AuditAction.HandlingPolicyReverted => $"{ActorName} unblocked handling policy {TargetName}",
        AuditAction.HandlingTaskRetried => $"{ActorName} retried handling task {TargetName}",
        AuditAction.HandlingTaskChanged => $"Handling task {TargetName} changed",
        AuditAction.ResponseCapReached => $"The cap of automatic blocks per hour was reached ({TargetName})",
        AuditAction.ResponseRuleChanged => $"{ActorName} changed automatic response rule {TargetName}",
        AuditAction.PlaybookChanged => $"{ActorName} changed playbook {TargetName}",
        AuditAction.ResponseAllowListEntryAdded => $"{ActorName} allow-listed {TargetName} for response (never blocked)",
        AuditAction.ResponseAllowListEntryRemoved => $"{ActorName} removed {TargetName} from the response allow-list",
        _ => $"{ActorName}: {Action}",
    };
}
