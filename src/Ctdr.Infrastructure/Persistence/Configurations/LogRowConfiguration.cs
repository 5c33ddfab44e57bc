using Ctdr.Infrastructure.LogStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class LogRowConfiguration : IEntityTypeConfiguration<LogRow>
{
    public void Configure(EntityTypeBuilder<LogRow> builder)
    {
        builder.ToTable("SecurityLogs");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Uid).HasMaxLength(LogColumns.ShortLength).IsRequired();
        builder.Property(l => l.Provider).HasMaxLength(32).IsRequired();
        builder.Property(l => l.Product).HasMaxLength(64).IsRequired();
        builder.Property(l => l.Raw).IsRequired();
        foreach (var (name, cap, _) in LogColumns.Mapped)
        {
            if (cap > 0 && name is not nameof(LogRow.Uid))
            {
                builder.Property(name).HasMaxLength(cap);
            }
        }

        // One record per source position; the bulk path relies on it to ignore duplicates.
        builder.HasIndex(l => new { l.SourceId, l.Uid }).IsUnique();
        builder.HasIndex(l => l.Time);
        builder.HasIndex(l => new { l.SourceId, l.Time });
        builder.HasIndex(l => new { l.SrcIp, l.Time });
        builder.HasIndex(l => l.ReceivedAt);
    }
}
