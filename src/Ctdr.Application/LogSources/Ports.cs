using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;

namespace Ctdr.Application.LogSources;

/// <summary>The connector of each provider that Ctdr can pull from.</summary>
public interface ILogConnectors
{
    /// <summary>The provider's connector, or null when Ctdr cannot pull its logs.</summary>
    ILogConnector? For(CloudProvider provider);
}

/// <summary>The normaliser of each log product.</summary>
public interface ILogNormalizers
{
    ILogNormalizer For(LogProduct product);
}

/// <summary>Keeps the background pull of each active source scheduled at its interval.</summary>
public interface ILogSourceScheduler
{
    /// <summary>Schedules (or re-schedules) the source's pull; unschedules it when the source is not pulling.</summary>
    void Sync(LogSource source);

    void Remove(long sourceId);

    /// <summary>Runs the source's pull now, in the background.</summary>
    void TriggerNow(long sourceId);
}

/// <summary>A sandbox cloud account as the sandbox describes it (demo credentials, not secret), with its log bindings.</summary>
public sealed record SandboxAccount(
    CloudProvider Provider,
    string AccountUid,
    string DisplayName,
    IReadOnlyList<string> Regions,
    string AccessKeyId,
    string AccessKeySecret,
    Uri Endpoint,
    IReadOnlyList<ProposedSource> LogSources);

/// <summary>The sandbox cloud, when it runs: its accounts, for "Connect the sandbox accounts".</summary>
public interface ISandboxDirectory
{
    bool IsEnabled { get; }

    Task<IReadOnlyList<SandboxAccount>> ListAccountsAsync(CancellationToken cancellationToken);
}
