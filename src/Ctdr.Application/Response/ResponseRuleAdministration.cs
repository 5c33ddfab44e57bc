using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Response;

/// <summary>An automatic response rule as the rules page lists it.</summary>
public sealed record ResponseRuleRow(
    long Id,
    int Order,
    string Name,
    bool Enabled,
    ResponseTrigger Trigger,
    bool MatchAll,
    IReadOnlyList<ResponseCondition> Conditions,
    IReadOnlyList<ResponseAction> Actions,
    string ActionsText,
    bool DryRun,
    bool RequireApproval,
    int ApprovalMinutes,
    bool ApproveOnTimeout,
    long FiredCount,
    DateTimeOffset? LastFiredAt);

/// <summary>Automatic response rules: list in evaluation order, create, edit, enable/disable, reorder, delete — each change audited.</summary>
public sealed class ResponseRuleAdministration(ICtdrDbFactory dbs, ICurrentUser currentUser, IAuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<ResponseRuleRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rules = await db.ResponseRules.AsNoTracking().OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var playbooks = await db.Playbooks.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        return
        [
            .. rules.Select(r => new ResponseRuleRow(
                r.Id, r.Order, r.Name, r.Enabled, r.Trigger, r.MatchAll, r.Conditions, r.Actions,
                string.Join("; ", r.Actions.Select(a => a.Kind switch
                {
                    ResponseActionKind.RunPlaybook => "run " + (a.PlaybookId is { } id && playbooks.TryGetValue(id, out var name) ? name : "a deleted playbook"),
                    ResponseActionKind.ChangeEventStatus => "set the status to " + a.Value,
                    _ => "set the threat level to " + a.Value,
                })),
                r.DryRun, r.RequireApproval, r.ApprovalMinutes, r.ApproveOnTimeout, r.FiredCount, r.LastFiredAt)),
        ];
    }

    /// <summary>Creates (<paramref name="id"/> null, placed last) or changes a rule.</summary>
    public async Task<(Result Outcome, long? Id)> SaveAsync(long? id, ResponseRuleForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var playbooks = await db.Playbooks.Select(p => p.Id).ToListAsync(cancellationToken);
        var valid = form.Validate(playbooks);
        if (!valid.Succeeded)
        {
            return (valid, null);
        }

        var now = clock.GetUtcNow();
        ResponseRule rule;
        if (id is { } existing)
        {
            var found = await db.ResponseRules.SingleOrDefaultAsync(r => r.Id == existing, cancellationToken);
            if (found is null)
            {
                return (Result.NotFound("The rule does not exist."), null);
            }

            rule = found;
            rule.Apply(form, user.Name, now);
        }
        else
        {
            var last = await db.ResponseRules.MaxAsync(r => (int?)r.Order, cancellationToken) ?? 0;
            rule = ResponseRule.Create(form, last + 1, user.Name, now);
            db.ResponseRules.Add(rule);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.ResponseRuleChanged, user.AsActor(), Invariant.Text(rule.Id), rule.Name, id is null ? "created" : "changed", cancellationToken);
        return (Result.Ok(), rule.Id);
    }

    public async Task<Result> SetEnabledAsync(long id, bool enabled, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.ResponseRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Result.NotFound("The rule does not exist.");
        }

        rule.SetEnabled(enabled, user.Name, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.ResponseRuleChanged, user.AsActor(), Invariant.Text(id), rule.Name, enabled ? "enabled" : "disabled", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Moves a rule one place earlier (<paramref name="earlier"/>) or later in the evaluation order.</summary>
    public async Task<Result> MoveAsync(long id, bool earlier, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rules = await db.ResponseRules.OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var index = rules.FindIndex(r => r.Id == id);
        if (index < 0)
        {
            return Result.NotFound("The rule does not exist.");
        }

        var other = earlier ? index - 1 : index + 1;
        if (other < 0 || other >= rules.Count)
        {
            return Result.Ok();
        }

        (rules[index], rules[other]) = (rules[other], rules[index]);
        for (var i = 0; i < rules.Count; i++)
        {
            rules[i].MoveTo(i + 1);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.ResponseRuleChanged, user.AsActor(), Invariant.Text(id), rules[other].Name, $"moved to place {Invariant.Text(other + 1)}", cancellationToken);
        return Result.Ok();
    }

    public async Task<Result> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.ResponseRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Result.NotFound("The rule does not exist.");
        }

        db.ResponseRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.ResponseRuleChanged, user.AsActor(), Invariant.Text(id), rule.Name, "deleted", cancellationToken);
        return Result.Ok();
    }
}
