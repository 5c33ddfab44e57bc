using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Polly.Timeout;

namespace Ctdr.Infrastructure.Clouds;

/// <summary>What came back from a provider: status, headers and the whole body.</summary>
internal sealed record CloudResponse(HttpStatusCode Status, HttpResponseHeaders Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>Sending to a provider: the real Host header on whatever endpoint is configured, and transport failures as <see cref="CloudApiException"/>.</summary>
internal static class CloudHttp
{
    public const string UserAgent = "Ctdr-Connector/1.0";

    /// <summary>
    /// The request URI: the account's endpoint override (sandbox, proxy, private endpoint) when set, else
    /// https on the provider's real host. The real host always goes in the Host header.
    /// </summary>
    public static Uri RequestUri(Uri? endpoint, string realHost, string path, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var builder = new StringBuilder(path.Length + 64);
        builder.Append(EscapePath(path));
        var separator = '?';
        foreach (var parameter in query)
        {
            builder.Append(separator).Append(Uri.EscapeDataString(parameter.Key)).Append('=').Append(Uri.EscapeDataString(parameter.Value));
            separator = '&';
        }

        var root = endpoint is null ? new Uri("https://" + realHost + "/") : new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/");
        return new Uri(root, builder.ToString());
    }

    public static async Task<CloudResponse> SendAsync(HttpClient http, HttpRequestMessage request, CloudProvider provider, string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new CloudResponse(response.StatusCode, response.Headers, body);
        }
        catch (HttpRequestException exception)
        {
            throw new CloudApiException(provider, 0, "EndpointUnreachable", $"{host} could not be reached: {exception.Message}", exception);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new CloudApiException(provider, 0, "Timeout", $"{host} did not answer in time.", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudApiException(provider, 0, "Timeout", $"{host} did not answer in time.", exception);
        }
    }

    /// <summary>Two string members of a JSON error body (possibly nested under one object), or null when the body is not such JSON.</summary>
    public static (string? Code, string? Message) ErrorFields(byte[] body, string? wrapper, string codeName, string messageName)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (wrapper is not null)
            {
                foreach (var part in wrapper.Split('.'))
                {
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(part, out root))
                    {
                        return (null, null);
                    }
                }
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            return (StringOf(root, codeName), StringOf(root, messageName));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>A short, printable piece of a body that is not the expected JSON, for error messages.</summary>
    public static string Snippet(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
        return string.IsNullOrWhiteSpace(text) ? "(empty body)" : text.ReplaceLineEndings(" ");
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Null ? null : value.GetRawText()
            : null;

    private static string EscapePath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
