using Ctdr.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Persistence;

/// <summary>Hands out the configured provider's context as the provider-neutral <see cref="CtdrDbContext"/>.</summary>
internal sealed class CtdrDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<CtdrDbContext>
    where TContext : CtdrDbContext
{
    public CtdrDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<CtdrDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}

/// <summary>The application's port to the database: one short-lived context per operation.</summary>
internal sealed class CtdrDbFactory(IDbContextFactory<CtdrDbContext> contexts) : ICtdrDbFactory
{
    public async Task<ICtdrDb> CreateAsync(CancellationToken cancellationToken = default) =>
        await contexts.CreateDbContextAsync(cancellationToken);
}
