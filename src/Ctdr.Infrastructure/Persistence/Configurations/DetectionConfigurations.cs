using Ctdr.Application.Alerts;
using Ctdr.Application.Detection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class DetectionRuleConfiguration : IEntityTypeConfiguration<DetectionRule>
{
    public void Configure(EntityTypeBuilder<DetectionRule> builder)
    {
        builder.ToTable("DetectionRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Key).HasMaxLength(100).IsRequired();
        builder.HasIndex(r => r.Key).IsUnique();
        builder.Property(r => r.Origin).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ThreatLevel).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Text).IsRequired();
        builder.Property(r => r.Title).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Tactic).HasMaxLength(16);
        builder.Property(r => r.Technique).HasMaxLength(16);
        builder.Property(r => r.Products).HasMaxLength(400);
        builder.Property(r => r.Author).HasMaxLength(400);
        builder.Property(r => r.License).HasMaxLength(200);
        builder.Property(r => r.SourceId).HasMaxLength(64);
        builder.Property(r => r.UpdatedBy).HasMaxLength(256);
        builder.Ignore(r => r.ActiveMode);
        builder.HasIndex(r => new { r.Origin, r.State });
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("Alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Fingerprint).HasMaxLength(64).IsRequired();
        builder.HasIndex(a => a.Fingerprint).IsUnique();
        builder.Property(a => a.RuleKey).HasMaxLength(100).IsRequired();
        builder.Property(a => a.RuleTitle).HasMaxLength(200).IsRequired();
        builder.Property(a => a.RuleOrigin).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.RuleAuthor).HasMaxLength(400);
        builder.Property(a => a.RuleLicense).HasMaxLength(200);
        builder.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.ThreatLevel).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Tactic).HasMaxLength(16);
        builder.Property(a => a.Technique).HasMaxLength(16);
        builder.Property(a => a.Provider).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.Product).HasConversion<string>().HasMaxLength(64);
        builder.Property(a => a.AccountUid).HasMaxLength(128);
        builder.Property(a => a.Ip).HasMaxLength(256);
        builder.Property(a => a.Asset).HasMaxLength(256);
        builder.Property(a => a.Account).HasMaxLength(256);
        builder.Property(a => a.User).HasMaxLength(256);
        builder.Property(a => a.AccessKey).HasMaxLength(256);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.StatusReason).HasMaxLength(500);
        builder.Property(a => a.StatusBy).HasMaxLength(256);
        builder.HasOne<DetectionRule>().WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(a => a.Evidence).WithOne().HasForeignKey(e => e.AlertId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.Evidence).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(a => a.LastSeen);
        builder.HasIndex(a => new { a.RuleId, a.LastSeen });
        builder.HasIndex(a => a.Ip);
        builder.HasIndex(a => new { a.Status, a.LastSeen });
    }
}

internal sealed class AlertEvidenceConfiguration : IEntityTypeConfiguration<AlertEvidence>
{
    public void Configure(EntityTypeBuilder<AlertEvidence> builder)
    {
        builder.ToTable("AlertEvidence");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Uid).HasMaxLength(128).IsRequired();
        builder.Ignore(e => e.Ref);
        builder.HasIndex(e => e.AlertId);
    }
}

internal sealed class AlertAllowListEntryConfiguration : IEntityTypeConfiguration<AlertAllowListEntry>
{
    public void Configure(EntityTypeBuilder<AlertAllowListEntry> builder)
    {
        builder.ToTable("AlertAllowList");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.RuleKey).HasMaxLength(100);
        builder.Property(e => e.Condition).HasMaxLength(4000).IsRequired();
        builder.Property(e => e.Reason).HasMaxLength(500).IsRequired();
        builder.Property(e => e.CreatedBy).HasMaxLength(256).IsRequired();
    }
}

internal sealed class DetectionStateConfiguration : IEntityTypeConfiguration<DetectionState>
{
    public void Configure(EntityTypeBuilder<DetectionState> builder)
    {
        builder.ToTable("DetectionState");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.LeaseOwner).HasMaxLength(64);
        builder.HasData(DetectionState.Initial(0));
    }
}
