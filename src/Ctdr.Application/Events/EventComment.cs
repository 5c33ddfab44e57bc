namespace Ctdr.Application.Events;

/// <summary>An analyst's note on an event. Comments are never edited or deleted: they are part of the event's record.</summary>
public sealed class EventComment
{
    public const int MaxLength = 4000;

    private EventComment()
    {
    }

    public long Id { get; private set; }

    public long EventId { get; private set; }

    public string AuthorId { get; private set; } = string.Empty;

    public string Author { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }

    /// <summary>Plain text as typed (rendered as text, never as markup).</summary>
    public string Text { get; private set; } = string.Empty;

    public static EventComment Write(long eventId, string authorId, string author, string text, DateTimeOffset at) => new()
    {
        EventId = eventId,
        AuthorId = authorId,
        Author = author,
        Text = text,
        At = at,
    };
}
