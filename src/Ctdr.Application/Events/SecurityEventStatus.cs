using Ctdr.Application.Common;

namespace Ctdr.Application.Events;

/// <summary>A security event's status (domain.md). New alerts join only Unhandled and Handling events.</summary>
public enum SecurityEventStatus
{
    Unhandled,
    Handling,
    Handled,
    HandlingFailed,

    /// <summary>Dismissed as not worth handling (a reason is required).</summary>
    Ignored,

    /// <summary>Not an attack (a reason is required).</summary>
    FalsePositive,
}

/// <summary>
/// The event state machine: Unhandled → Handling → Handled | HandlingFailed; HandlingFailed → Handling (handle
/// again); any status → Ignored | FalsePositive with a reason; Ignored and FalsePositive → Unhandled (reopened, with
/// a reason). Anything else is refused with the reason.
/// </summary>
public static class SecurityEventTransitions
{
    private static readonly Dictionary<SecurityEventStatus, SecurityEventStatus[]> Allowed = new()
    {
        [SecurityEventStatus.Unhandled] = [SecurityEventStatus.Handling, SecurityEventStatus.Ignored, SecurityEventStatus.FalsePositive],
        [SecurityEventStatus.Handling] = [SecurityEventStatus.Handled, SecurityEventStatus.HandlingFailed, SecurityEventStatus.Ignored, SecurityEventStatus.FalsePositive],
        [SecurityEventStatus.HandlingFailed] = [SecurityEventStatus.Handling, SecurityEventStatus.Ignored, SecurityEventStatus.FalsePositive],
        [SecurityEventStatus.Handled] = [SecurityEventStatus.Ignored, SecurityEventStatus.FalsePositive],
        [SecurityEventStatus.Ignored] = [SecurityEventStatus.Unhandled, SecurityEventStatus.FalsePositive],
        [SecurityEventStatus.FalsePositive] = [SecurityEventStatus.Unhandled, SecurityEventStatus.Ignored],
    };

    /// <summary>Whether new alerts may join an event in this status.</summary>
    public static bool IsOpen(SecurityEventStatus status) => status is SecurityEventStatus.Unhandled or SecurityEventStatus.Handling;

    /// <summary>Whether the change needs a reason: dismissing (Ignored, FalsePositive) and reopening do.</summary>
    public static bool NeedsReason(SecurityEventStatus from, SecurityEventStatus to) =>
        to is SecurityEventStatus.Ignored or SecurityEventStatus.FalsePositive
        || (to == SecurityEventStatus.Unhandled && from is SecurityEventStatus.Ignored or SecurityEventStatus.FalsePositive);

    /// <summary>Checks a change of status; the result says why it is refused.</summary>
    public static Result Check(SecurityEventStatus from, SecurityEventStatus to, string? reason)
    {
        if (from == to)
        {
            return Result.Invalid("Status", $"The event is already {Describe(to)}.");
        }

        if (!Allowed[from].Contains(to))
        {
            return Result.Invalid("Status", $"An event that is {Describe(from)} cannot become {Describe(to)}; it can become {string.Join(", ", Allowed[from].Select(Describe))}.");
        }

        if (NeedsReason(from, to) && string.IsNullOrWhiteSpace(reason))
        {
            return Result.Invalid("Reason", $"Say why the event becomes {Describe(to)}.");
        }

        if (reason is { Length: > 500 })
        {
            return Result.Invalid("Reason", "The reason has at most 500 characters.");
        }

        return Result.Ok();
    }

    /// <summary>The status as a column or chip label: "Handling failed", "False positive".</summary>
    public static string Label(SecurityEventStatus status) => status switch
    {
        SecurityEventStatus.HandlingFailed => "Handling failed",
        SecurityEventStatus.FalsePositive => "False positive",
        _ => status.ToString(),
    };

    public static string Describe(SecurityEventStatus status) => status switch
    {
        SecurityEventStatus.Unhandled => "unhandled",
        SecurityEventStatus.Handling => "being handled",
        SecurityEventStatus.Handled => "handled",
        SecurityEventStatus.HandlingFailed => "failed to be handled",
        SecurityEventStatus.Ignored => "ignored",
        SecurityEventStatus.FalsePositive => "a false positive",
        _ => status.ToString(),
    };
}
