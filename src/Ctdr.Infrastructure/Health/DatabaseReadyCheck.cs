using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ctdr.Infrastructure.Health;

/// <summary>Ready when the database answers and every migration of the provider's set is applied.</summary>
internal sealed class DatabaseReadyCheck(IDbContextFactory<CtdrDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            return HealthCheckResult.Unhealthy($"The {db.Provider} database cannot be reached.");
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        return pending == 0
            ? HealthCheckResult.Healthy($"{db.Provider} database reachable; migrations applied.")
            : HealthCheckResult.Unhealthy($"{pending} migration(s) of the {db.Provider} set are not applied.");
    }
}
