using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Infrastructure.Persistence;

/// <summary>
/// The model shared by both providers. Each provider has its own subclass, so that each has its own
/// migration set (<see cref="SqliteCtdrDbContext"/>, <see cref="SqlServerCtdrDbContext"/>).
/// </summary>
public abstract class CtdrDbContext(DbContextOptions options)
    : IdentityDbContext<CtdrUser, IdentityRole, string>(options), ICtdrDb, IDataProtectionKeyContext
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CtdrDbContext).Assembly);
    }
}
