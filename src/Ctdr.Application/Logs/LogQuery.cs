using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Logs;

public enum ConditionOperator
{
    Equals,
    NotEquals,
    Contains,
    StartsWith,
    GreaterThan,
    LessThan,
}

/// <summary>A condition on one field by its OCSF path, e.g. <c>src_endpoint.ip = 203.0.113.7</c>.</summary>
public sealed record FieldCondition(string Path, ConditionOperator Operator, string Value);

/// <summary>
/// A log search: a time range (event time), optional scope filters, field conditions (all must hold), and
/// free text looked for in the URL path and query, the user agent, the API operation and the message.
/// </summary>
public sealed record LogQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    CloudProvider? Provider = null,
    long? AccountId = null,
    long? SourceId = null,
    LogProduct? Product = null,
    IReadOnlyList<FieldCondition>? Conditions = null,
    string? Text = null);

/// <summary>A row of the search results: the fields that tell records apart at a glance.</summary>
public sealed record LogRowSummary(
    long Id,
    DateTimeOffset Time,
    long SourceId,
    CloudProvider Provider,
    LogProduct Product,
    OcsfClass ClassUid,
    OcsfSeverity SeverityId,
    OcsfDisposition DispositionId,
    string? SrcIp,
    string? DstIp,
    string? HttpMethod,
    string? UrlHostname,
    string? UrlPath,
    string? UrlQuery,
    int? HttpStatus,
    string? ApiOperation,
    string? ActorUserName);

/// <summary>One stored record with everything known about it.</summary>
public sealed record LogDetails(long Id, string SourceName, DateTimeOffset ReceivedAt, SecurityLog Log, string RawJson);

/// <summary>
/// A first look at what a search finds: its newest rows, how many rows match — counted up to a limit, so that a
/// busy entity does not count millions of rows (<see cref="CountIsLowerBound"/>: "at least") — and the oldest match's time.
/// </summary>
public sealed record LogGlance(IReadOnlyList<LogRowSummary> Newest, int Count, bool CountIsLowerBound, DateTimeOffset? OldestTime);

/// <summary>Reads stored logs for the search page (server-side paging, newest first).</summary>
public interface ILogSearch
{
    Task<Page<LogRowSummary>> SearchAsync(LogQuery query, PageRequest page, CancellationToken cancellationToken);

    /// <summary>The same rows as <see cref="SearchAsync"/> finds for <paramref name="query"/>: the newest <paramref name="take"/>, a count bounded by <paramref name="countLimit"/>, the oldest time.</summary>
    Task<LogGlance> GlanceAsync(LogQuery query, int take, int countLimit, CancellationToken cancellationToken);

    Task<LogDetails?> GetAsync(long id, CancellationToken cancellationToken);
}
