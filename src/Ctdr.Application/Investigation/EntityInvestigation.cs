using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;
using FieldCondition = Ctdr.Application.Logs.FieldCondition;

namespace Ctdr.Application.Investigation;

/// <summary>The kinds of entity an analyst can investigate; the same kinds as alerts' entity columns.</summary>
public enum InvestigatedKind
{
    Ip,
    Asset,
    Account,
    User,
    AccessKey,
}

/// <summary>The URL slugs of <see cref="InvestigatedKind"/> (<c>ip</c>, <c>asset</c>, <c>account</c>, <c>user</c>, <c>access-key</c>) and their names.</summary>
public static class InvestigatedKinds
{
    private static readonly (InvestigatedKind Kind, string Slug, string Name)[] All =
    [
        (InvestigatedKind.Ip, "ip", "IP"),
        (InvestigatedKind.Asset, "asset", "Asset"),
        (InvestigatedKind.Account, "account", "Cloud account"),
        (InvestigatedKind.User, "user", "User"),
        (InvestigatedKind.AccessKey, "access-key", "Access key"),
    ];

    /// <summary>The kind a slug names (exact, lower case); null for anything else.</summary>
    public static InvestigatedKind? Parse(string? slug)
    {
        foreach (var (kind, known, _) in All)
        {
            if (string.Equals(slug, known, StringComparison.Ordinal))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The investigated kind of an alert's entity kind (the same five kinds).</summary>
    public static InvestigatedKind Of(EntityKind kind) => kind switch
    {
        EntityKind.Ip => InvestigatedKind.Ip,
        EntityKind.Asset => InvestigatedKind.Asset,
        EntityKind.Account => InvestigatedKind.Account,
        EntityKind.User => InvestigatedKind.User,
        EntityKind.AccessKey => InvestigatedKind.AccessKey,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entity kind."),
    };

    public static string Slug(InvestigatedKind kind) => Find(kind).Slug;

    public static string DisplayName(InvestigatedKind kind) => Find(kind).Name;

    private static (InvestigatedKind Kind, string Slug, string Name) Find(InvestigatedKind kind)
    {
        foreach (var entry in All)
        {
            if (entry.Kind == kind)
            {
                return entry;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an investigated kind.");
    }
}

/// <summary>A security event holding at least one alert about the entity.</summary>
public sealed record EntityEventRow(long Id, string Title, ThreatLevel ThreatLevel, int ThreatScore, SecurityEventStatus Status, DateTimeOffset LastSeen);

/// <summary>An alert that names the entity.</summary>
public sealed record EntityAlertRow(long Id, string RuleTitle, RuleSeverity Severity, AlertStatus Status, CloudProvider Provider, long Count, DateTimeOffset LastSeen);

/// <summary>A stored log of the entity; <see cref="Summary"/> is attacker-controlled text.</summary>
public sealed record EntityLogRow(long Id, DateTimeOffset Time, CloudProvider Provider, LogProduct Product, long SourceId, string SourceName, string Summary);

/// <summary>
/// Everything Ctdr holds about one entity. Events and alerts are listed newest first, at most
/// <see cref="EntityInvestigation.ListLimit"/> each, with their totals; logs are those in
/// [<see cref="LogsFrom"/>, <see cref="LogsTo"/>) that <see cref="LogSearchUrl"/> finds, counted up to
/// <see cref="EntityInvestigation.LogCountLimit"/> (<see cref="LogCountIsLowerBound"/>: "at least").
/// </summary>
public sealed record EntityProfile(
    InvestigatedKind Kind,
    string Value,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    int EventCount,
    IReadOnlyList<EntityEventRow> Events,
    int AlertCount,
    IReadOnlyList<EntityAlertRow> Alerts,
    int LogCount,
    bool LogCountIsLowerBound,
    IReadOnlyList<EntityLogRow> Logs,
    DateTimeOffset LogsFrom,
    DateTimeOffset LogsTo,
    LogQuery LogQuery,
    string LogSearchUrl)
{
    /// <summary>Nothing about the entity: no event, no alert, no stored log in the window.</summary>
    public bool NothingSeen => EventCount == 0 && AlertCount == 0 && LogCount == 0;
}

/// <summary>
/// The entity investigation page's use case: one entity's events, alerts and stored logs, first and last seen,
/// and the log search that finds its logs. Values match exactly (ordinal), as alerts' entity columns do.
/// </summary>
public sealed class EntityInvestigation(ICtdrDbFactory dbs, ICurrentUser currentUser, LogSearchQuery logs, TimeProvider clock)
{
    /// <summary>The most events, alerts and logs listed; totals are given beside.</summary>
    public const int ListLimit = 50;

    /// <summary>Logs are counted up to this many; beyond, the page says "10,000+".</summary>
    public const int LogCountLimit = 10_000;

    /// <summary>Entity values are stored up to this length (alerts cut longer values).</summary>
    public const int MaxValueLength = 256;

    /// <summary>
    /// How far back logs are looked at: the widest range one log search may cover, which spans the default
    /// log retention (30 days), so the pivot stays one valid search.
    /// </summary>
    public static TimeSpan LogWindow => LogSearchQuery.MaxRange;

    /// <summary>The page of an entity: <c>/entities/{slug}?value={value}</c>.</summary>
    public static string PageUrl(InvestigatedKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return $"/entities/{InvestigatedKinds.Slug(kind)}?value={Uri.EscapeDataString(value)}";
    }

    /// <summary>The value as investigated (trimmed); null when it cannot be: empty, too long, or with control characters (line breaks would split the log search).</summary>
    public static string? Normalize(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxValueLength || trimmed.Any(char.IsControl) ? null : trimmed;
    }

    /// <summary>
    /// The log field that holds the entity: ip → <c>src_endpoint.ip</c>; asset → <c>dst_endpoint.ip</c> when the
    /// value is an IP address, else <c>http_request.url.hostname</c> (where the WAF normalisers put the protected
    /// domain); account → <c>cloud.account.uid</c>; user → <c>actor.user.name</c>; access key →
    /// <c>actor.user.credential_uid</c>.
    /// </summary>
    public static FieldCondition LogCondition(InvestigatedKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = kind switch
        {
            InvestigatedKind.Ip => "src_endpoint.ip",
            InvestigatedKind.Asset => IsIpAddress(value) ? "dst_endpoint.ip" : "http_request.url.hostname",
            InvestigatedKind.Account => "cloud.account.uid",
            InvestigatedKind.User => "actor.user.name",
            InvestigatedKind.AccessKey => "actor.user.credential_uid",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an investigated kind."),
        };
        return new FieldCondition(path, ConditionOperator.Equals, value);
    }

    /// <summary>The log search over the window ending at <paramref name="to"/> that finds the entity's logs.</summary>
    public static LogQuery LogQueryFor(InvestigatedKind kind, string value, DateTimeOffset to) =>
        new(to - LogWindow, to, Conditions: [LogCondition(kind, value)]);

    /// <summary>
    /// The Log search page's address for <paramref name="query"/> (a custom range and field conditions, in the
    /// order that page writes them): <c>/logs?from=…&amp;to=…&amp;where=…</c>.
    /// </summary>
    public static string LogSearchUrl(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = string.Join("\n", (query.Conditions ?? []).Select(c => $"{c.Path} {LogQueryParser.TokenOf(c.Operator)} {Quoted(c.Value)}"));
        var parameters = new List<string>
        {
            "from=" + Uri.EscapeDataString(Iso(query.From)),
            "to=" + Uri.EscapeDataString(Iso(query.To)),
        };
        if (where.Length > 0)
        {
            parameters.Add("where=" + Uri.EscapeDataString(where));
        }

        return "/logs?" + string.Join("&", parameters);
    }

    public async Task<EntityProfile?> GetAsync(InvestigatedKind kind, string value, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        if (Normalize(value) is not { } entity)
        {
            return null;
        }

        // The window ends on the next whole minute: the pivot writes times to the second, and must read back as the same range.
        var now = clock.GetUtcNow().UtcDateTime;
        var to = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        var logQuery = LogQueryFor(kind, entity, to);

        await using var db = await dbs.CreateAsync(cancellationToken);
        var alerts = Matching(db.Alerts.AsNoTracking(), kind, entity);
        var alertCount = await alerts.CountAsync(cancellationToken);
        var alertRows = await alerts
            .OrderByDescending(a => a.LastSeen).ThenByDescending(a => a.Id)
            .Take(ListLimit)
            .Select(a => new EntityAlertRow(a.Id, a.RuleTitle, a.Severity, a.Status, a.Provider, a.Count, a.LastSeen))
            .ToListAsync(cancellationToken);
        DateTimeOffset? alertsFirst = null, alertsLast = null;
        if (alertCount > 0)
        {
            alertsFirst = await alerts.OrderBy(a => a.FirstSeen).Select(a => a.FirstSeen).FirstAsync(cancellationToken);
            alertsLast = await alerts.OrderByDescending(a => a.LastSeen).Select(a => a.LastSeen).FirstAsync(cancellationToken);
        }

        var alertIds = alerts.Select(a => a.Id);
        var eventIds = db.EventMemberships.Where(m => alertIds.Contains(m.AlertId)).Select(m => m.EventId);
        var events = db.SecurityEvents.AsNoTracking().Where(e => e.MergedIntoId == null && eventIds.Contains(e.Id));
        var eventCount = await events.CountAsync(cancellationToken);
        var eventRows = await events
            .OrderByDescending(e => e.LastSeen).ThenByDescending(e => e.Id)
            .Take(ListLimit)
            .Select(e => new EntityEventRow(e.Id, e.Title, e.ThreatLevel, e.ThreatScore, e.Status, e.LastSeen))
            .ToListAsync(cancellationToken);

        var glance = await logs.GlanceAsync(logQuery, ListLimit, LogCountLimit, cancellationToken);
        var sourceIds = glance.Newest.Select(l => l.SourceId).Distinct().ToList();
        var sourceNames = await db.LogSources.AsNoTracking().Where(s => sourceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var logRows = glance.Newest
            .Select(l => new EntityLogRow(l.Id, l.Time, l.Provider, l.Product, l.SourceId, sourceNames.GetValueOrDefault(l.SourceId) ?? $"Deleted source #{Invariant.Text(l.SourceId)}", Summary(l)))
            .ToList();

        var first = Earliest(alertsFirst, glance.OldestTime);
        var last = Latest(alertsLast, glance.Newest.Count > 0 ? glance.Newest[0].Time : null);
        return new EntityProfile(
            kind,
            entity,
            first,
            last,
            eventCount,
            eventRows,
            alertCount,
            alertRows,
            glance.Count,
            glance.CountIsLowerBound,
            logRows,
            logQuery.From,
            logQuery.To,
            logQuery,
            LogSearchUrl(logQuery));
    }

    /// <summary>One line that tells a log apart: who, what, where, with what outcome.</summary>
    public static string Summary(LogRowSummary log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var target = log.UrlPath is null ? null : log.UrlPath + (string.IsNullOrEmpty(log.UrlQuery) ? string.Empty : "?" + log.UrlQuery);
        string?[] parts =
        [
            log.SrcIp is null ? null : log.SrcIp + (log.DstIp is null ? string.Empty : " → " + log.DstIp),
            log.HttpMethod,
            log.UrlHostname,
            target,
            log.HttpStatus?.ToString(CultureInfo.InvariantCulture),
            log.ApiOperation,
            log.ActorUserName,
            log.DispositionId is OcsfDisposition.Unknown ? null : log.DispositionId.ToString(),
        ];
        var text = string.Join(" ", parts.Where(p => !string.IsNullOrEmpty(p)));
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    private static IQueryable<Alert> Matching(IQueryable<Alert> alerts, InvestigatedKind kind, string value) => kind switch
    {
        InvestigatedKind.Ip => alerts.Where(a => a.Ip == value),
        InvestigatedKind.Asset => alerts.Where(a => a.Asset == value),
        InvestigatedKind.Account => alerts.Where(a => a.Account == value),
        InvestigatedKind.User => alerts.Where(a => a.User == value),
        InvestigatedKind.AccessKey => alerts.Where(a => a.AccessKey == value),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an investigated kind."),
    };

    /// <summary>An IP address written out in full (dotted quad or IPv6), not a name or a number that happens to parse.</summary>
    private static bool IsIpAddress(string value) =>
        IPAddress.TryParse(value, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 ? value.Contains(':', StringComparison.Ordinal) : value.Count(c => c == '.') == 3);

    /// <summary>The value as the condition parser reads it back: it drops one pair of surrounding quotes, so such a value gets another pair.</summary>
    private static string Quoted(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? $"\"{value}\"" : value;

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
