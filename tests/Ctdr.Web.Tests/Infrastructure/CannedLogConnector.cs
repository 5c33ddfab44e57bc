using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>
/// A provider's log service at the edge of the process, answering Check Validity with a canned probe: the
/// component tests need the steps a connector reports, not a cloud.
/// </summary>
public sealed class CannedLogConnector(CloudProvider provider) : ILogConnector
{
    public CloudProvider Provider { get; } = provider;

    public ValidityProbe Probe { get; set; } = new([new ValidityStep(ValidityChecker.CredentialsStep, ValidityStepStatus.Passed, "Accepted.")], []);

    /// <summary>The sources Check Validity asked about, in order.</summary>
    public List<ConnectorSource> Probed { get; } = [];

    public Task<CredentialCheck> TestCredentialsAsync(ConnectorAccount account, CancellationToken cancellationToken) =>
        Task.FromResult(new CredentialCheck(true, "Accepted."));

    public Task<ValidityProbe> ProbeAsync(ConnectorSource source, CancellationToken cancellationToken)
    {
        Probed.Add(source);
        return Task.FromResult(Probe);
    }

    public Task<PullResult> PullAsync(ConnectorSource source, PullRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new PullResult([], request.Checkpoint ?? "start", CaughtUp: true, Bytes: 0));
}
