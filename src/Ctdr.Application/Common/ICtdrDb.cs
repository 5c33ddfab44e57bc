using Ctdr.Application.Accounts;
using Ctdr.Application.Activation;
using Ctdr.Application.Alerts;
using Ctdr.Application.Audit;
using Ctdr.Application.Detection;
using Ctdr.Application.Events;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response.AllowList;
using Microsoft.EntityFrameworkCore;

namespace Ctdr.Application.Common;

/// <summary>
/// The application's view of its database: the sets use cases query and change. One instance per operation,
/// created by <see cref="ICtdrDbFactory"/> and disposed when the operation ends.
/// </summary>
public interface ICtdrDb : IAsyncDisposable
{
    DbSet<AuditEntry> AuditEntries { get; }

    DbSet<CloudAccount> CloudAccounts { get; }

    DbSet<LogSource> LogSources { get; }

    DbSet<ServiceActivation> ServiceActivations { get; }

    DbSet<IngestionMeter> IngestionMeters { get; }

    DbSet<QuarantinedRecord> QuarantinedRecords { get; }

    DbSet<DetectionRule> DetectionRules { get; }

    DbSet<Alert> Alerts { get; }

    DbSet<AlertAllowListEntry> AlertAllowList { get; }

    DbSet<DetectionState> DetectionStates { get; }

    DbSet<SecurityEvent> SecurityEvents { get; }

    DbSet<EventMembership> EventMemberships { get; }

    DbSet<EventComment> EventComments { get; }

    DbSet<Response.Playbook> Playbooks { get; }

    DbSet<Response.HandlingPolicy> HandlingPolicies { get; }

    DbSet<Response.HandlingTask> HandlingTasks { get; }

    DbSet<Response.ResponseRule> ResponseRules { get; }

    DbSet<Response.ResponseRuleFiring> ResponseRuleFirings { get; }

    DbSet<Response.ResponseState> ResponseStates { get; }

    DbSet<CorrelationState> CorrelationStates { get; }

    DbSet<ResponseAllowListEntry> ResponseAllowList { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Creates a short-lived <see cref="ICtdrDb"/> for one operation.</summary>
public interface ICtdrDbFactory
{
    Task<ICtdrDb> CreateAsync(CancellationToken cancellationToken = default);
}
