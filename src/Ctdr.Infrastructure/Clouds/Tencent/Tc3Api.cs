using System.Globalization;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Tencent;

/// <summary>
/// One Tencent Cloud API 3.0 call: a TC3-signed JSON POST to the account's endpoint or the service's real host
/// (<c>&lt;service&gt;.tencentcloudapi.com</c>) with the real Host header. Errors come back with HTTP 200 as
/// <c>{"Response":{"Error":{"Code","Message"}}}</c> and become <see cref="CloudApiException"/>; the answer is the
/// <c>Response</c> object.
/// </summary>
internal sealed class Tc3Api(HttpClient http, CloudCredentials credentials, string region, Uri? endpoint, TimeProvider clock, string service, string version)
{
    public string Host => $"{service}.tencentcloudapi.com";

    public async Task<JsonDocument> SendAsync(string action, Dictionary<string, object> payload, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        const string contentType = "application/json; charset=utf-8";
        var authorization = Tc3Signer.Authorization(
            new SignableRequest("POST", "/", [], [KeyValuePair.Create("Content-Type", contentType), KeyValuePair.Create("Host", Host)], body),
            credentials, service, timestamp);

        using var request = new HttpRequestMessage(HttpMethod.Post, CloudHttp.RequestUri(endpoint, Host, "/", []));
        request.Headers.Host = Host;
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("X-TC-Action", action);
        request.Headers.TryAddWithoutValidation("X-TC-Version", version);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("X-TC-Region", region);
        request.Headers.TryAddWithoutValidation("User-Agent", CloudHttp.UserAgent);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await CloudHttp.SendAsync(http, request, CloudProvider.TencentCloud, Host, cancellationToken);
        var (code, message) = CloudHttp.ErrorFields(response.Body, "Response.Error", "Code", "Message");
        if (code is not null || (int)response.Status is < 200 or > 299)
        {
            throw new CloudApiException(CloudProvider.TencentCloud, (int)response.Status, code ?? $"Http{(int)response.Status}", message ?? CloudHttp.Snippet(response.Body));
        }

        try
        {
            var document = JsonDocument.Parse(response.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Response", out _))
            {
                var inner = JsonDocument.Parse(document.RootElement.GetProperty("Response").GetRawText());
                document.Dispose();
                return inner;
            }

            document.Dispose();
        }
        catch (JsonException exception)
        {
            throw new CloudApiException(CloudProvider.TencentCloud, (int)response.Status, "InvalidResponse", $"Answer is not JSON: {CloudHttp.Snippet(response.Body)}", exception);
        }

        throw new CloudApiException(CloudProvider.TencentCloud, (int)response.Status, "InvalidResponse", $"Answer has no Response object: {CloudHttp.Snippet(response.Body)}");
    }
}
