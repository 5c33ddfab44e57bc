using Ctdr.Application.Response.AllowList;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class ResponseAllowListEntryConfiguration : IEntityTypeConfiguration<ResponseAllowListEntry>
{
    public void Configure(EntityTypeBuilder<ResponseAllowListEntry> builder)
    {
        builder.ToTable("ResponseAllowList");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(e => e.Value).HasMaxLength(ResponseAllowListEntry.MaxValueLength).IsRequired();
        builder.Property(e => e.Reason).HasMaxLength(ResponseAllowListEntry.MaxReasonLength).IsRequired();
        builder.Property(e => e.CreatedBy).HasMaxLength(256).IsRequired();

        // Not unique: an expired entry may stay listed next to its renewal.
        builder.HasIndex(e => new { e.Kind, e.Value });
    }
}
