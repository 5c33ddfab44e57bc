using Ctdr.Application.Alerts;
using Ctdr.Application.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> builder)
    {
        builder.ToTable("SecurityEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Title).HasMaxLength(200).IsRequired();
        builder.Property(e => e.ThreatLevel).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.StatusReason).HasMaxLength(500);
        builder.Property(e => e.StatusBy).HasMaxLength(256);
        builder.Property(e => e.Assignee).HasMaxLength(256);
        builder.Property(e => e.Tags).HasMaxLength(700).IsRequired();
        builder.Ignore(e => e.TagList);
        builder.Property(e => e.Providers).HasMaxLength(200);
        builder.Property(e => e.Accounts).HasMaxLength(2000);
        builder.Ignore(e => e.IsOpen);
        builder.HasMany(e => e.Keys).WithOne().HasForeignKey(k => k.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(e => e.Keys).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(e => new { e.Status, e.LastSeen });
        builder.HasIndex(e => e.ThreatScore);
    }
}

internal sealed class EventKeyConfiguration : IEntityTypeConfiguration<EventKey>
{
    public void Configure(EntityTypeBuilder<EventKey> builder)
    {
        builder.ToTable("EventKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(k => k.Value).HasMaxLength(300).IsRequired();
        builder.HasIndex(k => new { k.Kind, k.Value });
        builder.HasIndex(k => new { k.EventId, k.Kind, k.Value }).IsUnique();
    }
}

internal sealed class EventMembershipConfiguration : IEntityTypeConfiguration<EventMembership>
{
    public void Configure(EntityTypeBuilder<EventMembership> builder)
    {
        builder.ToTable("EventMemberships");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Origin).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.SharedKeyKind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.SharedKeyValue).HasMaxLength(300);
        builder.Property(m => m.By).HasMaxLength(256);
        builder.HasIndex(m => m.AlertId).IsUnique();
        builder.HasIndex(m => m.EventId);
        builder.HasOne<Alert>().WithMany().HasForeignKey(m => m.AlertId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SecurityEvent>().WithMany().HasForeignKey(m => m.EventId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EventCommentConfiguration : IEntityTypeConfiguration<EventComment>
{
    public void Configure(EntityTypeBuilder<EventComment> builder)
    {
        builder.ToTable("EventComments");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.AuthorId).HasMaxLength(64).IsRequired();
        builder.Property(c => c.Author).HasMaxLength(256).IsRequired();
        builder.Property(c => c.Text).HasMaxLength(EventComment.MaxLength).IsRequired();
        builder.HasIndex(c => new { c.EventId, c.At });
        builder.HasOne<SecurityEvent>().WithMany().HasForeignKey(c => c.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CorrelationStateConfiguration : IEntityTypeConfiguration<CorrelationState>
{
    public void Configure(EntityTypeBuilder<CorrelationState> builder)
    {
        builder.ToTable("CorrelationState");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasData(CorrelationState.Initial());
    }
}
