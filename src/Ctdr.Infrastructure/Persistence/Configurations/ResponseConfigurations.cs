using Ctdr.Application.Response;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class PlaybookConfiguration : IEntityTypeConfiguration<Playbook>
{
    public void Configure(EntityTypeBuilder<Playbook> builder)
    {
        builder.ToTable("Playbooks");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Key).HasMaxLength(100).IsRequired();
        builder.Property(p => p.Name).HasMaxLength(200).IsRequired();
        builder.Property(p => p.Description).HasMaxLength(2000);
        builder.Property(p => p.StepsJson).HasMaxLength(20_000).IsRequired();
        builder.Property(p => p.UpdatedBy).HasMaxLength(256).IsRequired();
        builder.Ignore(p => p.Steps);
        builder.Ignore(p => p.Blocks);
        builder.HasIndex(p => p.Key).IsUnique();
    }
}

internal sealed class HandlingPolicyConfiguration : IEntityTypeConfiguration<HandlingPolicy>
{
    public void Configure(EntityTypeBuilder<HandlingPolicy> builder)
    {
        builder.ToTable("HandlingPolicies");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Target).HasMaxLength(64);
        builder.Property(p => p.PlaybookKey).HasMaxLength(100).IsRequired();
        builder.Property(p => p.PlaybookName).HasMaxLength(200).IsRequired();
        builder.Property(p => p.Origin).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(p => p.StatusReason).HasMaxLength(500);
        builder.Property(p => p.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(p => p.DecidedBy).HasMaxLength(256);
        builder.Property(p => p.ScopeText).HasMaxLength(1000).IsRequired();
        builder.HasIndex(p => new { p.Status, p.CreatedAt });
        builder.HasIndex(p => p.EventId);
        builder.HasIndex(p => p.Target);
    }
}

internal sealed class HandlingTaskConfiguration : IEntityTypeConfiguration<HandlingTask>
{
    public void Configure(EntityTypeBuilder<HandlingTask> builder)
    {
        builder.ToTable("HandlingTasks");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.Provider).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.InstanceId).HasMaxLength(128);
        builder.Property(t => t.Domain).HasMaxLength(256);
        builder.Property(t => t.Address).HasMaxLength(64);
        builder.Property(t => t.Parameter).HasMaxLength(1000);
        builder.Property(t => t.Reason).HasMaxLength(500);
        builder.Property(t => t.Error).HasMaxLength(1000);
        builder.Property(t => t.CloudRuleId).HasMaxLength(128);
        builder.Property(t => t.RevertRequestedBy).HasMaxLength(256);
        builder.Property(t => t.Detail).HasMaxLength(1000);
        builder.Ignore(t => t.Scope);
        builder.HasIndex(t => new { t.Status, t.NextAttemptAt });
        builder.HasIndex(t => t.PolicyId);
        builder.HasOne<HandlingPolicy>().WithMany().HasForeignKey(t => t.PolicyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ResponseRuleConfiguration : IEntityTypeConfiguration<ResponseRule>
{
    public void Configure(EntityTypeBuilder<ResponseRule> builder)
    {
        builder.ToTable("ResponseRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(100).IsRequired();
        builder.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ConditionsJson).HasMaxLength(10_000).IsRequired();
        builder.Property(r => r.ActionsJson).HasMaxLength(10_000).IsRequired();
        builder.Property(r => r.UpdatedBy).HasMaxLength(256).IsRequired();
        builder.Ignore(r => r.Conditions);
        builder.Ignore(r => r.Actions);
        builder.HasIndex(r => new { r.Enabled, r.Order });
    }
}

internal sealed class ResponseRuleFiringConfiguration : IEntityTypeConfiguration<ResponseRuleFiring>
{
    public void Configure(EntityTypeBuilder<ResponseRuleFiring> builder)
    {
        builder.ToTable("ResponseRuleFirings");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Subject).HasMaxLength(40).IsRequired();
        builder.HasIndex(f => new { f.RuleId, f.Subject }).IsUnique();
        builder.HasOne<ResponseRule>().WithMany().HasForeignKey(f => f.RuleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ResponseStateConfiguration : IEntityTypeConfiguration<ResponseState>
{
    public void Configure(EntityTypeBuilder<ResponseState> builder)
    {
        builder.ToTable("ResponseState");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasData(ResponseState.Initial());
    }
}
