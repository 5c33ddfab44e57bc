using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class QuarantinedRecordConfiguration : IEntityTypeConfiguration<QuarantinedRecord>
{
    public void Configure(EntityTypeBuilder<QuarantinedRecord> builder)
    {
        builder.ToTable("QuarantinedRecords");
        builder.HasKey(q => q.Id);
        builder.Property(q => q.Reason).HasMaxLength(QuarantinedRecord.MaxReasonLength).IsRequired();
        builder.Property(q => q.Raw).IsRequired();
        builder.Property(q => q.PositionUid).HasMaxLength(200);
        builder.HasIndex(q => new { q.SourceId, q.Id });
        builder.HasIndex(q => q.ReceivedAt);
    }
}
