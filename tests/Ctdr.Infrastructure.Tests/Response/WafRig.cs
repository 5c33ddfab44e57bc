using System.Net.Http.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Clouds;
using Ctdr.Infrastructure.Tests.Detection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Infrastructure.Tests.Response;

/// <summary>
/// The sandbox cloud on a free port and a fake clock, and the product's cloud services as the application registers
/// them (the WAF blockers, the log connectors, their HttpClients and resilience) pointed at it.
/// </summary>
internal sealed class WafRig : IAsyncDisposable
{
    /// <summary>2026-03-02 09:00:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private WafRig(SandboxCloud cloud, FakeTimeProvider clock, ServiceProvider services)
    {
        Cloud = cloud;
        Clock = clock;
        Services = services;
        Control = new HttpClient { BaseAddress = cloud.BaseAddress };
    }

    public SandboxCloud Cloud { get; }

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Services { get; }

    public HttpClient Control { get; }

    public static async Task<WafRig> StartAsync(int quota = 1_000)
    {
        var clock = new FakeTimeProvider(Start);
        var cloud = await SandboxCloud.StartAsync(new SandboxOptions
        {
            Url = "http://127.0.0.1:0",
            Clock = clock,
            Seed = 7,
            GenerateTraffic = false,
            ScenarioEvery = TimeSpan.Zero,
            WafIpRuleQuota = quota,
        });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddClouds(new ConfigurationBuilder().Build());
        return new WafRig(cloud, clock, services.BuildServiceProvider());
    }

    public IWafBlocker Blocker(CloudProvider provider) =>
        Services.GetRequiredService<IWafBlockers>().For(provider) ?? throw new InvalidOperationException($"No WAF blocker for {provider}.");

    public ConnectorAccount HuaweiAccount(string? secret = null) =>
        new(CloudProvider.HuaweiCloud, SandboxAccounts.Huawei.ProjectId, [SandboxAccounts.HuaweiRegion],
            new CloudCredentials(SandboxAccounts.Huawei.Key.AccessKeyId, secret ?? SandboxAccounts.Huawei.Key.AccessKeySecret), Cloud.BaseAddress);

    public ConnectorAccount TencentAccount(string? secret = null) =>
        new(CloudProvider.TencentCloud, SandboxAccounts.Tencent.AppId, [SandboxAccounts.TencentRegion],
            new CloudCredentials(SandboxAccounts.Tencent.Key.AccessKeyId, secret ?? SandboxAccounts.Tencent.Key.AccessKeySecret), Cloud.BaseAddress);

    /// <summary>Appends exactly <paramref name="count"/> generated records of a scenario to a sandbox stream, at the clock's now.</summary>
    public async Task GenerateAsync(string stream, int count, string scenario)
    {
        using var response = await Control.PostAsJsonAsync("/_sandbox/generate", new { stream, count, scenario });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The WAF logs of a provider's sandbox stream from <paramref name="from"/> on, pulled by the product's connector
    /// and normalised by its normaliser, one per record.
    /// </summary>
    public async Task<List<SecurityLog>> PullAsync(CloudProvider provider, DateTimeOffset from)
    {
        var (account, product, binding) = provider == CloudProvider.HuaweiCloud
            ? (HuaweiAccount(), LogProduct.HuaweiWaf, new LogBinding(SandboxAccounts.HuaweiRegion, SandboxAccounts.Huawei.ProjectId,
                LogGroup: SandboxAccounts.Huawei.WafLogGroup.LogGroupId, LogStream: SandboxAccounts.Huawei.WafLogGroup.Streams[0].LogStreamId))
            : (TencentAccount(), LogProduct.TencentWaf, new LogBinding(SandboxAccounts.TencentRegion, Topic: SandboxAccounts.Tencent.Topics[0].TopicId));
        var source = new ConnectorSource(1, product, binding, account);
        ILogConnectors connectors = Services.GetRequiredService<LogConnectors>();
        var connector = connectors.For(provider)!;
        var normalizer = PredefinedRulesTests.NormalizerFor(product);
        var context = new LogContext(1, provider, account.AccountUid, account.Regions[0], "waf");
        var logs = new List<SecurityLog>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? checkpoint = null;
        for (var page = 0; page < 20; page++)
        {
            var result = await connector.PullAsync(source, new PullRequest(checkpoint, 1000, from), CancellationToken.None);
            foreach (var record in result.Records)
            {
                Assert.True(normalizer.TryNormalize(record, context, out var log, out var rejection), rejection);
                if (seen.Add(log!.Uid))
                {
                    logs.Add(log);
                }
            }

            checkpoint = result.NextCheckpoint;
            if (result.CaughtUp)
            {
                break;
            }
        }

        return logs;
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Services.DisposeAsync();
        await Cloud.DisposeAsync();
    }
}
