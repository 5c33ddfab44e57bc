using Ctdr.Application.Accounts;
using Ctdr.Application.Activation;
using Ctdr.Application.Alerts;
using Ctdr.Application.Audit;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;
using Ctdr.Application.Common;
using Ctdr.Application.Response.AllowList;
using Ctdr.Infrastructure.Identity;
using Ctdr.Infrastructure.LogStore;
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

    public DbSet<CloudAccount> CloudAccounts => Set<CloudAccount>();

    public DbSet<LogSource> LogSources => Set<LogSource>();

    public DbSet<ServiceActivation> ServiceActivations => Set<ServiceActivation>();

    public DbSet<IngestionMeter> IngestionMeters => Set<IngestionMeter>();

    public DbSet<QuarantinedRecord> QuarantinedRecords => Set<QuarantinedRecord>();

    public DbSet<DetectionRule> DetectionRules => Set<DetectionRule>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<AlertAllowListEntry> AlertAllowList => Set<AlertAllowListEntry>();

    public DbSet<DetectionState> DetectionStates => Set<DetectionState>();

    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();

    public DbSet<EventMembership> EventMemberships => Set<EventMembership>();

    public DbSet<EventComment> EventComments => Set<EventComment>();

    public DbSet<Application.Response.Playbook> Playbooks => Set<Application.Response.Playbook>();

    public DbSet<Application.Response.HandlingPolicy> HandlingPolicies => Set<Application.Response.HandlingPolicy>();

    public DbSet<Application.Response.HandlingTask> HandlingTasks => Set<Application.Response.HandlingTask>();

    public DbSet<Application.Response.ResponseRule> ResponseRules => Set<Application.Response.ResponseRule>();

    public DbSet<Application.Response.ResponseRuleFiring> ResponseRuleFirings => Set<Application.Response.ResponseRuleFiring>();

    public DbSet<Application.Response.ResponseState> ResponseStates => Set<Application.Response.ResponseState>();

    public DbSet<CorrelationState> CorrelationStates => Set<CorrelationState>();

    public DbSet<ResponseAllowListEntry> ResponseAllowList => Set<ResponseAllowListEntry>();

    /// <summary>Stored logs, for reading; written by the log store's bulk path.</summary>
    public DbSet<LogRow> SecurityLogs => Set<LogRow>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CtdrDbContext).Assembly);
    }
}
