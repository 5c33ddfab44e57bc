using Ctdr.CloudEmulator.Alibaba;
using Ctdr.CloudEmulator.Common;
using System.Collections.Concurrent;
using Ctdr.CloudEmulator.Faults;
using Ctdr.CloudEmulator.Huawei;
using Ctdr.CloudEmulator.Tencent;
using Ctdr.CloudEmulator.Traffic;

namespace Ctdr.CloudEmulator;

/// <summary>An Alibaba Cloud access key as the sandbox knows it.</summary>
internal sealed record AliyunKey(string Id, string Secret, string OwnerUid, bool CanRead);

/// <summary>A Huawei Cloud AK/SK pair and the project it belongs to.</summary>
internal sealed record HuaweiKey(string AccessKey, string SecretKey, string ProjectId);

/// <summary>A Tencent Cloud SecretId/SecretKey pair and its account.</summary>
internal sealed record TencentKey(string SecretId, string SecretKey, string AppId);

internal sealed class LtsLogGroup(string id, string name, long createTime)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public long CreateTime { get; } = createTime;
    public Dictionary<string, JsonLogStream> Streams { get; } = new(StringComparer.Ordinal);
}

internal sealed class LtsProject(string projectId, string region)
{
    public string ProjectId { get; } = projectId;
    public string Region { get; } = region;
    public Dictionary<string, LtsLogGroup> Groups { get; } = new(StringComparer.Ordinal);
}

internal sealed record ClsTopic(string Region, string AppId, string LogsetId, JsonLogStream Stream);

/// <summary>
/// Everything the sandbox cloud holds: the seeded accounts with their keys, SLS projects, LTS log streams and CLS
/// topics, the WAF block lists, the injected faults, and the traffic generator's settings.
/// </summary>
public sealed class SandboxState
{
    private readonly Dictionary<string, SlsLogStore> slsStreams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonLogStream> jsonStreams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Provider, string Account, string Scope), BlockList> wafBlockLists = new();

    internal SandboxState(SandboxOptions options)
    {
        Options = options;
        Clock = options.Clock;
        Faults = new FaultInjector(Clock);
        var created = Clock.GetUtcNow().AddDays(-30).ToUnixTimeSeconds();

        var ali = SandboxAccounts.Alibaba;
        AliyunKeys[ali.FullAccess.AccessKeyId] = new AliyunKey(ali.FullAccess.AccessKeyId, ali.FullAccess.AccessKeySecret, ali.AliUid, CanRead: true);
        AliyunKeys[ali.ReadDenied.AccessKeyId] = new AliyunKey(ali.ReadDenied.AccessKeyId, ali.ReadDenied.AccessKeySecret, ali.AliUid, CanRead: false);
        BlockLists[ali.AliUid] = new BlockList();
        Waf = new WafStore(this);
        Waf.AddInstance(new WafInstance(SandboxAccounts.AlibabaWafInstanceId, ali.AliUid, ali.Region, "ultimate", WebTraffic.Hosts));
        foreach (var info in ali.LogStores)
        {
            if (!SlsProjects.TryGetValue(info.Project, out var project))
            {
                project = new SlsProject(info.Project, ali.Region, ali.AliUid, $"sandbox project for {info.Stream}", created);
                SlsProjects[info.Project] = project;
            }

            var store = new SlsLogStore(project, info.LogStore, info.ShardCount, info.IndexEnabled, ttlDays: 180, created, options.MaxRecordsPerLogStore);
            project.LogStores[info.LogStore] = store;
            slsStreams[info.Stream] = store;
        }

        var hw = SandboxAccounts.Huawei;
        HuaweiKeys[hw.Key.AccessKeyId] = new HuaweiKey(hw.Key.AccessKeyId, hw.Key.AccessKeySecret, hw.ProjectId);
        var lts = new LtsProject(hw.ProjectId, hw.Region);
        var group = new LtsLogGroup(hw.WafLogGroup.LogGroupId, hw.WafLogGroup.LogGroupName, created * 1000);
        foreach (var info in hw.WafLogGroup.Streams)
        {
            var stream = new JsonLogStream(info.LogStreamId, info.LogStreamName, options.MaxRecordsPerLogStore, created * 1000);
            group.Streams[info.LogStreamId] = stream;
            jsonStreams[info.Stream] = stream;
        }

        lts.Groups[group.Id] = group;
        LtsProjects[hw.ProjectId] = lts;
        var hwWaf = new HuaweiWafStore(this, hw.ProjectId, options.WafIpRuleQuota);
        hwWaf.AddPolicy(new HuaweiWafPolicy(SandboxWafs.Huawei.PolicyId, SandboxWafs.Huawei.PolicyName, created * 1000, SandboxWafs.Huawei.Hosts));
        HuaweiWafs[hw.ProjectId] = hwWaf;

        var tc = SandboxAccounts.Tencent;
        TencentKeys[tc.Key.AccessKeyId] = new TencentKey(tc.Key.AccessKeyId, tc.Key.AccessKeySecret, tc.AppId);
        foreach (var info in tc.Topics)
        {
            var stream = new JsonLogStream(info.TopicId, info.TopicName, options.MaxRecordsPerLogStore, created * 1000);
            ClsTopics[info.TopicId] = new ClsTopic(tc.Region, tc.AppId, info.LogsetId, stream);
            jsonStreams[info.Stream] = stream;
        }

        TencentWafs[tc.AppId] = new TencentWafStore(this, tc.AppId, SandboxWafs.Tencent, options.WafIpRuleQuota);
    }

    /// <summary>The stream names the control API and the generator use, e.g. <c>alibaba-waf</c>, <c>huawei-waf-attack</c>.</summary>
    public IReadOnlyCollection<string> StreamNames => [.. slsStreams.Keys, .. jsonStreams.Keys];

    internal SandboxOptions Options { get; }
    internal TimeProvider Clock { get; }
    internal FaultInjector Faults { get; }
    internal Dictionary<string, AliyunKey> AliyunKeys { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, SlsProject> SlsProjects { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, BlockList> BlockLists { get; } = new(StringComparer.Ordinal);

    /// <summary>The WAF 3.0 instances, templates and rules of the Alibaba accounts (their blocking rules feed <see cref="BlockLists"/>).</summary>
    internal WafStore Waf { get; }
    internal Dictionary<string, HuaweiKey> HuaweiKeys { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, LtsProject> LtsProjects { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, TencentKey> TencentKeys { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, ClsTopic> ClsTopics { get; } = new(StringComparer.Ordinal);

    /// <summary>The Huawei WAF of each project, by project id.</summary>
    internal Dictionary<string, HuaweiWafStore> HuaweiWafs { get; } = new(StringComparer.Ordinal);

    /// <summary>The Tencent WAF of each account, by AppId.</summary>
    internal Dictionary<string, TencentWafStore> TencentWafs { get; } = new(StringComparer.Ordinal);

    /// <summary>Records currently kept in a stream (all shards of a logstore).</summary>
    public long RecordCount(string stream) =>
        slsStreams.TryGetValue(stream, out var store) ? store.RecordCount
        : jsonStreams.TryGetValue(stream, out var json) ? json.Count
        : throw new ArgumentException($"Unknown stream '{stream}'.", nameof(stream));

    /// <summary>Completes when a request next starts waiting out an injected latency fault.</summary>
    public Task NextInjectedDelayAsync() => Faults.NextDelayAsync();

    /// <summary>
    /// The block list one WAF scope enforces on the generated traffic: Alibaba by account uid (the same lists as
    /// <see cref="BlockLists"/>), Huawei by project and policy, Tencent by AppId and domain.
    /// </summary>
    internal BlockList WafBlockList(string provider, string account, string scope) =>
        provider == "alibaba" && BlockLists.TryGetValue(account, out var alibaba)
            ? alibaba
            : wafBlockLists.GetOrAdd((provider, account, scope.ToLowerInvariant()), _ => new BlockList());

    /// <summary>The entries each scope of one provider account enforces now (Huawei: by policy id, Tencent: by domain).</summary>
    internal Dictionary<string, IReadOnlyList<BlockEntry>> WafBlockEntries(string provider, string account, DateTimeOffset now) =>
        wafBlockLists.Where(b => b.Key.Provider == provider && b.Key.Account == account)
            .OrderBy(b => b.Key.Scope, StringComparer.Ordinal)
            .ToDictionary(b => b.Key.Scope, b => b.Value.List(now), StringComparer.Ordinal);

    internal SlsLogStore? SlsStream(string stream) => slsStreams.GetValueOrDefault(stream);

    internal JsonLogStream? JsonStream(string stream) => jsonStreams.GetValueOrDefault(stream);

    internal SlsLogStore? FindLogStore(string project, string logStore) =>
        SlsProjects.TryGetValue(project, out var p) ? p.LogStores.GetValueOrDefault(logStore) : null;

    internal JsonLogStream? FindLtsStream(string projectId, string groupId, string streamId) =>
        LtsProjects.TryGetValue(projectId, out var p) && p.Groups.TryGetValue(groupId, out var g) ? g.Streams.GetValueOrDefault(streamId) : null;
}
