using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Detection.Sigma;
using Ctdr.Application.Live;
using Microsoft.EntityFrameworkCore;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Application.Detection;

public enum RuleImportStatus
{
    Imported,
    Refused,

    /// <summary>A rule with the same id exists; nothing changed.</summary>
    Exists,
}

public sealed record RuleImportItem(string File, string Title, RuleImportStatus Status, string? Reason, long? RuleId, string? Key);

public sealed record RuleImportOutcome(IReadOnlyList<RuleImportItem> Items)
{
    public int Imported => Items.Count(i => i.Status == RuleImportStatus.Imported);

    public int Refused => Items.Count(i => i.Status == RuleImportStatus.Refused);
}

/// <summary>
/// Imports Sigma rules (YAML files) as custom rules in Draft. Each rule is translated completely or refused with its
/// reason; imported rules keep their author and licence.
/// </summary>
public sealed class RuleImport(ICtdrDbFactory dbs, ICurrentUser currentUser, IAuditTrail audit, ILiveFeed feed, TimeProvider clock)
{
    public const int MaxFiles = 100;

    public const int MaxFileBytes = 1_000_000;

    public async Task<(Result Result, RuleImportOutcome? Outcome)> ImportSigmaAsync(IReadOnlyList<SigmaFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var user = await currentUser.RequireAsync(Permission.EditDetectionRules, cancellationToken);
        if (files.Count is 0 or > MaxFiles)
        {
            return (Result.Invalid("Files", $"Choose between 1 and {MaxFiles} Sigma files."), null);
        }

        if (files.FirstOrDefault(f => f.Yaml.Length > MaxFileBytes) is { } large)
        {
            return (Result.Invalid("Files", $"'{large.Name}' is larger than 1 MB."), null);
        }

        var report = SigmaImporter.Import(files);
        var items = new List<RuleImportItem>();
        await using var db = await dbs.CreateAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var created = new List<(DetectionRule Rule, string File)>();
        foreach (var refusal in report.Refused)
        {
            items.Add(new RuleImportItem(refusal.File, refusal.Rule, RuleImportStatus.Refused, refusal.Reason, null, null));
        }

        foreach (var item in report.Imported)
        {
            var definition = item.Rule;
            if (await db.DetectionRules.AnyAsync(r => r.Key == definition.Id, cancellationToken) || created.Any(c => c.Rule.Key == definition.Id))
            {
                items.Add(new RuleImportItem(item.File, definition.Title, RuleImportStatus.Exists, $"A rule with id '{definition.Id}' exists.", null, definition.Id));
                continue;
            }

            var rule = DetectionRule.Create(RuleOrigin.Sigma, definition, RuleText.Print(definition), item.SigmaId, user.Name, now);
            db.DetectionRules.Add(rule);
            created.Add((rule, item.File));
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (rule, file) in created)
        {
            items.Add(new RuleImportItem(file, rule.Title, RuleImportStatus.Imported, null, rule.Id, rule.Key));
        }

        var outcome = new RuleImportOutcome([.. items.OrderBy(i => i.File, StringComparer.Ordinal).ThenBy(i => i.Title, StringComparer.Ordinal)]);
        await audit.RecordAsync(
            AuditAction.DetectionRulesImported,
            user.AsActor(),
            null,
            $"{Invariant.Text(files.Count)} Sigma files",
            $"{Invariant.Text(outcome.Imported)} imported, {Invariant.Text(outcome.Refused)} refused",
            cancellationToken);
        if (outcome.Imported > 0)
        {
            await feed.PublishAsync(new LiveMessage(LiveKinds.Rules, $"{Invariant.Text(outcome.Imported)} Sigma rules imported", Permission.ViewConsole, now), cancellationToken);
        }

        return (Result.Ok(), outcome);
    }
}
