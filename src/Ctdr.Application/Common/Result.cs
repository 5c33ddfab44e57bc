namespace Ctdr.Application.Common;

public enum ResultStatus
{
    Ok,
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>The outcome of a use case: success, or a status with messages a user can act on.</summary>
public sealed class Result
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private Result(ResultStatus status, string? message, IReadOnlyDictionary<string, string[]> errors)
    {
        Status = status;
        Message = message;
        Errors = errors;
    }

    public ResultStatus Status { get; }

    /// <summary>A summary message for the user; null on success.</summary>
    public string? Message { get; }

    /// <summary>Validation messages by field name ("" for messages about the whole input).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    public bool Succeeded => Status == ResultStatus.Ok;

    public static Result Ok() => new(ResultStatus.Ok, null, NoErrors);

    public static Result NotFound(string message) => new(ResultStatus.NotFound, message, NoErrors);

    public static Result Conflict(string message) => new(ResultStatus.Conflict, message, NoErrors);

    public static Result Forbidden(string message) => new(ResultStatus.Forbidden, message, NoErrors);

    public static Result Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static Result Invalid(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var summary = string.Join(" ", errors.SelectMany(e => e.Value));
        return new(ResultStatus.Invalid, summary, errors);
    }

    /// <summary>All messages, field messages included, for a summary display.</summary>
    public IEnumerable<string> AllMessages() =>
        Errors.Count > 0 ? Errors.SelectMany(e => e.Value) : Message is null ? [] : [Message];
}
