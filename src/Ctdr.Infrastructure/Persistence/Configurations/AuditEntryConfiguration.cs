using Ctdr.Application.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(64).IsRequired();
        builder.Property(e => e.ActorId).HasMaxLength(AuditEntry.MaxIdLength);
        builder.Property(e => e.ActorName).HasMaxLength(AuditEntry.MaxNameLength).IsRequired();
        builder.Property(e => e.TargetId).HasMaxLength(AuditEntry.MaxIdLength);
        builder.Property(e => e.TargetName).HasMaxLength(AuditEntry.MaxNameLength);
        builder.Property(e => e.Details).HasMaxLength(AuditEntry.MaxDetailsLength);
        builder.Property(e => e.IpAddress).HasMaxLength(AuditEntry.MaxIpLength);
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.Action, e.OccurredAt });

        // An object's history (an event's audit trail) reads its entries by target.
        builder.HasIndex(e => new { e.TargetId, e.OccurredAt });
    }
}
