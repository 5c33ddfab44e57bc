using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class LogSourceConfiguration : IEntityTypeConfiguration<LogSource>
{
    public void Configure(EntityTypeBuilder<LogSource> builder)
    {
        builder.ToTable("LogSources");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Product).HasConversion<string>().HasMaxLength(64);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.Name).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Region).HasMaxLength(64);
        builder.Property(s => s.Project).HasMaxLength(128);
        builder.Property(s => s.LogStore).HasMaxLength(128);
        builder.Property(s => s.LogGroup).HasMaxLength(128);
        builder.Property(s => s.LogStream).HasMaxLength(128);
        builder.Property(s => s.Topic).HasMaxLength(128);
        builder.Property(s => s.LastError).HasMaxLength(1000);
        builder.Property(s => s.LastErrorCode).HasMaxLength(128);
        builder.Property(s => s.PushKeyHash).HasMaxLength(64);
        builder.Property(s => s.PushKeyPrefix).HasMaxLength(16);
        builder.Ignore(s => s.Binding);
        builder.Ignore(s => s.ProductInfo);
        builder.Ignore(s => s.IsPushed);
        builder.Ignore(s => s.IsPulling);
        builder.HasOne<CloudAccount>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.AccountId);
    }
}
