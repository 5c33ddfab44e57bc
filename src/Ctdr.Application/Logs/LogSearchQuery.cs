using Ctdr.Application.Access;
using Ctdr.Application.Common;

namespace Ctdr.Application.Logs;

/// <summary>The Log search page's use case: checks the caller and the query, then reads the store.</summary>
public sealed class LogSearchQuery(ILogSearch search, ICurrentUser currentUser)
{
    /// <summary>The widest time range one search may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public static Result Validate(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new ValidationErrors();
        if (query.To <= query.From)
        {
            errors.Add("To", "The end of the time range must be after its start.");
        }
        else if (query.To - query.From > MaxRange)
        {
            errors.Add("To", $"Search at most {MaxRange.TotalDays:0} days at a time.");
        }

        foreach (var condition in query.Conditions ?? [])
        {
            if (!LogQueryParser.TryParseLine($"{condition.Path} {LogQueryParser.TokenOf(condition.Operator)} {condition.Value}", out _, out var error))
            {
                errors.Add("Conditions", error!);
            }
        }

        if (query.Text is { Length: > 200 })
        {
            errors.Add("Text", "Search text has at most 200 characters.");
        }

        return errors.ToResult();
    }

    public async Task<Page<LogRowSummary>> SearchAsync(LogQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        var validation = Validate(query);
        if (!validation.Succeeded)
        {
            throw new ArgumentException(validation.Message, nameof(query));
        }

        return await search.SearchAsync(query, page, cancellationToken);
    }

    /// <summary>The newest matches of <paramref name="query"/> and a count bounded by <paramref name="countLimit"/> (see <see cref="LogGlance"/>).</summary>
    public async Task<LogGlance> GlanceAsync(LogQuery query, int take, int countLimit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(countLimit);
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        var validation = Validate(query);
        if (!validation.Succeeded)
        {
            throw new ArgumentException(validation.Message, nameof(query));
        }

        return await search.GlanceAsync(query, Math.Min(take, PageRequest.MaxPageSize), countLimit, cancellationToken);
    }

    public async Task<LogDetails?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        return await search.GetAsync(id, cancellationToken);
    }
}
