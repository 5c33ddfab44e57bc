using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.LogStore;

/// <summary>Log search over <c>SecurityLogs</c>: filters and field conditions translated to SQL, newest first.</summary>
internal sealed class LogSearch(IDbContextFactory<CtdrDbContext> contexts) : ILogSearch
{
    public async Task<Page<LogRowSummary>> SearchAsync(LogQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = Filter(db, query);
        var total = await rows.CountAsync(cancellationToken);
        var items = await NewestAsync(rows, page.Skip, page.Take, cancellationToken);
        return new Page<LogRowSummary>(items, total);
    }

    public async Task<LogGlance> GlanceAsync(LogQuery query, int take, int countLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = Filter(db, query);

        // Counting stops one past the limit: enough to say "more than", without reading every match.
        var counted = await rows.Take(countLimit + 1).CountAsync(cancellationToken);
        var newest = await NewestAsync(rows, 0, take, cancellationToken);
        var oldest = counted == 0 ? null : (DateTimeOffset?)await rows.OrderBy(r => r.Time).ThenBy(r => r.Id).Select(r => r.Time).FirstAsync(cancellationToken);
        return new LogGlance(newest, Math.Min(counted, countLimit), counted > countLimit, oldest);
    }

    public async Task<LogDetails?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.SecurityLogs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var sourceName = await db.LogSources.Where(s => s.Id == row.SourceId).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken)
            ?? $"Deleted source #{row.SourceId.ToString(CultureInfo.InvariantCulture)}";
        return new LogDetails(row.Id, sourceName, row.ReceivedAt, ToSecurityLog(row), row.Raw);
    }

    /// <summary>Rows newest first, the order of the search page.</summary>
    private static async Task<List<LogRowSummary>> NewestAsync(IQueryable<LogRow> rows, int skip, int take, CancellationToken cancellationToken)
    {
        var items = await rows
            .OrderByDescending(r => r.Time).ThenByDescending(r => r.Id)
            .Skip(skip).Take(take)
            .Select(r => new { r.Id, r.Time, r.SourceId, r.Provider, r.Product, r.ClassUid, r.SeverityId, r.DispositionId, r.SrcIp, r.DstIp, r.HttpMethod, r.UrlHostname, r.UrlPath, r.UrlQuery, r.HttpStatus, r.ApiOperation, r.ActorUserName })
            .ToListAsync(cancellationToken);
        return [.. items.Select(r => new LogRowSummary(
            r.Id, r.Time, r.SourceId, Enum.Parse<CloudProvider>(r.Provider), Enum.Parse<LogProduct>(r.Product), (OcsfClass)r.ClassUid,
            (OcsfSeverity)r.SeverityId, (OcsfDisposition)r.DispositionId, r.SrcIp, r.DstIp, r.HttpMethod, r.UrlHostname, r.UrlPath, r.UrlQuery,
            r.HttpStatus, r.ApiOperation, r.ActorUserName))];
    }

    private static IQueryable<LogRow> Filter(CtdrDbContext db, LogQuery query)
    {
        var from = query.From.ToUniversalTime();
        var to = query.To.ToUniversalTime();
        var rows = db.SecurityLogs.AsNoTracking().Where(r => r.Time >= from && r.Time < to);
        if (query.SourceId is { } sourceId)
        {
            rows = rows.Where(r => r.SourceId == sourceId);
        }

        if (query.AccountId is { } accountId)
        {
            var sources = db.LogSources.Where(s => s.AccountId == accountId).Select(s => s.Id);
            rows = rows.Where(r => sources.Contains(r.SourceId));
        }

        if (query.Provider is { } provider)
        {
            var name = provider.ToString();
            rows = rows.Where(r => r.Provider == name);
        }

        if (query.Product is { } product)
        {
            var name = product.ToString();
            rows = rows.Where(r => r.Product == name);
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            // URLs are logged percent-encoded: "union select" must also find "union%20select".
            var text = query.Text.Trim();
            var pattern = LikePatterns.Contains(text);
            var encoded = LikePatterns.Contains(Uri.EscapeDataString(text));
            rows = rows.Where(r =>
                EF.Functions.Like(r.UrlPath!, pattern, LikePatterns.Escape)
                || EF.Functions.Like(r.UrlQuery!, pattern, LikePatterns.Escape)
                || EF.Functions.Like(r.UrlPath!, encoded, LikePatterns.Escape)
                || EF.Functions.Like(r.UrlQuery!, encoded, LikePatterns.Escape)
                || EF.Functions.Like(r.UserAgent!, pattern, LikePatterns.Escape)
                || EF.Functions.Like(r.ApiOperation!, pattern, LikePatterns.Escape)
                || EF.Functions.Like(r.Message!, pattern, LikePatterns.Escape));
        }

        foreach (var condition in query.Conditions ?? [])
        {
            rows = rows.Where(Predicate(condition));
        }

        return rows;
    }

    private static Expression<Func<LogRow, bool>> Predicate(FieldCondition condition)
    {
        var field = SecurityLogFields.Get(condition.Path);
        var row = Expression.Parameter(typeof(LogRow), "r");
        var property = typeof(LogRow).GetProperty(field.Member) ?? throw new InvalidOperationException($"No column for {field.Path}.");
        var member = Expression.Property(row, property);
        Expression body = field.Kind switch
        {
            LogFieldKind.Number => Compare(Expression.Convert(member, typeof(long?)), Expression.Constant(long.Parse(condition.Value, CultureInfo.InvariantCulture), typeof(long?)), condition.Operator),
            LogFieldKind.Time => Compare(member, Expression.Constant(DateTimeOffset.Parse(condition.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime()), condition.Operator),
            _ => TextPredicate(member, condition),
        };
        return Expression.Lambda<Func<LogRow, bool>>(body, row);
    }

    private static BinaryExpression Compare(Expression left, Expression right, ConditionOperator op) => op switch
    {
        ConditionOperator.Equals => Expression.Equal(left, right),
        ConditionOperator.NotEquals => Expression.NotEqual(left, right),
        ConditionOperator.GreaterThan => Expression.GreaterThan(left, right),
        ConditionOperator.LessThan => Expression.LessThan(left, right),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not an operator for numbers and times."),
    };

    private static Expression TextPredicate(MemberExpression member, FieldCondition condition)
    {
        var like = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;
        var functions = Expression.Constant(EF.Functions);
        var escape = Expression.Constant(LikePatterns.Escape);
        var value = member;
        return condition.Operator switch
        {
            ConditionOperator.Equals => Expression.Equal(value, Expression.Constant(condition.Value)),
            ConditionOperator.NotEquals => Expression.OrElse(Expression.Equal(value, Expression.Constant(null, typeof(string))), Expression.NotEqual(value, Expression.Constant(condition.Value))),
            ConditionOperator.Contains => Expression.Call(like, functions, value, Expression.Constant(LikePatterns.Contains(condition.Value)), escape),
            ConditionOperator.StartsWith => Expression.Call(like, functions, value, Expression.Constant(LikePatterns.StartsWith(condition.Value)), escape),
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Operator, "Not an operator for text."),
        };
    }

    internal static SecurityLog ToSecurityLog(LogRow row) => new()
    {
        SourceId = row.SourceId,
        Uid = row.Uid,
        Time = row.Time,
        ClassUid = (OcsfClass)row.ClassUid,
        ActivityId = row.ActivityId,
        SeverityId = (OcsfSeverity)row.SeverityId,
        StatusId = row.StatusId,
        DispositionId = (OcsfDisposition)row.DispositionId,
        ActionId = row.ActionId,
        Message = row.Message,
        Provider = Enum.Parse<CloudProvider>(row.Provider),
        AccountUid = row.AccountUid,
        Region = row.Region,
        Product = Enum.Parse<LogProduct>(row.Product),
        LogName = row.LogName,
        SrcIp = row.SrcIp,
        SrcPort = row.SrcPort,
        SrcIntermediateIp = row.SrcIntermediateIp,
        DstIp = row.DstIp,
        DstPort = row.DstPort,
        DstHostname = row.DstHostname,
        HttpMethod = row.HttpMethod,
        UrlHostname = row.UrlHostname,
        UrlPath = row.UrlPath,
        UrlQuery = row.UrlQuery,
        UserAgent = row.UserAgent,
        XForwardedFor = row.XForwardedFor,
        HttpRequestUid = row.HttpRequestUid,
        HttpStatus = row.HttpStatus,
        LatencyMs = row.LatencyMs,
        Protocol = row.Protocol,
        DirectionId = row.DirectionId,
        ApiOperation = row.ApiOperation,
        ApiService = row.ApiService,
        ApiErrorCode = row.ApiErrorCode,
        ApiErrorMessage = row.ApiErrorMessage,
        ActorUserName = row.ActorUserName,
        ActorUserUid = row.ActorUserUid,
        ActorUserType = row.ActorUserType,
        ActorAccountUid = row.ActorAccountUid,
        ActorCredentialUid = row.ActorCredentialUid,
        FirewallRuleUid = row.FirewallRuleUid,
        FirewallRuleType = row.FirewallRuleType,
        Raw = Encoding.UTF8.GetBytes(row.Raw),
    };
}
