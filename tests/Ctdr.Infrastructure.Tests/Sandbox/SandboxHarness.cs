using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ctdr.CloudEmulator;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Infrastructure.Tests.Sandbox;

/// <summary>
/// A sandbox cloud on a free port with a fake clock and no background traffic, plus a client that signs requests
/// the way the providers document it. The signing code here is written for the tests, from the providers'
/// documentation, independently of the sandbox's verifiers and of the product's connectors.
/// </summary>
public sealed class SandboxHarness : IAsyncDisposable
{
    /// <summary>2025-03-03 08:00:00 UTC, the time of the published GetLogs vector.</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    public static readonly AlibabaSandboxAccount Ali = SandboxAccounts.Alibaba;
    public static readonly string WafProject = Ali.LogStores[0].Project;
    public static readonly string WafLogStore = Ali.LogStores[0].LogStore;
    public static readonly string WafHost = $"{WafProject}.cn-hangzhou.log.aliyuncs.com";

    private SandboxHarness(SandboxCloud cloud, FakeTimeProvider clock)
    {
        Cloud = cloud;
        Clock = clock;
        Http = new HttpClient { BaseAddress = cloud.BaseAddress };
    }

    public SandboxCloud Cloud { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxHarness> StartAsync(int seed = 7, int maxRecords = 200_000, TimeSpan? scenarioEvery = null)
    {
        var clock = new FakeTimeProvider(Start);
        var cloud = await SandboxCloud.StartAsync(new SandboxOptions
        {
            Url = "http://127.0.0.1:0",
            Clock = clock,
            Seed = seed,
            GenerateTraffic = false,
            MaxRecordsPerLogStore = maxRecords,

            // Tests start the scenarios they need; the demo schedule has a test of its own.
            ScenarioEvery = scenarioEvery ?? TimeSpan.Zero,
        });
        return new SandboxHarness(cloud, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Cloud.DisposeAsync();
    }

    // ---------------------------------------------------------------- control API

    public async Task<JsonElement> ControlAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> GenerateAsync(string stream, int count, string? scenario = null, int? seed = null) =>
        ControlAsync(HttpMethod.Post, "/_sandbox/generate", new { stream, count, scenario, seed });

    // ---------------------------------------------------------------- Alibaba SLS

    public static string Rfc822(DateTimeOffset time) => time.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);

    /// <summary>A GET on the SLS data plane signed with V1: the SDKs' headers, the canonical headers and resource of the documentation.</summary>
    public Task<HttpResponseMessage> SlsV1Async(
        string host,
        string path,
        IReadOnlyDictionary<string, string>? query = null,
        string? accessKeyId = null,
        string? secret = null,
        DateTimeOffset? date = null,
        string? acceptEncoding = null)
    {
        query ??= new Dictionary<string, string>();
        var dateText = Rfc822(date ?? Clock.GetUtcNow());
        var logHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["x-log-apiversion"] = "0.6.0",
            ["x-log-bodyrawsize"] = "0",
            ["x-log-signaturemethod"] = "hmac-sha1",
        };
        var resource = path + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Key + "=" + q.Value)));
        var stringToSign = "GET\n\n\n" + dateText + "\n" + string.Concat(logHeaders.Select(h => h.Key + ":" + h.Value + "\n")) + resource;
#pragma warning disable CA5350 // SLS signature V1 is HMAC-SHA1 by definition.
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret ?? Ali.FullAccess.AccessKeySecret), Encoding.UTF8.GetBytes(stringToSign)));
#pragma warning restore CA5350

        var request = new HttpRequestMessage(HttpMethod.Get, path + QueryString(query));
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("Date", dateText);
        foreach (var (name, value) in logHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"LOG {accessKeyId ?? Ali.FullAccess.AccessKeyId}:{signature}");
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return SendAndDisposeAsync(request);
    }

    /// <summary>A GET on the SLS data plane signed with V4 (SLS4-HMAC-SHA256), region cn-hangzhou.</summary>
    public Task<HttpResponseMessage> SlsV4Async(string host, string path, IReadOnlyDictionary<string, string>? query = null, string? secret = null)
    {
        query ??= new Dictionary<string, string>();
        var now = Clock.GetUtcNow().UtcDateTime;
        var dateTime = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = dateTime[..8];
        const string emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        var signedHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-log-apiversion"] = "0.6.0",
            ["x-log-bodyrawsize"] = "0",
            ["x-log-content-sha256"] = emptyHash,
            ["x-log-date"] = dateTime,
        };
        var canonicalQuery = string.Join('&', query.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Value.Length == 0 ? q.Key : q.Key + "=" + Uri.EscapeDataString(q.Value)));
        var canonical = $"GET\n{path}\n{canonicalQuery}\n{string.Concat(signedHeaders.Select(h => h.Key + ":" + h.Value + "\n"))}\n{string.Join(';', signedHeaders.Keys)}\n{emptyHash}";
        var scope = $"{day}/cn-hangzhou/sls/aliyun_v4_request";
        var stringToSign = $"SLS4-HMAC-SHA256\n{dateTime}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("aliyun_v4" + (secret ?? Ali.FullAccess.AccessKeySecret)), day);
        key = Hmac(key, "cn-hangzhou");
        key = Hmac(key, "sls");
        key = Hmac(key, "aliyun_v4_request");

        var request = new HttpRequestMessage(HttpMethod.Get, path + QueryString(query));
        request.Headers.Host = host;
        foreach (var (name, value) in signedHeaders.Where(h => h.Key != "host"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"SLS4-HMAC-SHA256 Credential={Ali.FullAccess.AccessKeyId}/{scope},Signature={Hex(Hmac(key, stringToSign))}");
        return SendAndDisposeAsync(request);
    }

    public static string EncodeCursor(long offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    // ---------------------------------------------------------------- Huawei LTS

    public Task<HttpResponseMessage> LtsQueryAsync(string streamId, object body, string? accessKey = null, string? secretKey = null, DateTimeOffset? date = null)
    {
        var hw = SandboxAccounts.Huawei;
        var path = $"/v2/{hw.ProjectId}/groups/{hw.WafLogGroup.LogGroupId}/streams/{streamId}/content/query";
        var json = JsonSerializer.Serialize(body);
        const string host = "lts.cn-north-4.myhuaweicloud.com";
        var sdkDate = (date ?? Clock.GetUtcNow()).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var canonical = $"POST\n{path}/\n\nhost:{host}\nx-sdk-date:{sdkDate}\n\nhost;x-sdk-date\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(json)))}";
        var stringToSign = $"SDK-HMAC-SHA256\n{sdkDate}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = Hex(Hmac(Encoding.UTF8.GetBytes(secretKey ?? hw.Key.AccessKeySecret), stringToSign));

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("X-Sdk-Date", sdkDate);
        request.Headers.TryAddWithoutValidation("Authorization", $"SDK-HMAC-SHA256 Access={accessKey ?? hw.Key.AccessKeyId}, SignedHeaders=host;x-sdk-date, Signature={signature}");
        return SendAndDisposeAsync(request);
    }

    // ---------------------------------------------------------------- Tencent CLS

    public Task<HttpResponseMessage> ClsAsync(string action, object body, string? secretId = null, string? secretKey = null, DateTimeOffset? time = null, string region = "ap-guangzhou")
    {
        var tc = SandboxAccounts.Tencent;
        var json = JsonSerializer.Serialize(body);
        const string host = "cls.tencentcloudapi.com";
        const string contentType = "application/json; charset=utf-8";
        var timestamp = (time ?? Clock.GetUtcNow()).ToUnixTimeSeconds();
        var day = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var canonical = $"POST\n/\n\ncontent-type:{contentType}\nhost:{host}\n\ncontent-type;host\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(json)))}";
        var stringToSign = $"TC3-HMAC-SHA256\n{timestamp}\n{day}/cls/tc3_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("TC3" + (secretKey ?? tc.Key.AccessKeySecret)), day);
        key = Hmac(key, "cls");
        key = Hmac(key, "tc3_request");

        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("X-TC-Action", action);
        request.Headers.TryAddWithoutValidation("X-TC-Version", "2020-10-16");
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("X-TC-Region", region);
        request.Headers.TryAddWithoutValidation("Authorization", $"TC3-HMAC-SHA256 Credential={secretId ?? tc.Key.AccessKeyId}/{day}/cls/tc3_request, SignedHeaders=content-type;host, Signature={Hex(Hmac(key, stringToSign))}");
        return SendAndDisposeAsync(request);
    }

    // ---------------------------------------------------------------- helpers

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] Hmac(byte[] key, string message) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));

    private static string QueryString(IReadOnlyDictionary<string, string> query) =>
        query.Count == 0 ? string.Empty : "?" + string.Join('&', query.Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value)));

    private async Task<HttpResponseMessage> SendAndDisposeAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await Http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }
    }
}

/// <summary>A log of a decoded <c>LogGroupList</c>, with its group's topic and source.</summary>
public sealed record PulledLog(uint Time, string Topic, string Source, IReadOnlyList<KeyValuePair<string, string>> Contents)
{
    public string? this[string key] => Contents.FirstOrDefault(c => c.Key == key).Value;
}

/// <summary>Reads the SLS protobuf payload (log_logs.proto field numbers) with the bare wire reader.</summary>
public static class LogGroupListReader
{
    public static List<PulledLog> Read(byte[] payload)
    {
        var logs = new List<PulledLog>();
        var input = new CodedInputStream(payload);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1)
            {
                input.SkipLastField();
                continue;
            }

            var group = input.ReadBytes().ToByteArray();
            var groupInput = new CodedInputStream(group);
            var topic = string.Empty;
            var source = string.Empty;
            var groupLogs = new List<(uint Time, List<KeyValuePair<string, string>> Contents)>();
            while ((tag = groupInput.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        groupLogs.Add(ReadLog(groupInput.ReadBytes().ToByteArray()));
                        break;
                    case 3:
                        topic = groupInput.ReadString();
                        break;
                    case 4:
                        source = groupInput.ReadString();
                        break;
                    default:
                        groupInput.SkipLastField();
                        break;
                }
            }

            logs.AddRange(groupLogs.Select(l => new PulledLog(l.Time, topic, source, l.Contents)));
        }

        return logs;
    }

    private static (uint Time, List<KeyValuePair<string, string>> Contents) ReadLog(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        uint time = 0;
        var contents = new List<KeyValuePair<string, string>>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    time = input.ReadUInt32();
                    break;
                case 2:
                    var content = new CodedInputStream(input.ReadBytes().ToByteArray());
                    string key = string.Empty, value = string.Empty;
                    uint contentTag;
                    while ((contentTag = content.ReadTag()) != 0)
                    {
                        if (WireFormat.GetTagFieldNumber(contentTag) == 1)
                        {
                            key = content.ReadString();
                        }
                        else if (WireFormat.GetTagFieldNumber(contentTag) == 2)
                        {
                            value = content.ReadString();
                        }
                        else
                        {
                            content.SkipLastField();
                        }
                    }

                    contents.Add(new(key, value));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (time, contents);
    }
}
