using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class IngestionMeterConfiguration : IEntityTypeConfiguration<IngestionMeter>
{
    public void Configure(EntityTypeBuilder<IngestionMeter> builder)
    {
        // Written by the log store's bulk path in the same transaction as the records it counts.
        builder.ToTable("IngestionMeters");
        builder.HasKey(m => new { m.SourceId, m.Day });
        builder.HasIndex(m => m.Day);
    }
}
