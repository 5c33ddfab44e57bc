using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ctdr.Application.Common;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Endpoints;

public sealed class PushIngestionTests : IAsyncLifetime, IDisposable
{
    private const string GoodRecords = """
        [
          {"class_uid":2004,"activity_id":1,"time":1740989000000,"severity_id":4,"message":"Malware detected on web-01","metadata":{"uid":"edr-1","product":{"name":"EDR"}},"src_endpoint":{"ip":"203.0.113.7"}},
          {"class_uid":2004,"activity_id":1,"time":"2025-03-03T08:05:00Z","severity_id":3,"message":"Suspicious PowerShell","metadata":{"uid":"edr-2","product":{"name":"EDR"}},"src_endpoint":{"ip":"198.51.100.4"}},
          {"class_uid":9999,"metadata":{"uid":"edr-3"}}
        ]
        """;

    private readonly PushFactory _factory = new();
    private long _sourceId;
    private string _key = string.Empty;

    public async Task InitializeAsync()
    {
        await _factory.AdministratorAsync();
        (_sourceId, _key) = await _factory.CreatePushSourceAsync();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    private HttpRequestMessage Post(string body, string? key, string contentType = "application/json", long? sourceId = null) =>
        new(HttpMethod.Post, new Uri($"/api/ingest/{sourceId ?? _sourceId}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
            Headers = { Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key) },
        };

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using var client = _factory.CreateClient();
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    [Fact]
    public async Task Push_IsRefusedWith401_WhenTheKeyIsMissingWrongOrForAnotherSource()
    {
        using var client = _factory.CreateClient();
        using var missing = await client.SendAsync(Post(GoodRecords, null));
        var (wrong, wrongBody) = await SendAsync(Post(GoodRecords, _key + "x"));
        var (otherSource, otherBody) = await SendAsync(Post(GoodRecords, _key, sourceId: _sourceId + 100));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal("The API key is not valid for this source.", wrongBody.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, otherSource);
        Assert.Equal("The API key is not valid for this source.", otherBody.GetProperty("detail").GetString());
        Assert.Equal(0, await _factory.StoredAsync());
    }

    [Fact]
    public async Task Push_Accepts_AGoodBatch_AndQuarantinesTheRecordItCannotNormalise()
    {
        var (status, body) = await SendAsync(Post(GoodRecords, _key));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        Assert.Equal(1, body.GetProperty("reasons").GetArrayLength());
        Assert.Equal(2, await _factory.StoredAsync());
        Assert.Equal(1, await _factory.QuarantinedAsync());

        // The same batch again: nothing new is stored, nothing is lost.
        var (again, againBody) = await SendAsync(Post(GoodRecords, _key));
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(2, againBody.GetProperty("accepted").GetInt32());
        Assert.Equal(2, await _factory.StoredAsync());
    }

    [Fact]
    public async Task Push_AcceptsNdjsonAndGzip()
    {
        const string ndjson = """
            {"class_uid":2004,"activity_id":1,"time":1740989000000,"severity_id":4,"metadata":{"uid":"nd-1"},"src_endpoint":{"ip":"203.0.113.7"}}
            {"class_uid":2004,"activity_id":1,"time":1740989001000,"severity_id":4,"metadata":{"uid":"nd-2"},"src_endpoint":{"ip":"203.0.113.8"}}
            """;
        var (ndStatus, ndBody) = await SendAsync(Post(ndjson, _key, "application/x-ndjson"));

        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(GoodRecords));
        }

        var request = Post(string.Empty, _key);
        request.Content = new ByteArrayContent(compressed.ToArray());
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        var (gzStatus, gzBody) = await SendAsync(request);

        Assert.Equal((HttpStatusCode.Accepted, 2), (ndStatus, ndBody.GetProperty("accepted").GetInt32()));
        Assert.Equal((HttpStatusCode.Accepted, 2, 1), (gzStatus, gzBody.GetProperty("accepted").GetInt32(), gzBody.GetProperty("rejected").GetInt32()));
        Assert.Equal(4, await _factory.StoredAsync());
    }

    [Theory]
    [InlineData("{\"class_uid\": 2004", "application/json", "The body is not valid JSON:")]
    [InlineData("\"just a string\"", "application/json", "The body must be a JSON array of records (or NDJSON).")]
    [InlineData("   ", "application/json", "The body is empty; send a JSON array of records or NDJSON.")]
    [InlineData("[]", "application/json", "The body holds no records.")]
    [InlineData("{\"a\":1}\n[1,2]", "application/x-ndjson", "Line 2 is not a JSON object.")]
    public async Task Push_IsRefusedWith400AndAReason_WhenTheBodyIsMalformed(string body, string contentType, string reason)
    {
        var (status, problem) = await SendAsync(Post(body, _key, contentType));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await _factory.StoredAsync());
    }

    [Fact]
    public async Task Push_IsRefusedWith400_WhenJsonIsNestedTooDeeply()
    {
        var deep = "[" + new string('[', 100) + new string(']', 100) + "]";

        var (status, problem) = await SendAsync(Post(deep, _key));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("The body is not valid JSON:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_IsRefusedWith413_WhenTheBodyIsTooLarge()
    {
        var large = "[" + string.Join(",", Enumerable.Repeat("{\"class_uid\":2004}", 200)) + "]";

        var (status, problem) = await SendAsync(Post(large, _key));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("The body is larger than 2048 bytes; send smaller batches.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Push_IsThrottledWith429_AfterTheBurst()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await SendAsync(Post("[{\"class_uid\":9999}]", _key))).Status);
        }

        // Two requests per window of an hour, burst of four: the fifth is throttled.
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Push_IsRefusedWith409_WhenTheSourceIsPaused()
    {
        await _factory.PauseAsync(_sourceId);

        var (status, problem) = await SendAsync(Post(GoodRecords, _key));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("The source is paused; resume it to accept records.", problem.GetProperty("detail").GetString());
    }

    private sealed class PushFactory : CtdrWebFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Ingestion:Push:MaxBodyBytes", "2048");
            builder.UseSetting("Ingestion:Push:MaxDecompressedBytes", "65536");
            builder.UseSetting("Ingestion:Push:RateLimitRequests", "2");
            builder.UseSetting("Ingestion:Push:RateLimitWindow", "01:00:00");
        }

        public async Task<(long Id, string Key)> CreatePushSourceAsync()
        {
            var (key, hash, prefix) = PushKeys.Create();
            await using var db = await Services.GetRequiredService<ICtdrDbFactory>().CreateAsync();
            var source = LogSource.CreatePushed(null, LogProduct.ThirdPartyOcsf, "EDR alerts", hash, prefix, DateTimeOffset.UtcNow);
            db.LogSources.Add(source);
            await db.SaveChangesAsync();
            return (source.Id, key);
        }

        public async Task PauseAsync(long id)
        {
            await using var db = await Services.GetRequiredService<ICtdrDbFactory>().CreateAsync();
            var source = await db.LogSources.SingleAsync(s => s.Id == id);
            source.Pause();
            await db.SaveChangesAsync();
        }

        public async Task<int> StoredAsync()
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
            return await db.SecurityLogs.CountAsync();
        }

        public async Task<int> QuarantinedAsync()
        {
            await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
            return await db.QuarantinedRecords.CountAsync();
        }
    }
}
