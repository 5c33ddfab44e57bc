using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Clouds.Tencent;

/// <summary>
/// Tencent Cloud WAF logs from CLS. Pulling reads time windows with SearchLog, page by page with its
/// <c>Context</c> (see <see cref="WindowedPull"/> for the at-least-once semantics and the late-arrival caveat); an
/// expired Context (1 h TTL) restarts the window. Record position: <c>&lt;topic&gt;:&lt;PkgId&gt;:&lt;PkgLogId&gt;</c>.
/// </summary>
internal sealed class TencentLogConnector(IHttpClientFactory httpClients, TimeProvider clock, IOptions<CloudConnectorOptions> options) : ILogConnector
{
    public const string HttpClientName = "ctdr-clouds-tencent";
    private static readonly string[] Steps = ["Credentials", "Topic", "Read permission"];

    public CloudProvider Provider => CloudProvider.TencentCloud;

    /// <summary>Credentials fail on <c>AuthFailure.*</c> (except a missing permission) or an unreachable endpoint.</summary>
    private static bool IsCredentialFailure(CloudApiException exception) =>
        exception.HttpStatus == 0
        || (exception.ErrorCode.StartsWith("AuthFailure", StringComparison.Ordinal) && exception.ErrorCode != "AuthFailure.UnauthorizedOperation");

    public async Task<CredentialCheck> TestCredentialsAsync(ConnectorAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var region = account.Regions.Count > 0 ? account.Regions[0] : "ap-guangzhou";
        try
        {
            await Client(account, region).CountTopicsAsync(null, cancellationToken);
            return new CredentialCheck(true, $"The secret key is accepted in {region}.");
        }
        catch (CloudApiException exception) when (!IsCredentialFailure(exception))
        {
            return new CredentialCheck(true, $"The secret key is accepted in {region} (DescribeTopics answered {exception.ErrorCode}).");
        }
        catch (CloudApiException exception)
        {
            return new CredentialCheck(false, ConnectorProbe.Describe(exception), exception.ErrorCode);
        }
    }

    public async Task<ValidityProbe> ProbeAsync(ConnectorSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (region, topic) = Binding(source);
        var client = Client(source.Account, region);
        var probe = new ConnectorProbe(Steps);
        var topicCount = 0;

        await probe.RunAsync("Credentials",
            async () =>
            {
                topicCount = await client.CountTopicsAsync(topic, cancellationToken);
                return (ValidityStepStatus.Passed, $"The secret key is accepted in {region}.");
            },
            e => IsCredentialFailure(e) ? (ConnectorProbe.Describe(e), true) : ($"The secret key is accepted in {region} (DescribeTopics answered {e.ErrorCode}).", false));
        await probe.RunAsync("Topic", () => Task.FromResult(topicCount > 0
            ? (ValidityStepStatus.Passed, $"Topic {topic} exists in {region}.")
            : (ValidityStepStatus.Failed, $"No topic {topic} in {region}.")));
        await probe.RunAsync("Read permission", async () =>
        {
            var now = clock.GetUtcNow();
            var page = await client.SearchLogAsync(topic, (now - options.Value.ProbeWindow).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(),
                null, CloudConnectorOptions.ProbeSampleSize, true, cancellationToken);
            probe.Sample.AddRange(page.Logs.Select(l => new RawRecord(l.Json, l.Position)));
            return (ValidityStepStatus.Passed, $"Read {page.Logs.Count} record(s) of the last {options.Value.ProbeWindow.TotalMinutes:0} minutes.");
        });
        var result = probe.ToValidityProbe();
        return result with
        {
            Steps = result.Steps.Select(s => s is { Name: "Topic", Status: ValidityStepStatus.Failed, ErrorCode: null } ? s with { ErrorCode = "TopicNotExist" } : s).ToList(),
        };
    }

    public async Task<PullResult> PullAsync(ConnectorSource source, PullRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (region, topic) = Binding(source);
        var client = Client(source.Account, region);
        return await WindowedPull.RunAsync(request, options.Value, clock.GetUtcNow(), async (from, to, context, limit, ct) =>
        {
            ClsPage page;
            try
            {
                page = await client.SearchLogAsync(topic, from, to, context, limit, false, ct);
            }
            catch (CloudApiException exception) when (context is not null && !exception.IsTransient && !IsCredentialFailure(exception))
            {
                // Most likely the Context expired (1 h): read the window again from its start; duplicates keep their uid.
                page = await client.SearchLogAsync(topic, from, to, null, limit, false, ct);
            }

            return new WindowPage(page.Logs.Select(l => new RawRecord(l.Json, l.Position)).ToList(), page.Context, page.ListOver);
        }, cancellationToken);
    }

    private static (string Region, string Topic) Binding(ConnectorSource source)
    {
        var region = source.Binding.Region ?? (source.Account.Regions.Count > 0 ? source.Account.Regions[0] : null)
            ?? throw new ArgumentException("The source has no region.", nameof(source));
        return (region, source.Binding.Topic ?? throw new ArgumentException("The source has no CLS topic.", nameof(source)));
    }

    private ClsClient Client(ConnectorAccount account, string region) =>
        new(httpClients.CreateClient(HttpClientName), account.Credentials, region, account.Endpoint, clock);
}
