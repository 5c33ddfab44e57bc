using System.Net;
using System.Text;

namespace Ctdr.Infrastructure.Tests.Clouds;

/// <summary>A request as the stub saw it.</summary>
public sealed record CapturedRequest(string Method, Uri Uri, string? Host, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Path => Uri.AbsolutePath;

    public IReadOnlyDictionary<string, string> Query =>
        Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.Ordinal);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>An in-test cloud: records every request and answers with the canned response the test chooses.</summary>
public sealed class StubCloud(Func<CapturedRequest, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<CapturedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }
        }

        var captured = new CapturedRequest(request.Method.Method, request.RequestUri!, request.Headers.Host, headers, body);
        Requests.Add(captured);
        return answer(captured);
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Bytes(byte[] body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

public sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}
