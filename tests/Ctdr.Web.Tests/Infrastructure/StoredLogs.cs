using System.Text;
using Ctdr.Application.Accounts;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>Puts records into the context's database the way ingestion does: a pushed source, then the real log store's append.</summary>
public static class StoredLogs
{
    public static async Task<long> CreatePushedSourceAsync(IServiceProvider services, string name)
    {
        var (result, id, _) = await services.GetRequiredService<LogSourceAdministration>().CreatePushSourceAsync(name, null);
        Assert.True(result.Succeeded, string.Join(" ", result.AllMessages()));
        return id!.Value;
    }

    /// <summary>Appends <paramref name="logs"/> for <paramref name="sourceId"/>, received now, metered as <paramref name="bytes"/>.</summary>
    public static async Task AppendAsync(IServiceProvider services, long sourceId, IReadOnlyList<SecurityLog> logs, long bytes)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var batch = new LogBatch(sourceId, null, null, [.. logs.Select(l => l with { SourceId = sourceId })], [], bytes, now);
        var appended = await services.GetRequiredService<ILogStore>().AppendAsync(batch, CancellationToken.None);
        Assert.Equal(new AppendResult(true, logs.Count, 0, 0), appended);
    }

    /// <summary>A WAF access record of a pushed third-party source, with its raw JSON.</summary>
    public static SecurityLog HttpRecord(string uid, DateTimeOffset time, string path, string? query = null, string srcIp = "203.0.113.7") => new()
    {
        Uid = uid,
        Time = time,
        ClassUid = OcsfClass.HttpActivity,
        ActivityId = OcsfActivity.HttpGet,
        DispositionId = OcsfDisposition.Blocked,
        Provider = CloudProvider.Other,
        Product = LogProduct.ThirdPartyOcsf,
        SrcIp = srcIp,
        HttpMethod = "GET",
        UrlHostname = "shop.example.com",
        UrlPath = path,
        UrlQuery = query,
        HttpStatus = 403,
        UserAgent = "curl/8.5.0",
        Raw = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { uid, path, query, status = 403 })),
    };
}
