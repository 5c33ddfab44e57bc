using System.Globalization;
using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ctdr.Application.Response;

/// <summary>A playbook as the playbooks page lists it; <see cref="UsedBy"/>: the automatic response rules that run it.</summary>
public sealed record PlaybookRow(
    long Id,
    string Key,
    string Name,
    string? Description,
    bool BuiltIn,
    int Version,
    TimeSpan DefaultDuration,
    IReadOnlyList<PlaybookStep> Steps,
    string StepsText,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    IReadOnlyList<string> UsedBy);

/// <summary>What an analyst enters for a custom playbook: a name, a default block duration in hours, and ordered steps.</summary>
public sealed record PlaybookForm(string Name, string? Description, int DefaultBlockHours, IReadOnlyList<PlaybookStep> Steps)
{
    public const int MaxSteps = 20;

    public const int MaxDescription = 2000;

    /// <summary>The longest default block a playbook may have: 30 days, or less when <c>Response:MaxBlockHours</c> says so.</summary>
    public static int MaxDefaultBlockHours(ResponseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Min(30 * 24, settings.MaxBlockHours);
    }

    /// <summary>Checks the form; the result names each problem, step problems as "Step n: …" under <c>Steps</c>.</summary>
    public Result Validate(ResponseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 100)
        {
            errors["Name"] = ["Give the playbook a name of at most 100 characters."];
        }

        if (Description is { Length: > MaxDescription })
        {
            errors["Description"] = [$"Keep the description to at most {Invariant.Text(MaxDescription)} characters."];
        }

        var max = MaxDefaultBlockHours(settings);
        if (DefaultBlockHours < 1 || DefaultBlockHours > max)
        {
            errors["DefaultBlockHours"] = [$"The default block lasts between 1 and {Invariant.Text(max)} hours."];
        }

        if (Steps is null || Steps.Count == 0)
        {
            errors["Steps"] = ["Add at least one step."];
        }
        else if (Steps.Count > MaxSteps)
        {
            errors["Steps"] = [$"A playbook has at most {Invariant.Text(MaxSteps)} steps."];
        }
        else
        {
            var problems = Steps.SelectMany((step, i) => StepProblems(step).Select(p => $"Step {Invariant.Text(i + 1)}: {p}")).ToList();
            if (problems.Count > 0)
            {
                errors["Steps"] = [.. problems];
            }
        }

        return errors.Count == 0 ? Result.Ok() : Result.Invalid(errors);
    }

    /// <summary>The steps as stored: parameters trimmed, empty optional ones dropped, names of statuses and levels as Ctdr spells them.</summary>
    public IReadOnlyList<PlaybookStep> NormalizedSteps() =>
    [
        .. Steps.Select(step =>
        {
            var parameters = (step.Parameters ?? new Dictionary<string, string>())
                .Where(p => !string.IsNullOrWhiteSpace(p.Value))
                .ToDictionary(p => p.Key, p => Canonical(step.Action, p.Key, p.Value.Trim()), StringComparer.Ordinal);
            var when = step.When is { } w ? new StepCondition(w.Field, w.Operator, w.Value.Trim()) : null;
            return new PlaybookStep(step.Action, parameters, when);
        }),
    ];

    private static readonly string[] Statuses = Enum.GetNames<SecurityEventStatus>();

    private static readonly string[] Levels = [nameof(ThreatLevel.Serious), nameof(ThreatLevel.Suspicious), nameof(ThreatLevel.Remind)];

    private static readonly Dictionary<PlaybookAction, string[]> Accepted = new()
    {
        [PlaybookAction.WafBlockIp] = [],
        [PlaybookAction.WafUnblockIp] = [],
        [PlaybookAction.ChangeEventStatus] = ["status", "reason"],
        [PlaybookAction.ChangeThreatLevel] = ["level"],
        [PlaybookAction.Notify] = ["url"],
    };

    private static string Canonical(PlaybookAction action, string name, string value) => (action, name) switch
    {
        (PlaybookAction.ChangeEventStatus, "status") => Statuses.FirstOrDefault(s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase)) ?? value,
        (PlaybookAction.ChangeThreatLevel, "level") => Levels.FirstOrDefault(l => string.Equals(l, value, StringComparison.OrdinalIgnoreCase)) ?? value,
        _ => value,
    };

    private static List<string> StepProblems(PlaybookStep step)
    {
        var problems = new List<string>();
        if (!Accepted.TryGetValue(step.Action, out var accepted))
        {
            problems.Add($"'{step.Action}' is not an action; use {string.Join(", ", Accepted.Keys)}.");
            return problems;
        }

        var given = (step.Parameters ?? new Dictionary<string, string>()).Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal);
        foreach (var unknown in given.Keys.Where(k => !accepted.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            problems.Add(accepted.Length == 0
                ? $"{step.Action} takes no parameters ('{unknown}' given)."
                : $"{step.Action} takes no parameter '{unknown}'; it takes {string.Join(", ", accepted)}.");
        }

        switch (step.Action)
        {
            case PlaybookAction.ChangeEventStatus:
                if (given.GetValueOrDefault("status") is not { } status)
                {
                    problems.Add($"choose the status to set: {Choices(Statuses)}.");
                }
                else if (!Statuses.Contains(status, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"'{status}' is not a status; use {Choices(Statuses)}.");
                }

                if (given.GetValueOrDefault("reason") is { Length: > 500 })
                {
                    problems.Add("keep the reason to at most 500 characters.");
                }

                break;
            case PlaybookAction.ChangeThreatLevel:
                if (given.GetValueOrDefault("level") is not { } level)
                {
                    problems.Add($"choose the threat level to set: {Choices(Levels)}.");
                }
                else if (!Levels.Contains(level, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"'{level}' is not a threat level; use {Choices(Levels)}.");
                }

                break;
            case PlaybookAction.Notify:
                if (given.GetValueOrDefault("url") is { } url)
                {
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || url.Length > 2000)
                    {
                        problems.Add($"'{url}' is not a webhook address; use an http or https URL.");
                    }
                    else if (uri.UserInfo.Length > 0)
                    {
                        // A user name or password in the address would be shown on the page and in the audit log.
                        problems.Add("the webhook address must not carry a user name or password.");
                    }
                }

                break;
        }

        if (step.When is { } when && ConditionProblem(when) is { } conditionProblem)
        {
            problems.Add(conditionProblem);
        }

        return problems;
    }

    private static string? ConditionProblem(StepCondition when)
    {
        var valid = ResponseSubject.Fields.Contains(when.Field) && ResponseSubject.Operators.Contains(when.Operator) && !string.IsNullOrWhiteSpace(when.Value)
            && (when.Field == "threat_score"
                ? int.TryParse(when.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _) && when.Operator != "contains"
                : when.Operator is not (">=" or "<="));
        return valid ? null : $"'{when.Field} {when.Operator} {when.Value}' is not a condition: fields {string.Join(", ", ResponseSubject.Fields)}; threat_score takes = != >= <= and a number, the others = != contains.";
    }

    private static string Choices(string[] names) => string.Join(", ", names[..^1]) + " or " + names[^1];
}

/// <summary>One line of a dry run: what step <see cref="Step"/> (1-based) would do for <see cref="Address"/> (null: for the event), and why it would be refused.</summary>
/// <param name="ConditionHolds">Null when the step has no condition.</param>
public sealed record DryRunLine(int Step, PlaybookAction Action, string? Address, string Text, bool? ConditionHolds = null, string? Refused = null)
{
    public override string ToString() =>
        $"Step {Invariant.Text(Step)} ({Action}): {Text}{(Refused is null ? string.Empty : " — refused: " + Refused)}";
}

/// <summary>What running a playbook for an event would do, computed without creating anything and without any cloud write.</summary>
public sealed record PlaybookDryRun(Result Outcome, string PlaybookName, int Version, long EventId, IReadOnlyList<string> Addresses, DateTimeOffset? EndAt, IReadOnlyList<DryRunLine> Lines, IReadOnlyList<string> Notes)
{
    public static PlaybookDryRun Failed(Result result) => new(result, string.Empty, 0, 0, [], null, [], []);
}

/// <summary>
/// The playbooks page: list built-in and custom playbooks, create and revise custom ones (each revision is a new
/// version), delete those no automatic response rule runs, and dry-run a playbook for an event. Every change is audited.
/// </summary>
public sealed class PlaybookAdministration(
    ICtdrDbFactory dbs,
    HandlingPlanner planner,
    IResponseAllowListLookup allowList,
    IOptions<ResponseSettings> settings,
    ICurrentUser currentUser,
    IAuditTrail audit,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<PlaybookRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var playbooks = await db.Playbooks.AsNoTracking().OrderByDescending(p => p.BuiltIn).ThenBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var rules = await db.ResponseRules.AsNoTracking().OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return
        [
            .. playbooks.Select(p => new PlaybookRow(
                p.Id, p.Key, p.Name, p.Description, p.BuiltIn, p.Version, p.DefaultDuration, p.Steps, Summary(p.Steps), p.UpdatedAt, p.UpdatedBy,
                [.. rules.Where(r => Runs(r, p.Id)).Select(r => r.Name)])),
        ];
    }

    /// <summary>The steps in a few words each, in order: "block the IP; set the status to Handling (if threat_level = Serious)".</summary>
    public static string Summary(IReadOnlyList<PlaybookStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return string.Join("; ", steps.Select(s => StepText(s) + (s.When is { } w ? $" (if {w.Field} {w.Operator} {w.Value})" : string.Empty)));
    }

    public async Task<(Result Outcome, long? Id)> CreateAsync(PlaybookForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        var valid = form.Validate(settings.Value);
        if (!valid.Succeeded)
        {
            return (valid, null);
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var playbook = Playbook.Create(
            "custom-" + Guid.NewGuid().ToString("N"), form.Name.Trim(), Blank(form.Description), builtIn: false,
            TimeSpan.FromHours(form.DefaultBlockHours), form.NormalizedSteps(), user.Name, clock.GetUtcNow());
        db.Playbooks.Add(playbook);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.PlaybookChanged, user.AsActor(), Invariant.Text(playbook.Id), playbook.Name, $"created, version 1: {Summary(playbook.Steps)}", cancellationToken);
        return (Result.Ok(), playbook.Id);
    }

    /// <summary>A new version of a custom playbook; built-in playbooks refuse. Policies already created keep the version they ran.</summary>
    public async Task<Result> ReviseAsync(long id, PlaybookForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var playbook = await db.Playbooks.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (playbook is null)
        {
            return Result.NotFound("The playbook does not exist.");
        }

        var valid = playbook.BuiltIn ? Result.Ok() : form.Validate(settings.Value);
        if (!valid.Succeeded)
        {
            return valid;
        }

        var revised = playbook.Revise(form.Name.Trim(), Blank(form.Description), TimeSpan.FromHours(form.DefaultBlockHours), form.NormalizedSteps(), user.Name, clock.GetUtcNow());
        if (!revised.Succeeded)
        {
            return revised;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.PlaybookChanged, user.AsActor(), Invariant.Text(id), playbook.Name, $"revised to version {Invariant.Text(playbook.Version)}: {Summary(playbook.Steps)}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Deletes a custom playbook that no automatic response rule runs; handling policies keep its name and version.</summary>
    public async Task<Result> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var playbook = await db.Playbooks.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (playbook is null)
        {
            return Result.NotFound("The playbook does not exist.");
        }

        if (playbook.BuiltIn)
        {
            return Result.Invalid("Playbook", "Built-in playbooks cannot be deleted.");
        }

        var rules = (await db.ResponseRules.AsNoTracking().OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(cancellationToken)).Where(r => Runs(r, id)).Select(r => $"'{r.Name}'").ToList();
        if (rules.Count > 0)
        {
            return Result.Conflict($"The automatic response rule{(rules.Count == 1 ? string.Empty : "s")} {string.Join(", ", rules)} run{(rules.Count == 1 ? "s" : string.Empty)} this playbook; change or delete {(rules.Count == 1 ? "it" : "them")} first.");
        }

        db.Playbooks.Remove(playbook);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.PlaybookChanged, user.AsActor(), Invariant.Text(id), playbook.Name, $"deleted at version {Invariant.Text(playbook.Version)}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>
    /// What the playbook would do for the event, as a manual run would plan it: one policy per address (the given one,
    /// or the event's attacker IPs) for playbooks that block or unblock, each checked by the safety envelope, with the
    /// recommended scope (this reads the WAF instance lists, and writes nothing) and whether each step's condition holds.
    /// </summary>
    public async Task<PlaybookDryRun> DryRunAsync(long playbookId, long eventId, string? address, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.HandleEvents, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var playbook = await db.Playbooks.AsNoTracking().SingleOrDefaultAsync(p => p.Id == playbookId, cancellationToken);
        if (playbook is null)
        {
            return PlaybookDryRun.Failed(Result.NotFound("The playbook does not exist."));
        }

        var subject = await HandlingPlanner.SubjectAsync(db, eventId, cancellationToken);
        if (subject is null)
        {
            return PlaybookDryRun.Failed(Result.NotFound("The event does not exist."));
        }

        var given = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        var steps = playbook.Steps;
        var now = clock.GetUtcNow();
        var options = settings.Value;
        var usesAddress = steps.Any(s => s.Action is PlaybookAction.WafBlockIp or PlaybookAction.WafUnblockIp);
        var addresses = !usesAddress ? [] : given is not null ? [given] : await EventAddressesAsync(db, eventId, cancellationToken);
        DateTimeOffset? end = playbook.Blocks ? ResponseGuard.EndOf(now, null, playbook.DefaultDuration) : null;
        var notes = new List<string>();
        if (options.DryRun)
        {
            notes.Add("Response:DryRun is on: a real run would only record these steps, and send nothing to a cloud.");
        }

        var lines = new List<DryRunLine>();
        if (usesAddress && addresses.Count == 0)
        {
            notes.Add("The event has no attacker IP seen by Alibaba Cloud, Huawei Cloud or Tencent Cloud logs; give an address.");
            return new PlaybookDryRun(Result.Ok(), playbook.Name, playbook.Version, eventId, addresses, end, lines, notes);
        }

        var lookup = await allowList.CurrentAsync(cancellationToken);
        foreach (var target in usesAddress ? addresses.Select(a => (string?)a) : [null])
        {
            // As the planner does: the envelope is checked before the scope is looked up, so a refused address causes no cloud call at all.
            string? refused = target is not null && playbook.Blocks ? ResponseGuard.Check(target, now, end!.Value, automatic: false, 0, options, lookup)?.Reason : null;
            IReadOnlyList<ScopeChoice> scope = [];
            if (refused is null && target is not null)
            {
                if (!ResponseGuard.IsAddress(target))
                {
                    refused = $"'{target}' is not an IP address or CIDR.";
                }
                else
                {
                    scope = await planner.RecommendScopeAsync(db, eventId, target, cancellationToken);
                    if (scope.Count == 0)
                    {
                        refused = $"No WAF instance to act on: no connected Alibaba Cloud, Huawei Cloud or Tencent Cloud account's WAF logs saw {target}.";
                    }
                }
            }

            for (var i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                bool? holds = step.When is { } when ? subject.Holds(new ResponseCondition(when.Field, when.Operator, when.Value)) : null;
                var texts = Texts(step, target, scope, end, subject, options);
                if (holds == false)
                {
                    texts = [$"skipped: condition {step.When!.Field} {step.When.Operator} {step.When.Value} does not hold (would {texts[0]})"];
                }

                lines.AddRange(texts.Select(text => new DryRunLine(i + 1, step.Action, target, text, holds, refused)));
            }
        }

        return new PlaybookDryRun(Result.Ok(), playbook.Name, playbook.Version, eventId, addresses, end, lines, notes);
    }

    private static List<string> Texts(PlaybookStep step, string? address, IReadOnlyList<ScopeChoice> scope, DateTimeOffset? end, ResponseSubject subject, ResponseSettings options)
    {
        var until = end is { } e ? $" until {e.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC" : string.Empty;
        switch (step.Action)
        {
            case PlaybookAction.WafBlockIp:
                return scope.Count == 0 ? [$"block {address}{until}"] : [.. scope.Select(s => $"block {address} on {Where(s)}{until}")];
            case PlaybookAction.WafUnblockIp:
                return scope.Count == 0 ? [$"unblock {address}"] : [.. scope.Select(s => $"unblock {address} on {Where(s)}")];
            case PlaybookAction.ChangeEventStatus:
                var status = step.Parameter("status") ?? nameof(SecurityEventStatus.Handling);
                var reason = step.Parameter("reason") is { } r ? $" (reason: {r})" : string.Empty;
                var already = string.Equals(subject.Status, status, StringComparison.OrdinalIgnoreCase) ? $"; the event is already {subject.Status}" : string.Empty;
                return [$"set the event's status to {status}{reason}{already}"];
            case PlaybookAction.ChangeThreatLevel:
                var level = step.Parameter("level") ?? nameof(ThreatLevel.Serious);
                var same = string.Equals(subject.ThreatLevel, level, StringComparison.OrdinalIgnoreCase) ? $"; the event is already {subject.ThreatLevel}" : string.Empty;
                return [$"set the event's threat level to {level}{same}"];
            case PlaybookAction.Notify:
                var url = step.Parameter("url") ?? (string.IsNullOrWhiteSpace(options.NotifyUrl) ? null : options.NotifyUrl);
                return [url is null ? "post the event to the webhook: none is configured (set the step's url or Response:NotifyUrl), so this step would fail" : $"post the event to {WebhookHost(url)}"];
            default:
                return [step.Action.ToString()];
        }
    }

    // Only the host is shown: a webhook's path and query often carry its token.
    private static string WebhookHost(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"the webhook at {uri.Scheme}://{uri.Authority}" : "the webhook";

    private static string Where(ScopeChoice scope) =>
        $"{CloudProviders.Of(scope.Provider).DisplayName} WAF {scope.Waf} (account {scope.AccountName})";

    private static string StepText(PlaybookStep step) => step.Action switch
    {
        PlaybookAction.WafBlockIp => "block the IP",
        PlaybookAction.WafUnblockIp => "unblock the IP",
        PlaybookAction.ChangeEventStatus => "set the status to " + (step.Parameter("status") ?? nameof(SecurityEventStatus.Handling)),
        PlaybookAction.ChangeThreatLevel => "set the threat level to " + (step.Parameter("level") ?? nameof(ThreatLevel.Serious)),
        PlaybookAction.Notify => step.Parameter("url") is null ? "notify the webhook" : "notify " + WebhookHost(step.Parameter("url")!),
        _ => step.Action.ToString(),
    };

    private static bool Runs(ResponseRule rule, long playbookId) =>
        rule.Actions.Any(a => a.Kind == ResponseActionKind.RunPlaybook && a.PlaybookId == playbookId);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // The planner's rule for an event's addresses: its alerts' IPs from providers Ctdr handles automatically.
    private static async Task<IReadOnlyList<string>> EventAddressesAsync(ICtdrDb db, long eventId, CancellationToken cancellationToken)
    {
        var ips = await db.Alerts.AsNoTracking()
            .Where(a => a.Ip != null && db.EventMemberships.Any(m => m.AlertId == a.Id && m.EventId == eventId))
            .Select(a => new { a.Ip, a.Provider })
            .Distinct()
            .ToListAsync(cancellationToken);
        return [.. ips.Where(i => CloudProviders.Of(i.Provider).SupportsAutomaticHandling).Select(i => i.Ip!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
