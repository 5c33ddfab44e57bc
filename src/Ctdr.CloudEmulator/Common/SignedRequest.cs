namespace Ctdr.CloudEmulator.Common;

/// <summary>
/// What a signature covers, as the server received it: method, path (as sent, still percent-encoded), the
/// decoded query parameters in arrival order, the headers and the body. The verifiers recompute signatures from
/// this, so the same code checks a live HTTP request and a published test vector.
/// </summary>
internal sealed record SignedRequest(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public static async Task<SignedRequest> FromHttpAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        request.Body.Position = 0;

        var raw = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        var path = request.Path.Value ?? "/";
        var rawQuery = request.QueryString.Value ?? string.Empty;
        if (!string.IsNullOrEmpty(raw) && raw.StartsWith('/'))
        {
            var q = raw.IndexOf('?', StringComparison.Ordinal);
            path = q < 0 ? raw : raw[..q];
            rawQuery = q < 0 ? string.Empty : raw[q..];
        }

        var query = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(rawQuery))
        {
            foreach (var value in values)
            {
                query.Add(new(key, value ?? string.Empty));
            }
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in request.Headers)
        {
            headers.Add(new(key, values.ToString()));
        }

        return new SignedRequest(request.Method, path, query, headers, buffer.ToArray());
    }
}
