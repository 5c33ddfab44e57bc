using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Ctdr.Application;
using Ctdr.Application.Accounts;
using Ctdr.Application.Alerts;
using Ctdr.Application.Common;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.LogSources;
using Ctdr.Application.Response;
using Ctdr.CloudEmulator;
using Ctdr.Infrastructure;
using Ctdr.Infrastructure.Events;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Infrastructure.Response;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Benchmarks;

/// <summary>
/// P1 (quality-bars.md): a security event has just been committed by the correlation → the WAF block request is sent.
/// Each operation is what the detection job does after correlating: evaluate the automatic response rules (one rule:
/// run the built-in WAF IP-blocking playbook), plan the policy through the safety envelope (allow-list, cap, end time),
/// resolve the scope (the WAF instances that saw the attacker, read from the WAF), and run the task — the block
/// request to the sandbox's Alibaba Cloud WAF 3.0 OpenAPI, signed, then read back — on SQLite. Each iteration blocks a
/// new attacker IP of a new event.
/// </summary>
[InProcess]
[Config(typeof(Percentiles))]
[InvocationCount(1)]
[WarmupCount(3)]
[IterationCount(40)]
public class ResponseLatencyBenchmarks
{
    private ServiceProvider _services = default!;
    private SandboxCloud _sandbox = default!;
    private string _directory = default!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ctdr-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _sandbox = await SandboxCloud.StartAsync(new SandboxOptions { Url = "http://127.0.0.1:0", GenerateTraffic = false, ScenarioEvery = TimeSpan.Zero, Seed = 11 });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ctdr:DataDirectory"] = _directory,
            ["Jobs:Storage"] = "InMemory",
            ["Jobs:RunServer"] = "false",
            ["Sandbox:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApplication();
        services.AddInfrastructure(configuration, _directory);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        await using var db = await _services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        var secret = _services.GetRequiredService<ISecretProtector>().Protect(SandboxAccounts.Alibaba.FullAccess.AccessKeySecret);
        db.CloudAccounts.Add(CloudAccount.Create(CloudProvider.AlibabaCloud, SandboxAccounts.AliUid, "Sandbox Alibaba", [SandboxAccounts.AlibabaRegion], SandboxAccounts.Alibaba.FullAccess.AccessKeyId, secret, _sandbox.BaseAddress.ToString(), true, DateTimeOffset.UtcNow));
        var playbook = await db.Playbooks.SingleAsync(p => p.Key == BuiltInPlaybooks.BlockIp);
        db.ResponseRules.Add(ResponseRule.Create(new ResponseRuleForm("Block web attackers", true, ResponseTrigger.Event, true, [], [new ResponseAction(ResponseActionKind.RunPlaybook, playbook.Id)]), 1, "bench", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }

    /// <summary>An alert about a new attacker IP from the account's WAF logs, correlated into a new event (not measured).</summary>
    [IterationSetup]
    public void NewEvent()
    {
        var n = Interlocked.Increment(ref _next);
        var ip = $"198.51.{100 + (n / 250)}.{1 + (n % 250)}";
        using var db = _services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContext();
        var rule = db.DetectionRules.Single(r => r.Key == "alibaba-waf-sqli");
        var time = DateTimeOffset.UtcNow;
        var evidence = new EvidenceRef(1, 1, "bench-" + Invariant.Text(n), time);
        db.Alerts.Add(Alert.Raise(new AlertDraft("bench-" + Invariant.Text(n), rule.Id, rule.Key, RuleMode.Live, CloudProvider.AlibabaCloud, SandboxAccounts.AliUid, LogProduct.AlibabaWaf, 1, time, time, [evidence], [new AlertEntity(EntityKind.Ip, ip), new AlertEntity(EntityKind.Asset, "shop.example.com")], evidence, null), rule, time));
        db.SaveChanges();
        _services.GetRequiredService<EventCorrelation>().RunOnceAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "P1 event committed -> block request sent and verified")]
    public async Task<int> EventToBlockAsync()
    {
        var fired = await _services.GetRequiredService<AutomaticResponse>().RunOnceAsync(CancellationToken.None);
        var run = await _services.GetRequiredService<ResponseWorker>().RunOnceAsync(CancellationToken.None);
        if (fired.Policies != 1 || run.Succeeded != 1)
        {
            throw new InvalidOperationException($"Expected one policy and one block, got {fired.Policies} and {run.Succeeded}.");
        }

        return run.Succeeded;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Median, p95 and max next to the mean: P1 is a p95 target.</summary>
    private sealed class Percentiles : ManualConfig
    {
        public Percentiles()
        {
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
        }
    }
}
