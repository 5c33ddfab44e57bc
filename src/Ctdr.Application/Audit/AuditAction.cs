namespace Ctdr.Application.Audit;

/// <summary>What an audit entry records. Stored by name, so values may be added but never renamed.</summary>
public enum AuditAction
{
    SignInSucceeded,
    SignInFailed,
    SignInLockedOut,
    SignInRefused,
    SignedOut,
    FirstAdministratorCreated,
    UserCreated,
    RoleChanged,
    UserDisabled,
    UserEnabled,
    PasswordReset,
    CloudAccountOnboarded,
    CloudAccountUpdated,
    CloudAccountDisabled,
    CloudAccountEnabled,
    CloudAccountDeleted,
    ServiceActivated,
    LogAccessPolicyChanged,
    PricingChanged,
    LogSourceAdded,
    LogSourceUpdated,
    LogSourcePaused,
    LogSourceResumed,
    LogSourceDeleted,
    PushKeyIssued,
}
