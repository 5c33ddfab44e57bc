using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Live;
using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Detection;

public sealed record RuleFilter(
    RuleOrigin? Origin = null,
    bool CustomTab = false,
    string? Search = null,
    LogProduct? Product = null,
    CloudProvider? Provider = null,
    string? Tactic = null,
    bool? Enabled = null);

public sealed record RuleRow(
    long Id,
    string Key,
    string Title,
    RuleOrigin Origin,
    RuleState State,
    RuleSeverity Severity,
    ThreatLevel ThreatLevel,
    string? Tactic,
    string? Technique,
    IReadOnlyList<LogProduct> Products,
    string? Author,
    int Version,
    DateTimeOffset UpdatedAt)
{
    public bool Enabled => State is RuleState.Live or RuleState.TestingOnLiveData;
}

public sealed record RuleDetails(RuleRow Row, string Text, RuleDefinition? Definition, string? License, string? SourceId, DateTimeOffset? SamplesPassedAt, long Hits24h, long Alerts24h, DateTimeOffset? LastHit);

/// <summary>A text's problems, with line and column when they come from the parser.</summary>
public sealed record RuleTextProblem(int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}, column {Column}: {Message}" : Message;
}

public sealed record RuleSaveResult(Result Outcome, long? RuleId, IReadOnlyList<RuleTextProblem> Problems);

public sealed record BacktestResult(int Hours, int LogsScanned, bool Truncated, int Alerts, long Matches, IReadOnlyList<AlertDraft> Sample, IReadOnlyList<string> Problems);

/// <summary>
/// The Rules pages: predefined and custom rules, the enabling switch, the custom rule lifecycle (draft → tested on
/// samples → shadow → live), tests on samples, pasted records and stored logs, and backtests.
/// </summary>
public sealed class RuleAdministration(
    ICtdrDbFactory dbs,
    ICurrentUser currentUser,
    IStoredLogReader logs,
    RuleTester tester,
    IAuditTrail audit,
    ILiveFeed feed,
    TimeProvider clock)
{
    /// <summary>The longest backtest, in hours.</summary>
    public const int MaxBacktestHours = 168;

    /// <summary>Logs a backtest reads at most.</summary>
    public const int MaxBacktestLogs = 500_000;

    public async Task<Page<RuleRow>> ListAsync(RuleFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var query = db.DetectionRules.AsNoTracking();
        if (filter.Origin is { } origin)
        {
            query = query.Where(r => r.Origin == origin);
        }
        else if (filter.CustomTab)
        {
            query = query.Where(r => r.Origin != RuleOrigin.Predefined);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Contains(filter.Search.Trim());
            query = query.Where(r => EF.Functions.Like(r.Title, pattern, LikePatterns.Escape) || EF.Functions.Like(r.Key, pattern, LikePatterns.Escape));
        }

        if (filter.Product is { } product)
        {
            var name = product.ToString();
            var pattern = LikePatterns.Contains(name);
            query = query.Where(r => r.Products == string.Empty || EF.Functions.Like(r.Products, pattern, LikePatterns.Escape));
        }

        if (filter.Provider is { } provider)
        {
            var names = LogProducts.For(provider).Select(p => p.Product.ToString()).ToList();
            query = query.Where(r => r.Products == string.Empty || names.Any(n => r.Products.Contains(n)));
        }

        if (!string.IsNullOrWhiteSpace(filter.Tactic))
        {
            var tactic = filter.Tactic.Trim();
            query = query.Where(r => r.Tactic == tactic);
        }

        if (filter.Enabled is { } enabled)
        {
            query = enabled
                ? query.Where(r => r.State == RuleState.Live || r.State == RuleState.TestingOnLiveData)
                : query.Where(r => r.State != RuleState.Live && r.State != RuleState.TestingOnLiveData);
        }

        var total = await query.CountAsync(cancellationToken);
        var rules = await query.OrderBy(r => r.Title).ThenBy(r => r.Id).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new Page<RuleRow>([.. rules.Select(ToRow)], total);
    }

    public async Task<RuleDetails?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.ViewConsole, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.DetectionRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return null;
        }

        var since = clock.GetUtcNow().AddHours(-24);
        var recent = db.Alerts.AsNoTracking().Where(a => a.RuleId == id && a.LastSeen >= since);
        var alerts = await recent.CountAsync(cancellationToken);
        var hits = alerts == 0 ? 0 : await recent.SumAsync(a => a.Count, cancellationToken);
        var last = await db.Alerts.AsNoTracking().Where(a => a.RuleId == id).MaxAsync(a => (DateTimeOffset?)a.LastSeen, cancellationToken);
        return new RuleDetails(ToRow(rule), rule.Text, RuleTexts.TryParse(rule.Text), rule.License, rule.SourceId, rule.SamplesPassedAt, hits, alerts, last);
    }

    /// <summary>Parses and validates a text without saving it (the editor's live check).</summary>
    public static (RuleDefinition? Rule, IReadOnlyList<RuleTextProblem> Problems) Check(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, [new RuleTextProblem(0, 0, "Write the rule.")]);
        }

        if (text.Length > 200_000)
        {
            return (null, [new RuleTextProblem(0, 0, "A rule has at most 200 000 characters.")]);
        }

        var (rule, errors) = RuleText.ParseSingle(text);
        return (errors.Count == 0 ? rule : null, [.. errors.Select(e => new RuleTextProblem(e.Line, e.Column, e.Message))]);
    }

    /// <summary>The text of a rule copied into a new custom rule: same rule, new id.</summary>
    public static string CopyText(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (RuleTexts.TryParse(text) is not { } rule)
        {
            return text;
        }

        var id = key.Length > 90 ? key[..90] : key;
        return RuleText.Print(rule with { Id = id + "-custom", Author = null, License = null });
    }

    public async Task<RuleSaveResult> CreateAsync(string text, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        var (definition, problems) = Check(text);
        if (definition is null)
        {
            return Invalid(problems);
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        if (await db.DetectionRules.AnyAsync(r => r.Key == definition.Id, cancellationToken))
        {
            return new RuleSaveResult(Result.Conflict($"A rule with id '{definition.Id}' exists; choose another id."), null, []);
        }

        var rule = DetectionRule.Create(RuleOrigin.Custom, definition, RuleText.Print(definition), null, user.Name, clock.GetUtcNow());
        db.DetectionRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.DetectionRuleCreated, user.AsActor(), Invariant.Text(rule.Id), rule.Title, cancellationToken: cancellationToken);
        await PublishAsync($"Rule created: {rule.Title}", cancellationToken);
        return new RuleSaveResult(Result.Ok(), rule.Id, []);
    }

    public async Task<RuleSaveResult> UpdateAsync(long id, string text, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        var (definition, problems) = Check(text);
        if (definition is null)
        {
            return Invalid(problems);
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.DetectionRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return new RuleSaveResult(Result.NotFound("The rule does not exist."), null, []);
        }

        var wasRunning = rule.ActiveMode is not null;
        var result = rule.Update(definition, RuleText.Print(definition), user.Name, clock.GetUtcNow());
        if (!result.Succeeded)
        {
            return new RuleSaveResult(result, id, []);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (wasRunning)
        {
            await BumpRulesVersionAsync(db, cancellationToken);
        }

        await audit.RecordAsync(AuditAction.DetectionRuleUpdated, user.AsActor(), Invariant.Text(id), rule.Title, $"version {Invariant.Text(rule.Version)}", cancellationToken);
        await PublishAsync($"Rule changed: {rule.Title}", cancellationToken);
        return new RuleSaveResult(Result.Ok(), id, []);
    }

    public async Task<Result> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.DetectionRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Result.NotFound("The rule does not exist.");
        }

        if (rule.Origin == RuleOrigin.Predefined)
        {
            return Result.Invalid("State", "Predefined rules cannot be deleted; disable the rule instead.");
        }

        if (await db.Alerts.AnyAsync(a => a.RuleId == id, cancellationToken))
        {
            return Result.Invalid("State", "The rule has raised alerts, which keep referring to it; disable the rule instead.");
        }

        var wasRunning = rule.ActiveMode is not null;
        db.DetectionRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        if (wasRunning)
        {
            await BumpRulesVersionAsync(db, cancellationToken);
        }

        await audit.RecordAsync(AuditAction.DetectionRuleDeleted, user.AsActor(), Invariant.Text(id), rule.Title, cancellationToken: cancellationToken);
        await PublishAsync($"Rule deleted: {rule.Title}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>The Enabling Status switch: a predefined rule on or off; a custom rule live or disabled.</summary>
    public Task<Result> SetEnabledAsync(long id, bool enabled, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(id, (rule, by, now) => enabled ? rule.Enable(by, now) : rule.Disable(by, now), cancellationToken);

    /// <summary>Turns on every predefined rule that applies to <paramref name="product"/> (all when null) and is off.</summary>
    public async Task<int> EnablePredefinedAsync(LogProduct? product, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rules = await db.DetectionRules.Where(r => r.Origin == RuleOrigin.Predefined && r.State == RuleState.Disabled).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var enabled = 0;
        foreach (var rule in rules.Where(r => product is null || r.Products.Length == 0 || r.Products.Split(',').Contains(product.Value.ToString())))
        {
            if (rule.Enable(user.Name, now).Succeeded)
            {
                enabled++;
            }
        }

        if (enabled > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await BumpRulesVersionAsync(db, cancellationToken);
            await audit.RecordAsync(AuditAction.DetectionRuleStateChanged, user.AsActor(), null, $"{Invariant.Text(enabled)} predefined rules", $"enabled{(product is null ? string.Empty : " for " + product)}", cancellationToken);
            await PublishAsync($"{Invariant.Text(enabled)} predefined rules enabled", cancellationToken);
        }

        return enabled;
    }

    public Task<Result> StartShadowAsync(long id, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(id, (rule, by, now) => rule.StartShadow(by, now), cancellationToken);

    public Task<Result> GoLiveAsync(long id, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(id, (rule, by, now) => rule.GoLive(by, now), cancellationToken);

    /// <summary>Runs the stored rule's samples; when all pass, the rule is marked tested on samples.</summary>
    public async Task<(Result Result, IReadOnlyList<SampleOutcome> Outcomes)> TestSamplesAsync(long id, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.DetectionRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return (Result.NotFound("The rule does not exist."), []);
        }

        var definition = RuleTexts.TryParse(rule.Text);
        if (definition is null)
        {
            return (Result.Invalid("Text", "The rule's text does not parse; correct it first."), []);
        }

        if (definition.Samples.Count == 0 || definition.Samples.All(s => !s.ExpectMatch))
        {
            return (Result.Invalid("Samples", "The rule has no sample that must raise it: add one (sample match …), or test it on pasted records or chosen stored logs below."), []);
        }

        var outcomes = tester.RunSamples(definition);
        if (outcomes.All(o => o.Passed) && rule.Origin != RuleOrigin.Predefined)
        {
            rule.MarkSamplesPassed(clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(AuditAction.DetectionRuleStateChanged, user.AsActor(), Invariant.Text(id), rule.Title, "samples passed", cancellationToken);
            await PublishAsync($"Rule tested on samples: {rule.Title}", cancellationToken);
        }

        return (outcomes.All(o => o.Passed) ? Result.Ok() : Result.Invalid("Samples", "Some samples did not pass."), outcomes);
    }

    /// <summary>
    /// Runs a rule text (saved or not) over pasted provider records. When the text is the saved version of rule
    /// <paramref name="ruleId"/> and it raises alerts, the rule counts as tested on sample records.
    /// </summary>
    public async Task<(IReadOnlyList<RuleTextProblem> Problems, RuleTestOutcome? Outcome)> TestPastedAsync(string text, string json, LogProduct product, long? ruleId = null, CancellationToken cancellationToken = default)
    {
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        var (definition, problems) = Check(text);
        if (definition is null)
        {
            return (problems, null);
        }

        if (json.Length > 5_000_000)
        {
            return ([new RuleTextProblem(0, 0, "Paste at most 5 MB of records.")], null);
        }

        var outcome = tester.RunPasted(definition, json, product);
        await MarkTestedAsync(ruleId, definition, outcome, user, "pasted records", cancellationToken);
        return ([], outcome);
    }

    /// <summary>Runs a rule text (saved or not) over chosen stored logs; like <see cref="TestPastedAsync"/> for the tested state.</summary>
    public async Task<(IReadOnlyList<RuleTextProblem> Problems, RuleTestOutcome? Outcome)> TestStoredAsync(string text, IReadOnlyCollection<long> logIds, long? ruleId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logIds);
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        var (definition, problems) = Check(text);
        if (definition is null)
        {
            return (problems, null);
        }

        if (logIds.Count is 0 or > 1000)
        {
            return ([new RuleTextProblem(0, 0, "Choose between 1 and 1000 stored logs.")], null);
        }

        var stored = await logs.GetAsync(logIds, cancellationToken);
        var outcome = RuleTester.Run(definition, [.. stored.OrderBy(l => l.Log.Time).ThenBy(l => l.Id)]);
        await MarkTestedAsync(ruleId, definition, outcome, user, "chosen stored logs", cancellationToken);
        return ([], outcome);
    }

    /// <summary>A saved rule whose current text raised alerts on sample records counts as tested on samples.</summary>
    private async Task MarkTestedAsync(long? ruleId, RuleDefinition definition, RuleTestOutcome outcome, CurrentUserInfo user, string what, CancellationToken cancellationToken)
    {
        if (ruleId is not { } id || outcome.Alerts.Count == 0 || outcome.Problems.Count > 0)
        {
            return;
        }

        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.DetectionRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null || rule.Origin == RuleOrigin.Predefined || rule.SamplesPassedAt is not null
            || !string.Equals(rule.Text, RuleText.Print(definition), StringComparison.Ordinal))
        {
            return;
        }

        rule.MarkSamplesPassed(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.DetectionRuleStateChanged, user.AsActor(), Invariant.Text(id), rule.Title, $"tested on {what}", cancellationToken);
        await PublishAsync($"Rule tested on {what}: {rule.Title}", cancellationToken);
    }

    /// <summary>What the rule would have raised over the stored logs of the last <paramref name="hours"/> hours.</summary>
    public async Task<(IReadOnlyList<RuleTextProblem> Problems, BacktestResult? Result)> BacktestAsync(string text, int hours, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        var (definition, problems) = Check(text);
        if (definition is null)
        {
            return (problems, null);
        }

        if (hours is < 1 or > MaxBacktestHours)
        {
            return ([new RuleTextProblem(0, 0, $"Backtest between 1 and {MaxBacktestHours} hours.")], null);
        }

        var to = clock.GetUtcNow();
        var from = to.AddHours(-hours);
        var upTo = await logs.LastIdAsync(cancellationToken);
        var read = new List<StoredLog>();
        var after = 0L;
        var truncated = false;
        while (true)
        {
            var batch = await logs.ReadRangeAsync(after, upTo, from, to, definition.Products, 10_000, cancellationToken);
            read.AddRange(batch);
            if (read.Count >= MaxBacktestLogs)
            {
                truncated = true;
                break;
            }

            if (batch.Count < 10_000)
            {
                break;
            }

            after = batch[^1].Id;
        }

        var outcome = RuleTester.Run(definition, read);
        var sample = outcome.Alerts.OrderBy(a => a.FirstSeen).Take(10).ToList();
        return ([], new BacktestResult(hours, read.Count, truncated, outcome.Alerts.Count, outcome.Matches, sample, outcome.Problems));
    }

    private async Task<Result> ChangeStateAsync(long id, Func<DetectionRule, string, DateTimeOffset, Result> change, CancellationToken cancellationToken)
    {
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        await using var db = await dbs.CreateAsync(cancellationToken);
        var rule = await db.DetectionRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return Result.NotFound("The rule does not exist.");
        }

        var before = rule.State;
        var result = change(rule, user.Name, clock.GetUtcNow());
        if (!result.Succeeded || before == rule.State)
        {
            return result;
        }

        await db.SaveChangesAsync(cancellationToken);
        await BumpRulesVersionAsync(db, cancellationToken);
        await audit.RecordAsync(AuditAction.DetectionRuleStateChanged, user.AsActor(), Invariant.Text(id), rule.Title, $"{before} → {rule.State}", cancellationToken);
        await PublishAsync($"Rule {rule.Title}: {rule.State}", cancellationToken);
        return Result.Ok();
    }

    /// <summary>Tells the detector to reload its rules.</summary>
    internal static Task BumpRulesVersionAsync(ICtdrDb db, CancellationToken cancellationToken) =>
        db.DetectionStates.Where(s => s.Id == DetectionState.SingletonId)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RulesVersion, s => s.RulesVersion + 1), cancellationToken);

    private static RuleSaveResult Invalid(IReadOnlyList<RuleTextProblem> problems) =>
        new(Result.Invalid("Text", string.Join(" ", problems.Select(p => p.ToString()))), null, problems);

    private static RuleRow ToRow(DetectionRule r) => new(
        r.Id,
        r.Key,
        r.Title,
        r.Origin,
        r.State,
        r.Severity,
        r.ThreatLevel,
        r.Tactic,
        r.Technique,
        [.. r.Products.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<LogProduct>)],
        r.Author,
        r.Version,
        r.UpdatedAt);

    private ValueTask PublishAsync(string text, CancellationToken cancellationToken) =>
        feed.PublishAsync(new LiveMessage(LiveKinds.Rules, text, Permission.ViewConsole, clock.GetUtcNow()), cancellationToken);
}
