using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Huawei;

/// <summary>
/// One AK/SK-signed call to a Huawei Cloud API behind the API Gateway (IAM, LTS, WAF): sent to the account's endpoint
/// or the real host with the real Host header. Error bodies (<c>{"error_code","error_msg"}</c>, or IAM's
/// <c>{"error":{"code","message"}}</c>) become <see cref="CloudApiException"/>.
/// </summary>
internal sealed class HuaweiApi(HttpClient http, CloudCredentials credentials, string region, Uri? endpoint, TimeProvider clock)
{
    public string Region => region;

    public string IamHost => $"iam.{region}.myhuaweicloud.com";

    /// <summary>KeystoneListProjects by region name: checks the credentials and finds the region's project id.</summary>
    public async Task<string?> FindProjectIdAsync(CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, IamHost, "/v3/projects", [KeyValuePair.Create("name", region)], null, null, cancellationToken);
        using var document = Json(body);
        if (document.RootElement.TryGetProperty("projects", out var projects) && projects.ValueKind == JsonValueKind.Array)
        {
            foreach (var project in projects.EnumerateArray())
            {
                return project.GetProperty("id").GetString();
            }
        }

        return null;
    }

    public async Task<byte[]> SendAsync(HttpMethod method, string host, string path, KeyValuePair<string, string>[] query, string? projectId, byte[]? content, CancellationToken cancellationToken)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            KeyValuePair.Create("Host", host),
            KeyValuePair.Create("X-Sdk-Date", HuaweiSigner.SdkDate(clock.GetUtcNow())),
        };
        if (projectId is not null)
        {
            headers.Add(KeyValuePair.Create("X-Project-Id", projectId));
        }

        var authorization = HuaweiSigner.Authorization(new SignableRequest(method.Method, path, query, headers, content ?? ReadOnlyMemory<byte>.Empty), credentials);
        using var request = new HttpRequestMessage(method, CloudHttp.RequestUri(endpoint, host, path, query));
        request.Headers.Host = host;
        foreach (var header in headers.Skip(1))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("User-Agent", CloudHttp.UserAgent);
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json;charset=UTF-8");
        }

        var response = await CloudHttp.SendAsync(http, request, CloudProvider.HuaweiCloud, host, cancellationToken);
        if ((int)response.Status is < 200 or > 299)
        {
            var (code, message) = CloudHttp.ErrorFields(response.Body, null, "error_code", "error_msg");
            if (code is null)
            {
                (code, message) = CloudHttp.ErrorFields(response.Body, "error", "code", "message");
            }

            throw new CloudApiException(CloudProvider.HuaweiCloud, (int)response.Status, code ?? $"Http{(int)response.Status}", message ?? CloudHttp.Snippet(response.Body));
        }

        return response.Body;
    }

    public static JsonDocument Json(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw new CloudApiException(CloudProvider.HuaweiCloud, 200, "InvalidResponse", $"Answer is not JSON: {CloudHttp.Snippet(body)}", exception);
        }
    }
}
