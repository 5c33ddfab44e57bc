using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Microsoft.Extensions.Options;

namespace Ctdr.Web.Endpoints;

/// <summary>Limits of <c>POST /api/ingest/{sourceId}</c>.</summary>
public sealed class PushOptions
{
    public const string SectionName = "Ingestion:Push";

    /// <summary>Largest request body accepted (compressed, as sent).</summary>
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest body after decompression (guards against compression bombs).</summary>
    public long MaxDecompressedBytes { get; set; } = 50 * 1024 * 1024;

    public int MaxRecordsPerRequest { get; set; } = 10_000;

    /// <summary>Requests allowed per source and key in each <see cref="RateLimitWindow"/> (token bucket), with twice that as burst.</summary>
    public int RateLimitRequests { get; set; } = 20;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Push ingestion for third-party security products: records as a JSON array or NDJSON (optionally gzip),
/// authenticated by the source's API key (<c>Authorization: Bearer ctdr_…</c>), answered with what was accepted.
/// </summary>
internal static class IngestEndpoints
{
    public const string RateLimitPolicy = "push-ingest";

    public static IServiceCollection AddPushIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PushOptions>().Bind(configuration.GetSection(PushOptions.SectionName))
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxDecompressedBytes >= o.MaxBodyBytes && o.MaxRecordsPerRequest > 0 && o.RateLimitRequests > 0 && o.RateLimitWindow > TimeSpan.Zero, "Ingestion:Push limits must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var window = context.HttpContext.RequestServices.GetRequiredService<IOptions<PushOptions>>().Value.RateLimitWindow;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(window.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<PushOptions>>().Value;
                // Per source and presented key: requests with wrong keys cannot use up the budget of the real one.
                var partition = $"{context.Request.RouteValues["sourceId"]}:{context.Request.Headers.Authorization}";
                return RateLimitPartition.GetTokenBucketLimiter(
                    partition,
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.RateLimitRequests * 2,
                        TokensPerPeriod = limits.RateLimitRequests,
                        ReplenishmentPeriod = limits.RateLimitWindow,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIngestEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/ingest/{sourceId:long}", IngestAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(long.MaxValue));
        return endpoints;
    }

    private static async Task<IResult> IngestAsync(long sourceId, HttpContext context, LogIngestion ingestion, IOptions<PushOptions> options)
    {
        var limits = options.Value;
        var key = BearerKey(context.Request);
        if (key is null)
        {
            return Unauthorized(context, "Send the source's API key as 'Authorization: Bearer <key>'.");
        }

        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limits.MaxBodyBytes} bytes; send smaller batches.");
        }

        var (body, readError) = await ReadBodyAsync(context.Request, limits, context.RequestAborted);
        if (readError is not null)
        {
            return readError;
        }

        var (records, parseError) = Parse(body!, context.Request.ContentType, limits.MaxRecordsPerRequest);
        if (parseError is not null)
        {
            return Problem(StatusCodes.Status400BadRequest, parseError);
        }

        var (refusal, report) = await ingestion.PushAsync(sourceId, key, records!, body!.Length, context.RequestAborted);
        return refusal switch
        {
            // An unknown source and a wrong key look the same: the answer does not reveal which sources exist.
            PushRefusal.UnknownSource or PushRefusal.BadKey => Unauthorized(context, "The API key is not valid for this source."),
            PushRefusal.NotAccepting => Problem(StatusCodes.Status409Conflict, "The source is paused; resume it to accept records."),
            _ => Results.Json(new { accepted = report!.Accepted, rejected = report.Rejected, reasons = report.Reasons }, statusCode: StatusCodes.Status202Accepted),
        };
    }

    private static string? BearerKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length ? header[scheme.Length..].Trim() : null;
    }

    private static async Task<(byte[]? Body, IResult? Error)> ReadBodyAsync(HttpRequest request, PushOptions limits, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{encoding}' is not supported; send gzip or no encoding."));
        }

        await using var limited = new LimitedStream(request.Body, limits.MaxBodyBytes);
        await using var source = gzip ? new GZipStream(limited, CompressionMode.Decompress) : (Stream)limited;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limits.MaxDecompressedBytes)
                {
                    return (null, Problem(StatusCodes.Status413PayloadTooLarge, $"The records are larger than {limits.MaxDecompressedBytes} bytes once decompressed; send smaller batches."));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (LimitedStream.TooLargeException)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limits.MaxBodyBytes} bytes; send smaller batches."));
        }
        catch (InvalidDataException)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "The body is not valid gzip."));
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>A JSON array of objects, or NDJSON (one object per line); each record keeps its own bytes.</summary>
    internal static (IReadOnlyList<RawRecord>? Records, string? Error) Parse(byte[] body, string? contentType, int maxRecords)
    {
        var text = body.AsSpan();
        if (text.StartsWith(Encoding.UTF8.Preamble))
        {
            text = text[Encoding.UTF8.Preamble.Length..];
        }

        var trimmed = text.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return (null, "The body is empty; send a JSON array of records or NDJSON.");
        }

        var ndjson = contentType?.Contains("ndjson", StringComparison.OrdinalIgnoreCase) == true || (trimmed[0] == (byte)'{');
        var records = new List<RawRecord>();
        var options = new JsonDocumentOptions { MaxDepth = 32 };
        try
        {
            if (ndjson)
            {
                var line = 0;
                foreach (var range in trimmed.Split((byte)'\n'))
                {
                    line++;
                    var piece = trimmed[range].Trim(" \t\r"u8);
                    if (piece.IsEmpty)
                    {
                        continue;
                    }

                    if (records.Count >= maxRecords)
                    {
                        return (null, $"At most {maxRecords} records per request.");
                    }

                    using var document = JsonDocument.Parse(piece.ToArray(), options);
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return (null, $"Line {line} is not a JSON object.");
                    }

                    records.Add(new RawRecord(piece.ToArray(), null));
                }
            }
            else
            {
                using var document = JsonDocument.Parse(trimmed.ToArray(), options);
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    return (null, "The body must be a JSON array of records (or NDJSON).");
                }

                if (document.RootElement.GetArrayLength() > maxRecords)
                {
                    return (null, $"At most {maxRecords} records per request.");
                }

                foreach (var element in document.RootElement.EnumerateArray())
                {
                    // Non-objects are kept as records: the normaliser rejects them with a reason (quarantine).
                    records.Add(new RawRecord(Encoding.UTF8.GetBytes(element.GetRawText()), null));
                }
            }
        }
        catch (JsonException failure)
        {
            return (null, $"The body is not valid JSON: {failure.Message}");
        }

        return records.Count == 0 ? (null, "The body holds no records.") : (records, null);
    }

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problem(StatusCodes.Status401Unauthorized, detail);
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    /// <summary>Reads at most a given number of bytes from the request body, whatever Content-Length claimed.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _read += read;
            return _read > limit ? throw new TooLargeException() : read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public sealed class TooLargeException : IOException
        {
            public TooLargeException()
                : base("The request body is too large.")
            {
            }
        }
    }
}
