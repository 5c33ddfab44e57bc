using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Benchmarks;

/// <summary>
/// K1: normalising provider JSON (~0.8–1.1 KB Alibaba WAF 3.0 rows) into <see cref="SecurityLog"/>. Ours: the
/// product's WAF normaliser (one forward pass with <see cref="Utf8JsonReader"/>). Baseline: the obvious way —
/// parse a <see cref="JsonDocument"/> and look each field up. One operation is one record, over 1 000 distinct rows.
/// </summary>
[InProcess]
[MemoryDiagnoser]
public class NormalizeBenchmarks
{
    private const int Rows = 1000;

    private readonly RawRecord[] _records = new RawRecord[Rows];
    private readonly LogContext _context = new(1, CloudProvider.AlibabaCloud, "5000000000000001", "cn-hangzhou", "wafnew-logstore");
    private ILogNormalizer _normalizer = default!;
    private ServiceProvider _services = default!;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ctdr:DataDirectory"] = Path.GetTempPath(),
            ["Jobs:Storage"] = "InMemory",
            ["Jobs:RunServer"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInfrastructure(configuration, Path.GetTempPath());
        _services = services.BuildServiceProvider();
        _normalizer = _services.GetRequiredService<LogNormalizers>().For(LogProduct.AlibabaWaf);
        for (var i = 0; i < Rows; i++)
        {
            _records[i] = new RawRecord(Encoding.UTF8.GetBytes(WafRow(i)), $"0:cursor:{i / 10}:{i % 10}");
        }

        if (!_normalizer.TryNormalize(_records[0], _context, out _, out var rejection))
        {
            throw new InvalidOperationException("The sample row does not normalise: " + rejection);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "JsonDocument + lookups")]
    public int JsonDocumentLookups()
    {
        var ok = 0;
        foreach (var record in _records)
        {
            ok += DomNormalize(record.Json, _context) is null ? 0 : 1;
        }

        return ok;
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "Product WAF normaliser (Utf8JsonReader)")]
    public int ProductNormalizer()
    {
        var ok = 0;
        foreach (var record in _records)
        {
            ok += _normalizer.TryNormalize(record, _context, out _, out _) ? 1 : 0;
        }

        return ok;
    }

    private static SecurityLog? DomNormalize(ReadOnlyMemory<byte> json, LogContext context)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        int? Int(string name) => int.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        if (!DateTimeOffset.TryParse(Text("time"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        var blocked = Text("final_action") == "block";
        var method = Text("request_method");
        return new SecurityLog
        {
            SourceId = context.SourceId,
            Uid = Text("request_traceid") ?? string.Empty,
            Time = time.ToUniversalTime(),
            ClassUid = OcsfClass.HttpActivity,
            ActivityId = method is null ? OcsfActivity.Other : OcsfActivity.FromHttpMethod(method),
            SeverityId = blocked ? OcsfSeverity.Medium : OcsfSeverity.Informational,
            DispositionId = blocked ? OcsfDisposition.Blocked : OcsfDisposition.Allowed,
            Provider = context.Provider,
            AccountUid = Text("user_id"),
            Region = context.Region,
            Product = LogProduct.AlibabaWaf,
            LogName = context.LogName,
            SrcIp = Text("real_client_ip"),
            SrcPort = Int("remote_port"),
            DstPort = Int("dst_port"),
            DstHostname = Text("matched_host"),
            HttpMethod = method,
            UrlHostname = Text("host"),
            UrlPath = Text("request_path"),
            UrlQuery = Text("querystring"),
            UserAgent = Text("http_user_agent"),
            XForwardedFor = Text("http_x_forwarded_for"),
            HttpRequestUid = Text("request_traceid"),
            HttpStatus = Int("status"),
            LatencyMs = Int("request_time_msec"),
            FirewallRuleUid = Text("final_rule_id"),
            FirewallRuleType = Text("final_rule_type"),
            Raw = json,
        };
    }

    private static string WafRow(int i)
    {
        var attack = i % 10 == 0;
        var ip = attack ? "203.0.113.7" : $"198.51.100.{i % 250}";
        var query = attack ? "id=1%20union%20select%201,2" : $"page={i % 7}&sort=price";
        var action = attack ? "\"final_action\":\"block\",\"final_plugin\":\"waf\",\"final_rule_id\":\"115341\",\"final_rule_type\":\"sqli\",\"waf_action\":\"block\",\"waf_rule_id\":\"115341\",\"waf_rule_type\":\"sqli\",\"waf_test\":\"false\"," : string.Empty;
        var agent = attack ? "sqlmap/1.7.2#stable (https://sqlmap.org)" : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
        return $$"""{"__time__":"1740989000","__topic__":"waf_access_log","__source__":"","time":"2025-03-03T16:03:{{i % 60:D2}}+08:00","user_id":"5000000000000001","region":"cn","host":"shop.example.com","matched_host":"shop.example.com","request_method":"{{(i % 3 == 0 ? "POST" : "GET")}}","request_path":"/products/{{i % 40}}","querystring":"{{query}}","request_uri":"/products/{{i % 40}}?{{query}}","real_client_ip":"{{ip}}","remote_addr":"{{ip}}","remote_port":"{{50000 + i % 10000}}","https":"on","http_user_agent":"{{agent}}","http_x_forwarded_for":"-","http_referer":"https://shop.example.com/","status":"{{(attack ? 405 : 200)}}","upstream_status":"200","request_time_msec":"{{i % 50}}","request_length":"411","body_bytes_sent":"5120","request_traceid":"781bad06174098900{{i:D13}}","server_protocol":"HTTP/1.1","dst_port":"443",{{action}}"content_type":"text/html"}""";
    }
}
