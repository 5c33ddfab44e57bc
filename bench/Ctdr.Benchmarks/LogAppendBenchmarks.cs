using System.Text;
using BenchmarkDotNet.Attributes;
using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure;
using Ctdr.Infrastructure.LogStore;
using Ctdr.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Benchmarks;

/// <summary>
/// S1: appending logs to SQLite (WAL, indexes on) in the pull transaction. Ours: the bulk path of the log store
/// (checkpoint compare-and-swap, prepared INSERT OR IGNORE per row, meter upsert, one commit). Baseline: EF
/// Core's AddRange + SaveChanges of the same rows. Each operation is one record; batches of 5 000.
/// </summary>
[InProcess]
[MemoryDiagnoser]
public class LogAppendBenchmarks
{
    public const int BatchSize = 5000;

    private ServiceProvider _services = default!;
    private string _directory = default!;
    private long _sourceId;
    private long _version;
    private long _next;
    private IReadOnlyList<SecurityLog> _batch = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ctdr-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ctdr:DataDirectory"] = _directory,
            ["Jobs:Storage"] = "InMemory",
            ["Jobs:RunServer"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInfrastructure(configuration, _directory);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        await using var db = await _services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        var account = CloudAccount.Create(CloudProvider.AlibabaCloud, "5000000000000001", "Bench", ["cn-hangzhou"], "ak", "protected", null, false, DateTimeOffset.UtcNow);
        db.CloudAccounts.Add(account);
        await db.SaveChangesAsync();
        var source = LogSource.CreatePulled(account.Id, LogProduct.AlibabaWaf, "Bench WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), 5, false, DateTimeOffset.UtcNow);
        db.LogSources.Add(source);
        await db.SaveChangesAsync();
        _sourceId = source.Id;
    }

    [IterationSetup]
    public void NextBatch() => _batch = WafRecords.Batch(_sourceId, ref _next, BatchSize);

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize, Description = "EF Core AddRange + SaveChanges")]
    public async Task EfCoreAddRangeAsync()
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        db.SecurityLogs.AddRange(_batch.Select(WafRecords.ToRow));
        await db.SaveChangesAsync();
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "Log store bulk append (one transaction)")]
    public async Task BulkAppendAsync()
    {
        var store = _services.GetRequiredService<ILogStore>();
        var result = await store.AppendAsync(new LogBatch(_sourceId, _version, "checkpoint", _batch, [], BatchSize * 800L, DateTimeOffset.UtcNow), CancellationToken.None);
        if (!result.Committed || result.Stored != BatchSize)
        {
            throw new InvalidOperationException($"The append stored {result.Stored} of {BatchSize}.");
        }

        _version++;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Normalised WAF records shaped like the sandbox's (about 0.8 KB of raw JSON each).</summary>
internal static class WafRecords
{
    public static IReadOnlyList<SecurityLog> Batch(long sourceId, ref long next, int count)
    {
        var logs = new SecurityLog[count];
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++, next++)
        {
            var uid = $"781bad06{next:D20}";
            var ip = $"198.51.{(next / 250) % 250}.{next % 250}";
            logs[i] = new SecurityLog
            {
                SourceId = sourceId,
                Uid = uid,
                Time = now,
                ClassUid = OcsfClass.HttpActivity,
                ActivityId = OcsfActivity.HttpGet,
                DispositionId = OcsfDisposition.Allowed,
                ActionId = 1,
                Provider = CloudProvider.AlibabaCloud,
                AccountUid = "5000000000000001",
                Region = "cn-hangzhou",
                Product = LogProduct.AlibabaWaf,
                LogName = "wafnew-logstore",
                SrcIp = ip,
                SrcPort = 53211,
                DstPort = 443,
                HttpMethod = "GET",
                UrlHostname = "shop.example.com",
                UrlPath = "/products/list",
                UrlQuery = "page=2&sort=price",
                UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
                HttpRequestUid = uid,
                HttpStatus = 200,
                LatencyMs = 12,
                Raw = Encoding.UTF8.GetBytes(RawJson(uid, ip)),
            };
        }

        return logs;
    }

    public static LogRow ToRow(SecurityLog log) => new()
    {
        SourceId = log.SourceId,
        Uid = log.Uid,
        Time = log.Time,
        ReceivedAt = DateTimeOffset.UtcNow,
        ClassUid = (int)log.ClassUid,
        ActivityId = log.ActivityId,
        DispositionId = (int)log.DispositionId,
        ActionId = log.ActionId,
        Provider = log.Provider.ToString(),
        AccountUid = log.AccountUid,
        Region = log.Region,
        Product = log.Product.ToString(),
        LogName = log.LogName,
        SrcIp = log.SrcIp,
        SrcPort = log.SrcPort,
        DstPort = log.DstPort,
        HttpMethod = log.HttpMethod,
        UrlHostname = log.UrlHostname,
        UrlPath = log.UrlPath,
        UrlQuery = log.UrlQuery,
        UserAgent = log.UserAgent,
        HttpRequestUid = log.HttpRequestUid,
        HttpStatus = log.HttpStatus,
        LatencyMs = log.LatencyMs,
        Raw = Encoding.UTF8.GetString(log.Raw.Span),
    };

    private static string RawJson(string uid, string ip) =>
        $$"""{"__time__":"1740989000","__topic__":"waf_access_log","__source__":"","time":"2025-03-03T16:03:20+08:00","user_id":"5000000000000001","region":"cn","host":"shop.example.com","matched_host":"shop.example.com","request_method":"GET","request_path":"/products/list","querystring":"page=2&sort=price","request_uri":"/products/list?page=2&sort=price","real_client_ip":"{{ip}}","remote_addr":"{{ip}}","remote_port":"53211","https":"on","http_user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36","http_x_forwarded_for":"-","http_referer":"https://shop.example.com/","status":"200","upstream_status":"200","request_time_msec":"12","request_length":"411","body_bytes_sent":"5120","request_traceid":"{{uid}}","server_protocol":"HTTP/1.1","dst_port":"443"}""";
}
