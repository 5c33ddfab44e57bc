using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Jobs;

/// <summary>Deletes audit entries older than the retention period. Safe to run any number of times.</summary>
public sealed partial class AuditRetentionJob(
    IDbContextFactory<CtdrDbContext> contexts,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<AuditRetentionJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddDays(-Math.Max(1, options.Value.AuditRetentionDays));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.AuditEntries.Where(e => e.OccurredAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(deleted, cutoff);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} audit entries older than {Cutoff}")]
    private partial void LogDeleted(int count, DateTimeOffset cutoff);
}
