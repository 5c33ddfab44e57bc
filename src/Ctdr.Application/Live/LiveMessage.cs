using Ctdr.Application.Access;

namespace Ctdr.Application.Live;

/// <summary>
/// Something that changed, pushed to every connected console and hub client that may see it.
/// <see cref="Audience"/> is the permission a receiver needs; <see cref="Text"/> is plain text, never markup.
/// </summary>
public sealed record LiveMessage(
    string Kind,
    string Text,
    Permission Audience,
    DateTimeOffset OccurredAt,
    string? SubjectId = null);

/// <summary>The kinds of live messages. Later capabilities add their own (alert raised, event updated, ...).</summary>
public static class LiveKinds
{
    /// <summary>An audit-worthy action happened (sign-in, user management).</summary>
    public const string Audit = "audit";

    /// <summary>A notice for everyone watching the console.</summary>
    public const string Notice = "notice";

    /// <summary>A log source stored new records (or quarantined some).</summary>
    public const string Ingestion = "ingestion";

    /// <summary>An alert was raised or changed (<see cref="LiveMessage.SubjectId"/> is its id).</summary>
    public const string Alert = "alert";

    /// <summary>A security event was created or changed (<see cref="LiveMessage.SubjectId"/> is its id).</summary>
    public const string Event = "event";

    /// <summary>A handling policy or task was created or changed (<see cref="LiveMessage.SubjectId"/> is the policy id).</summary>
    public const string Response = "response";

    /// <summary>Detection rules or the alert allow-list changed.</summary>
    public const string Rules = "rules";
}
