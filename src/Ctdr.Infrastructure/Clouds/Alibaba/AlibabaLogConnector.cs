using System.Globalization;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Clouds.Alibaba.Sls;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// Alibaba Cloud logs (WAF, Cloud Firewall, ActionTrail) from Simple Log Service. Pulls with the cursor API
/// (ListShards → GetCursor → PullLogs, round-robin over shards), which is ordered per shard, needs no index and
/// resumes exactly from the checkpoint: at-least-once, each record keeping the same
/// <c>&lt;shard&gt;:&lt;cursor&gt;:&lt;group&gt;:&lt;log&gt;</c> position on a re-read.
/// </summary>
internal sealed class AlibabaLogConnector(IHttpClientFactory httpClients, TimeProvider clock, IOptions<CloudConnectorOptions> options) : ILogConnector
{
    public const string HttpClientName = "ctdr-clouds-alibaba";
    private static readonly string[] Steps = ["Credentials", "Project", "Logstore", "Read permission"];

    public CloudProvider Provider => CloudProvider.AlibabaCloud;

    /// <summary>ListProject in the account's first region: 401 means the key pair is wrong; any other answer means it is accepted.</summary>
    public async Task<CredentialCheck> TestCredentialsAsync(ConnectorAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var region = account.Regions.Count > 0 ? account.Regions[0] : "cn-hangzhou";
        var client = Client(account, region);
        try
        {
            await client.ListProjectsAsync(cancellationToken);
            return new CredentialCheck(true, $"The access key is accepted in {region}.");
        }
        catch (CloudApiException exception) when (exception.HttpStatus is not 401 and not 0)
        {
            return new CredentialCheck(true, $"The access key is accepted in {region} (ListProject answered {exception.ErrorCode}).");
        }
        catch (CloudApiException exception)
        {
            return new CredentialCheck(false, ConnectorProbe.Describe(exception), exception.ErrorCode);
        }
    }

    public async Task<ValidityProbe> ProbeAsync(ConnectorSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (region, project, logStore) = Binding(source);
        var client = Client(source.Account, region);
        var probe = new ConnectorProbe(Steps);

        await probe.RunAsync("Credentials",
            async () =>
            {
                await client.ListProjectsAsync(cancellationToken);
                return (ValidityStepStatus.Passed, $"The access key is accepted in {region}.");
            },
            e => e.HttpStatus is 401 or 0
                ? (ConnectorProbe.Describe(e), true)
                : ($"The access key is accepted in {region} (ListProject answered {e.ErrorCode}).", false));
        await probe.RunAsync("Project", async () =>
        {
            await client.GetProjectAsync(project, cancellationToken);
            return (ValidityStepStatus.Passed, $"Project {project} exists in {region}.");
        });
        await probe.RunAsync("Logstore", async () =>
        {
            await client.GetLogStoreAsync(project, logStore, cancellationToken);
            return (ValidityStepStatus.Passed, $"Logstore {logStore} exists.");
        });
        await probe.RunAsync("Read permission", () => ReadSampleAsync(client, project, logStore, probe.Sample, cancellationToken));
        return probe.ToValidityProbe();
    }

    /// <summary>
    /// A few recent records with GetLogs (needs an index and query permission); when the logstore has no index,
    /// the same records are read with the cursor API, which is what pulling uses.
    /// </summary>
    private async Task<(ValidityStepStatus, string)> ReadSampleAsync(SlsClient client, string project, string logStore, List<RawRecord> sample, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var from = (now - options.Value.ProbeWindow).ToUnixTimeSeconds();
        try
        {
            var records = await client.GetLogsAsync(project, logStore, from, now.ToUnixTimeSeconds() + 1, string.Empty, ConnectorProbeSize, 0, true, cancellationToken);
            sample.AddRange(records.Select(r => new RawRecord(r, null)));
            return (ValidityStepStatus.Passed, $"Read {records.Count} record(s) of the last {options.Value.ProbeWindow.TotalMinutes:0} minutes.");
        }
        catch (CloudApiException exception) when (exception.HttpStatus == 400)
        {
            // Most likely no index (GetLogs needs one; PullLogs does not).
            var shards = await client.ListShardsAsync(project, logStore, cancellationToken);
            foreach (var shard in shards.TakeWhile(_ => sample.Count < ConnectorProbeSize))
            {
                var cursor = await client.GetCursorAsync(project, logStore, shard.Id, from.ToString(CultureInfo.InvariantCulture), cancellationToken);
                var page = await client.PullLogsAsync(project, logStore, shard.Id, cursor, ConnectorProbeSize, cancellationToken);
                foreach (var (group, index, json) in SlsClient.Records(page.Groups))
                {
                    if (sample.Count < ConnectorProbeSize)
                    {
                        sample.Add(new RawRecord(json, Position(shard.Id, cursor, group, index)));
                    }
                }
            }

            return (ValidityStepStatus.Warning,
                $"GetLogs answered {exception.ErrorCode} (is the logstore indexed?); read {sample.Count} record(s) with the cursor API instead, which is what pulling uses.");
        }
    }

    private const int ConnectorProbeSize = CloudConnectorOptions.ProbeSampleSize;

    public async Task<PullResult> PullAsync(ConnectorSource source, PullRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        var (region, project, logStore) = Binding(source);
        var client = Client(source.Account, region);
        var checkpoint = SlsCheckpoint.Parse(request.Checkpoint);

        var shards = await client.ListShardsAsync(project, logStore, cancellationToken);
        var listed = shards.Select(s => s.Id).ToHashSet();
        checkpoint.Done.RemoveAll(id => !listed.Contains(id));
        foreach (var gone in checkpoint.Shards.Keys.Where(k => !listed.Contains(int.Parse(k, CultureInfo.InvariantCulture))).ToList())
        {
            checkpoint.Shards.Remove(gone);
        }

        var active = new List<SlsShard>();
        foreach (var shard in shards.Where(s => !checkpoint.Done.Contains(s.Id)))
        {
            if (checkpoint.Position(shard.Id) is null)
            {
                var start = request.StartAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                checkpoint.Set(shard.Id, new SlsShardPosition(await client.GetCursorAsync(project, logStore, shard.Id, start, cancellationToken), 0));
            }

            active.Add(shard);
        }

        var records = new List<RawRecord>();
        long bytes = 0;
        var caughtUp = new HashSet<int>();
        var groupCount = Math.Clamp(options.Value.SlsPullLogGroupCount, 1, 1000);
        while (records.Count < request.MaxRecords && caughtUp.Count < active.Count)
        {
            foreach (var shard in active.Where(s => !caughtUp.Contains(s.Id)))
            {
                var remaining = request.MaxRecords - records.Count;
                if (remaining <= 0)
                {
                    break;
                }

                var position = checkpoint.Position(shard.Id)!;
                SlsPullPage page;
                try
                {
                    page = await client.PullLogsAsync(project, logStore, shard.Id, position.Cursor, groupCount, cancellationToken);
                }
                catch (CloudApiException exception) when (exception.ErrorCode == "InvalidCursor")
                {
                    // The data behind the cursor expired (retention): continue from the oldest data there is.
                    checkpoint.Set(shard.Id, new SlsShardPosition(await client.GetCursorAsync(project, logStore, shard.Id, "begin", cancellationToken), 0));
                    continue;
                }

                var seen = 0;
                var taken = 0;
                foreach (var (group, index, json) in SlsClient.Records(page.Groups))
                {
                    if (seen++ < position.Skip)
                    {
                        continue;
                    }

                    if (taken == remaining)
                    {
                        break;
                    }

                    records.Add(new RawRecord(json, Position(shard.Id, position.Cursor, group, index)));
                    bytes += json.Length;
                    taken++;
                }

                var total = page.Groups.LogGroups.Sum(g => g.Logs.Count);
                if (position.Skip + taken < total)
                {
                    checkpoint.Set(shard.Id, position with { Skip = position.Skip + taken });
                    continue;
                }

                if (page.Count == 0 || page.NextCursor == position.Cursor)
                {
                    caughtUp.Add(shard.Id);
                    if (shard.ReadOnly)
                    {
                        checkpoint.Remove(shard.Id);
                        checkpoint.Done.Add(shard.Id);
                    }
                }
                else
                {
                    checkpoint.Set(shard.Id, new SlsShardPosition(page.NextCursor, 0));
                }
            }
        }

        return new PullResult(records, checkpoint.ToString(), caughtUp.Count == active.Count, bytes);
    }

    private static string Position(int shard, string cursor, int group, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{shard}:{cursor}:{group}:{index}");

    private static (string Region, string Project, string LogStore) Binding(ConnectorSource source)
    {
        var binding = source.Binding;
        var region = binding.Region ?? (source.Account.Regions.Count > 0 ? source.Account.Regions[0] : null)
            ?? throw new ArgumentException("The source has no region.", nameof(source));
        return (region,
            binding.Project ?? throw new ArgumentException("The source has no SLS project.", nameof(source)),
            binding.LogStore ?? throw new ArgumentException("The source has no SLS logstore.", nameof(source)));
    }

    private SlsClient Client(ConnectorAccount account, string region)
    {
        var settings = options.Value;
        var version = string.Equals(settings.SlsSignatureVersion, "V4", StringComparison.OrdinalIgnoreCase) ? SlsSignatureVersion.V4 : SlsSignatureVersion.V1;
        return new SlsClient(httpClients.CreateClient(HttpClientName), account.Credentials, region, account.Endpoint, clock, version, settings.SlsPullCompression);
    }
}
