using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Live;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Alerts;

public sealed record AlertFilter(
    RuleSeverity? Severity = null,
    string? RuleKey = null,
    CloudProvider? Provider = null,
    string? AccountUid = null,
    string? Entity = null,
    AlertStatus? Status = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool? Shadow = null);

public sealed record AlertRow(
    long Id,
    string RuleKey,
    string RuleTitle,
    RuleSeverity Severity,
    ThreatLevel ThreatLevel,
    bool IsShadow,
    CloudProvider Provider,
    string? AccountUid,
    LogProduct Product,
    string? Ip,
    string? Asset,
    string? User,
    long Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    AlertStatus Status,
    string? RuleAuthor);

/// <summary>An evidence log of an alert, with its raw record (attacker-controlled: render as text).</summary>
public sealed record EvidenceLog(long LogId, DateTimeOffset Time, string? SourceName, SecurityLog? Log, string? Raw);

public sealed record AlertDetails(
    AlertRow Row,
    long RuleId,
    int RuleVersion,
    RuleOrigin RuleOrigin,
    string? RuleLicense,
    string? RuleDescription,
    string? Recommendation,
    string? Tactic,
    string? Technique,
    string? Account,
    string? AccessKey,
    long? Value,
    string? StatusReason,
    string? StatusBy,
    DateTimeOffset? StatusAt,
    IReadOnlyList<EvidenceLog> Evidence,
    long? EventId = null,
    string? NoEventReason = null);

/// <summary>The Alerts page: list, detail, acknowledge, close.</summary>
public sealed class AlertQueries(ICtdrDbFactory dbs, ICurrentUser currentUser, IStoredLogReader logs, IAuditTrail audit, ILiveFeed feed, TimeProvider clock)
{
    public async Task<Page<AlertRow>> ListAsync(AlertFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var query = Filter(db.Alerts.AsNoTracking(), filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(a => a.LastSeen)
            .ThenByDescending(a => a.Id)
            .Skip(page.Skip)
            .Take(page.Take)
            .Select(a => new AlertRow(a.Id, a.RuleKey, a.RuleTitle, a.Severity, a.ThreatLevel, a.IsShadow, a.Provider, a.AccountUid, a.Product, a.Ip, a.Asset, a.User, a.Count, a.FirstSeen, a.LastSeen, a.Status, a.RuleAuthor))
            .ToListAsync(cancellationToken);
        return new Page<AlertRow>(rows, total);
    }

    public async Task<AlertDetails?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var alert = await db.Alerts.AsNoTracking().Include(a => a.Evidence).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null)
        {
            return null;
        }

        var ruleText = await db.DetectionRules.AsNoTracking().Where(r => r.Id == alert.RuleId).Select(r => r.Text).SingleOrDefaultAsync(cancellationToken);
        var definition = ruleText is null ? null : RuleTexts.TryParse(ruleText);
        var eventId = await db.EventMemberships.AsNoTracking().Where(m => m.AlertId == id).Select(m => (long?)m.EventId).SingleOrDefaultAsync(cancellationToken);
        var evidence = alert.Evidence.OrderBy(e => e.Ref).ToList();
        var items = await EvidenceLogs.LoadAsync(db, logs, evidence, cancellationToken);
        return new AlertDetails(
            ToRow(alert),
            alert.RuleId,
            alert.RuleVersion,
            alert.RuleOrigin,
            alert.RuleLicense,
            definition?.Description,
            definition?.Recommendation,
            alert.Tactic,
            alert.Technique,
            alert.Account,
            alert.AccessKey,
            alert.Value,
            alert.StatusReason,
            alert.StatusBy,
            alert.StatusAt,
            items,
            eventId,
            eventId is null ? NoEventReason(alert) : null);
    }

    public async Task<Result> AcknowledgeAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null)
        {
            return Result.NotFound("The alert does not exist.");
        }

        var result = alert.Acknowledge(user.Name, clock.GetUtcNow());
        if (!result.Succeeded)
        {
            return result;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.AlertAcknowledged, user.AsActor(), Invariant.Text(id), alert.RuleTitle, cancellationToken: cancellationToken);
        await PublishAsync(alert, "acknowledged", cancellationToken);
        return Result.Ok();
    }

    public async Task<Result> CloseAsync(long id, string reason, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.TriageAlerts, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null)
        {
            return Result.NotFound("The alert does not exist.");
        }

        var result = alert.Close(reason, user.Name, clock.GetUtcNow());
        if (!result.Succeeded)
        {
            return result;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.AlertClosed, user.AsActor(), Invariant.Text(id), alert.RuleTitle, alert.StatusReason, cancellationToken);
        await PublishAsync(alert, "closed", cancellationToken);
        return Result.Ok();
    }

    internal static IQueryable<Alert> Filter(IQueryable<Alert> query, AlertFilter filter)
    {
        if (filter.Severity is { } severity)
        {
            query = query.Where(a => a.Severity == severity);
        }

        if (!string.IsNullOrWhiteSpace(filter.RuleKey))
        {
            var key = filter.RuleKey.Trim();
            query = query.Where(a => a.RuleKey == key);
        }

        if (filter.Provider is { } provider)
        {
            query = query.Where(a => a.Provider == provider);
        }

        if (!string.IsNullOrWhiteSpace(filter.AccountUid))
        {
            var account = filter.AccountUid.Trim();
            query = query.Where(a => a.AccountUid == account);
        }

        if (!string.IsNullOrWhiteSpace(filter.Entity))
        {
            var entity = filter.Entity.Trim();
            query = query.Where(a => a.Ip == entity || a.Asset == entity || a.Account == entity || a.User == entity || a.AccessKey == entity);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(a => a.Status == status);
        }

        if (filter.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(a => a.LastSeen >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            query = query.Where(a => a.FirstSeen <= toUtc);
        }

        if (filter.Shadow is { } shadow)
        {
            query = query.Where(a => a.IsShadow == shadow);
        }

        return query;
    }

    /// <summary>Why an alert is in no event, when that is for good (its provider or its rule's shadow mode), else null (not yet correlated).</summary>
    private static string? NoEventReason(Alert alert)
    {
        var capabilities = CloudProviders.Of(alert.Provider);
        if (!capabilities.GeneratesEvents)
        {
            return $"Alerts from {capabilities.DisplayName} logs do not form security events and are not handled automatically: only Alibaba Cloud, Huawei Cloud and Tencent Cloud logs do.";
        }

        return alert.IsShadow ? "Alerts of rules testing on live data (shadow mode) do not form security events." : null;
    }

    private static AlertRow ToRow(Alert a) =>
        new(a.Id, a.RuleKey, a.RuleTitle, a.Severity, a.ThreatLevel, a.IsShadow, a.Provider, a.AccountUid, a.Product, a.Ip, a.Asset, a.User, a.Count, a.FirstSeen, a.LastSeen, a.Status, a.RuleAuthor);

    private ValueTask PublishAsync(Alert alert, string what, CancellationToken cancellationToken) =>
        feed.PublishAsync(new LiveMessage(LiveKinds.Alert, $"Alert {what}: {alert.RuleTitle}", Permission.ViewConsole, clock.GetUtcNow(), Invariant.Text(alert.Id)), cancellationToken);
}
