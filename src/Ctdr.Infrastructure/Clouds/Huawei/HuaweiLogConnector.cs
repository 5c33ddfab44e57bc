using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Clouds.Huawei;

/// <summary>
/// Huawei Cloud WAF logs from LTS. LTS has no arrival-ordered cursor, so pulling reads time windows page by page
/// with <c>line_num</c> (see <see cref="WindowedPull"/> for the at-least-once semantics and the late-arrival caveat).
/// The region's project id is the binding's <c>Project</c> when set, else found through IAM by region name.
/// Record position: <c>&lt;stream id&gt;:&lt;line_num&gt;</c>.
/// </summary>
internal sealed class HuaweiLogConnector(IHttpClientFactory httpClients, TimeProvider clock, IOptions<CloudConnectorOptions> options) : ILogConnector
{
    public const string HttpClientName = "ctdr-clouds-huawei";
    private static readonly string[] Steps = ["Credentials", "Log group", "Log stream", "Read permission"];

    public CloudProvider Provider => CloudProvider.HuaweiCloud;

    /// <summary>IAM project lookup in the account's first region: 401 means the key pair is wrong.</summary>
    public async Task<CredentialCheck> TestCredentialsAsync(ConnectorAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var region = account.Regions.Count > 0 ? account.Regions[0] : "cn-north-4";
        try
        {
            await Client(account, region).FindProjectIdAsync(cancellationToken);
            return new CredentialCheck(true, $"The access key is accepted in {region}.");
        }
        catch (CloudApiException exception) when (exception.HttpStatus is not 401 and not 0)
        {
            return new CredentialCheck(true, $"The access key is accepted in {region} (IAM answered {exception.ErrorCode}).");
        }
        catch (CloudApiException exception)
        {
            return new CredentialCheck(false, ConnectorProbe.Describe(exception), exception.ErrorCode);
        }
    }

    public async Task<ValidityProbe> ProbeAsync(ConnectorSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (region, group, stream) = Binding(source);
        var client = Client(source.Account, region);
        var probe = new ConnectorProbe(Steps);
        var projectId = source.Binding.Project;
        string? groupId = null, streamId = null;

        await probe.RunAsync("Credentials", async () =>
        {
            projectId ??= await client.FindProjectIdAsync(cancellationToken);
            return projectId is null
                ? (ValidityStepStatus.Failed, $"The access key is accepted, but IAM knows no project for region {region}.")
                : (ValidityStepStatus.Passed, $"The access key is accepted in {region} (project {projectId}).");
        });
        await probe.RunAsync("Log group", async () =>
        {
            var match = (await client.ListLogGroupsAsync(projectId!, cancellationToken)).FirstOrDefault(g => g.Id == group || g.Name == group);
            groupId = match?.Id;
            return match is null
                ? (ValidityStepStatus.Failed, $"No log group {group} in {region}.")
                : (ValidityStepStatus.Passed, $"Log group {match.Name} ({match.Id}) exists.");
        });
        await probe.RunAsync("Log stream", async () =>
        {
            var match = (await client.ListLogStreamsAsync(projectId!, groupId!, cancellationToken)).FirstOrDefault(s => s.Id == stream || s.Name == stream);
            streamId = match?.Id;
            return match is null
                ? (ValidityStepStatus.Failed, $"No log stream {stream} in log group {group}.")
                : (ValidityStepStatus.Passed, $"Log stream {match.Name} ({match.Id}) exists.");
        });
        await probe.RunAsync("Read permission", async () =>
        {
            var now = clock.GetUtcNow();
            var logs = await client.QueryLogsAsync(projectId!, groupId!, streamId!, (now - options.Value.ProbeWindow).ToUnixTimeMilliseconds(),
                now.ToUnixTimeMilliseconds(), null, CloudConnectorOptions.ProbeSampleSize, true, cancellationToken);
            probe.Sample.AddRange(logs.Select(l => new RawRecord(LtsClient.Utf8(l.Content), $"{streamId}:{l.LineNum}")));
            return (ValidityStepStatus.Passed, $"Read {logs.Count} record(s) of the last {options.Value.ProbeWindow.TotalMinutes:0} minutes.");
        });
        return MarkMissing(probe.ToValidityProbe());
    }

    public async Task<PullResult> PullAsync(ConnectorSource source, PullRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (region, group, stream) = Binding(source);
        var client = Client(source.Account, region);
        var projectId = source.Binding.Project ?? await client.FindProjectIdAsync(cancellationToken)
            ?? throw new CloudApiException(CloudProvider.HuaweiCloud, 404, "ProjectNotFound", $"IAM knows no project for region {region}.");
        return await WindowedPull.RunAsync(request, options.Value, clock.GetUtcNow(), async (from, to, page, limit, ct) =>
        {
            var logs = await client.QueryLogsAsync(projectId, group, stream, from, to, page, limit, false, ct);
            var records = logs.Select(l => new RawRecord(LtsClient.Utf8(l.Content), $"{stream}:{l.LineNum}")).ToList();
            return new WindowPage(records, logs.Count > 0 ? logs[^1].LineNum : null, logs.Count < limit);
        }, cancellationToken);
    }

    /// <summary>Our own codes for a group or stream that is simply not listed (the provider answered without error).</summary>
    private static ValidityProbe MarkMissing(ValidityProbe probe) =>
        probe with
        {
            Steps = probe.Steps.Select(s => s.Status == ValidityStepStatus.Failed && s.ErrorCode is null
                ? s with { ErrorCode = s.Name == "Log group" ? "LogGroupNotFound" : s.Name == "Log stream" ? "LogStreamNotFound" : s.Name == "Credentials" ? "ProjectNotFound" : null }
                : s).ToList(),
        };

    private static (string Region, string Group, string Stream) Binding(ConnectorSource source)
    {
        var binding = source.Binding;
        var region = binding.Region ?? (source.Account.Regions.Count > 0 ? source.Account.Regions[0] : null)
            ?? throw new ArgumentException("The source has no region.", nameof(source));
        return (region,
            binding.LogGroup ?? throw new ArgumentException("The source has no LTS log group.", nameof(source)),
            binding.LogStream ?? throw new ArgumentException("The source has no LTS log stream.", nameof(source)));
    }

    private LtsClient Client(ConnectorAccount account, string region) =>
        new(httpClients.CreateClient(HttpClientName), account.Credentials, region, account.Endpoint, clock);
}
