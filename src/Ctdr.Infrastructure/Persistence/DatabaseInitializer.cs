using Ctdr.Application.Access;
using Ctdr.Application.Detection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Detection.Library;
using Ctdr.Application.Detection.Text;

namespace Ctdr.Infrastructure.Persistence;

/// <summary>
/// Brings the database to the current model at start: applies the provider's migrations, switches SQLite to
/// write-ahead logging, and makes sure the three roles exist.
/// </summary>
public sealed partial class DatabaseInitializer(IServiceScopeFactory scopes, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CtdrDbContext>();

        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var file = db.Database.GetDbConnection().DataSource;
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, db.Provider, pending);
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers proceed while one writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                var created = await roles.CreateAsync(new IdentityRole(role));
                if (!created.Succeeded && !await roles.RoleExistsAsync(role))
                {
                    throw new InvalidOperationException($"Could not create the role '{role}': {string.Join(" ", created.Errors.Select(e => e.Description))}");
                }
            }
        }

        await SeedPredefinedRulesAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), cancellationToken);
        await SeedPlaybooksAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), cancellationToken);
    }

    /// <summary>Adds the built-in playbooks that are new in this version and refreshes the others (their version grows when they change).</summary>
    private static async Task SeedPlaybooksAsync(CtdrDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stored = await db.Playbooks.Where(p => p.BuiltIn).ToDictionaryAsync(p => p.Key, StringComparer.Ordinal, cancellationToken);
        foreach (var shipped in Application.Response.BuiltInPlaybooks.All(clock.GetUtcNow()))
        {
            if (stored.TryGetValue(shipped.Key, out var playbook))
            {
                playbook.Refresh(shipped);
            }
            else
            {
                db.Playbooks.Add(shipped);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node starting at the same moment seeded them first (the key is unique); theirs are the same.
        }
    }

    /// <summary>
    /// Adds the predefined rules that are new in this version (off until enabled) and refreshes the text of the
    /// others; the enabling status stays as the users set it. A changed running rule makes the detector reload.
    /// </summary>
    private async Task SeedPredefinedRulesAsync(CtdrDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stored = await db.DetectionRules.Where(r => r.Origin == RuleOrigin.Predefined).ToDictionaryAsync(r => r.Key, StringComparer.Ordinal, cancellationToken);
        var added = 0;
        var reload = false;
        foreach (var definition in PredefinedRules.All)
        {
            var text = RuleText.Print(definition);
            if (stored.TryGetValue(definition.Id, out var rule))
            {
                var before = rule.Version;
                rule.RefreshPredefined(definition, text, now);
                reload |= rule.Version != before && rule.ActiveMode is not null;
            }
            else if (!await db.DetectionRules.AnyAsync(r => r.Key == definition.Id, cancellationToken))
            {
                db.DetectionRules.Add(DetectionRule.Create(RuleOrigin.Predefined, definition, text, null, "system", now));
                added++;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (added > 0)
        {
            // Another node starting at the same moment seeded them first (the rule key is unique).
            LogPredefinedRace();
            return;
        }

        if (reload)
        {
            await db.DetectionStates.Where(s => s.Id == DetectionState.SingletonId)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.RulesVersion, s => s.RulesVersion + 1), cancellationToken);
        }

        if (added > 0)
        {
            LogPredefinedAdded(added);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Predefined detection rules were added by another node at the same time")]
    private partial void LogPredefinedRace();

    [LoggerMessage(Level = LogLevel.Information, Message = "Added {Count} predefined detection rule(s)")]
    private partial void LogPredefinedAdded(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s) for {Provider}: {Migrations}")]
    private partial void LogApplying(int count, DatabaseProvider provider, IReadOnlyList<string> migrations);
}
