using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Live;
using Microsoft.EntityFrameworkCore;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Alerts;

public sealed record AllowListRow(long Id, string? RuleKey, string Condition, string Reason, bool Enabled, string CreatedBy, DateTimeOffset CreatedAt, long SuppressedCount, DateTimeOffset? LastSuppressedAt);

public sealed record AllowListForm(string? RuleKey, string Condition, string Reason, bool Enabled = true);

/// <summary>Alert allow-list entries: known-benign matches that raise no alert, with a count of what they suppressed.</summary>
public sealed class AlertAllowList(ICtdrDbFactory dbs, ICurrentUser currentUser, IAuditTrail audit, ILiveFeed feed, TimeProvider clock)
{
    public async Task<IReadOnlyList<AllowListRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        return await db.AlertAllowList.AsNoTracking()
            .OrderBy(e => e.Id)
            .Select(e => new AllowListRow(e.Id, e.RuleKey, e.Condition, e.Reason, e.Enabled, e.CreatedBy, e.CreatedAt, e.SuppressedCount, e.LastSuppressedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<(Result Outcome, long? Id)> AddAsync(AllowListForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await currentUser.RequireAsync(Permission.ManageAllowLists, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var (validation, condition) = await ValidateAsync(db, form, cancellationToken);
        if (!validation.Succeeded)
        {
            return (validation, null);
        }

        var entry = AlertAllowListEntry.Create(form.RuleKey, condition!, form.Reason, user.Name, clock.GetUtcNow());
        db.AlertAllowList.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await RuleAdministration.BumpRulesVersionAsync(db, cancellationToken);
        await audit.RecordAsync(AuditAction.AlertAllowListChanged, user.AsActor(), Invariant.Text(entry.Id), entry.RuleKey ?? "all rules", $"added: {entry.Condition} ({entry.Reason})", cancellationToken);
        await PublishAsync("Alert allow-list entry added", cancellationToken);
        return (Result.Ok(), entry.Id);
    }

    public async Task<Result> UpdateAsync(long id, AllowListForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await currentUser.RequireAsync(Permission.ManageAllowLists, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var entry = await db.AlertAllowList.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return Result.NotFound("The allow-list entry does not exist.");
        }

        var (validation, condition) = await ValidateAsync(db, form, cancellationToken);
        if (!validation.Succeeded)
        {
            return validation;
        }

        entry.Update(form.RuleKey, condition!, form.Reason, form.Enabled, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await RuleAdministration.BumpRulesVersionAsync(db, cancellationToken);
        await audit.RecordAsync(AuditAction.AlertAllowListChanged, user.AsActor(), Invariant.Text(id), entry.RuleKey ?? "all rules", $"changed: {entry.Condition} ({(entry.Enabled ? "enabled" : "disabled")})", cancellationToken);
        await PublishAsync("Alert allow-list entry changed", cancellationToken);
        return Result.Ok();
    }

    public async Task<Result> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.ManageAllowLists, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var entry = await db.AlertAllowList.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (entry is null)
        {
            return Result.NotFound("The allow-list entry does not exist.");
        }

        db.AlertAllowList.Remove(entry);
        await db.SaveChangesAsync(cancellationToken);
        await RuleAdministration.BumpRulesVersionAsync(db, cancellationToken);
        await audit.RecordAsync(AuditAction.AlertAllowListChanged, user.AsActor(), Invariant.Text(id), entry.RuleKey ?? "all rules", $"deleted: {entry.Condition}", cancellationToken);
        await PublishAsync("Alert allow-list entry deleted", cancellationToken);
        return Result.Ok();
    }

    /// <summary>The condition checked by the parser and printed canonically.</summary>
    private static async Task<(Result, string?)> ValidateAsync(ICtdrDb db, AllowListForm form, CancellationToken cancellationToken)
    {
        var basic = AlertAllowListEntry.Validate(form.Condition, form.Reason);
        if (!basic.Succeeded)
        {
            return (basic, null);
        }

        var (condition, errors) = RuleText.ParseCondition(form.Condition);
        if (condition is null || errors.Count > 0)
        {
            return (Result.Invalid("Condition", string.Join(" ", errors.Select(e => $"column {Invariant.Text(e.Column)}: {e.Message}"))), null);
        }

        if (!string.IsNullOrWhiteSpace(form.RuleKey))
        {
            var key = form.RuleKey.Trim();
            if (!await db.DetectionRules.AnyAsync(r => r.Key == key, cancellationToken))
            {
                return (Result.Invalid("RuleKey", $"No rule has the id '{key}'."), null);
            }
        }

        return (Result.Ok(), RuleText.PrintCondition(condition));
    }

    private ValueTask PublishAsync(string text, CancellationToken cancellationToken) =>
        feed.PublishAsync(new LiveMessage(LiveKinds.Rules, text, Permission.ViewConsole, clock.GetUtcNow()), cancellationToken);
}
