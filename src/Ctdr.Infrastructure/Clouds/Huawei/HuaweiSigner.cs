using System.Globalization;
using System.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Huawei;

/// <summary>
/// Huawei Cloud API Gateway AK/SK signing (<c>SDK-HMAC-SHA256</c>). Every header of the
/// <see cref="SignableRequest"/> is signed (the caller passes <c>Host</c>, <c>X-Sdk-Date</c> and whichever else it
/// wants covered); the request must carry <c>X-Sdk-Date</c> (<c>yyyyMMddTHHmmssZ</c>).
/// </summary>
internal static class HuaweiSigner
{
    public const string Algorithm = "SDK-HMAC-SHA256";

    public static string SdkDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>METHOD\n URI\n query\n headers\n signedHeaders\n hex(sha256(body))</c>: the URI's segments
    /// percent-encoded and ending in "/", query keys and values percent-encoded and sorted, header names lower-cased
    /// and sorted, values trimmed.
    /// </summary>
    public static string CanonicalRequest(SignableRequest request, out string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder(512);
        text.Append(request.Method).Append('\n');

        var uri = string.Join('/', request.Path.Split('/').Select(SigningText.PercentEncode));
        text.Append(uri);
        if (!uri.EndsWith('/'))
        {
            text.Append('/');
        }

        text.Append('\n');
        var query = request.Query
            .Select(p => KeyValuePair.Create(SigningText.PercentEncode(p.Key), SigningText.PercentEncode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        text.AppendJoin('&', query.Select(p => p.Key + "=" + p.Value)).Append('\n');

        var headers = request.Headers
            .Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value.Trim()))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var header in headers)
        {
            text.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }

        signedHeaders = string.Join(';', headers.Select(h => h.Key).Distinct(StringComparer.Ordinal));
        text.Append('\n').Append(signedHeaders).Append('\n');
        text.Append(SigningText.Sha256Hex(request.Body.Span));
        return text.ToString();
    }

    public static string StringToSign(string canonicalRequest, string sdkDate) =>
        $"{Algorithm}\n{sdkDate}\n{SigningText.Sha256Hex(canonicalRequest)}";

    public static string Authorization(SignableRequest request, CloudCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var sdkDate = request.Header("X-Sdk-Date")
            ?? throw new ArgumentException("The request has no X-Sdk-Date header.", nameof(request));
        var canonical = CanonicalRequest(request, out var signedHeaders);
        var signature = Convert.ToHexStringLower(
            SigningText.HmacSha256(Encoding.UTF8.GetBytes(credentials.AccessKeySecret), StringToSign(canonical, sdkDate)));
        return $"{Algorithm} Access={credentials.AccessKeyId}, SignedHeaders={signedHeaders}, Signature={signature}";
    }
}
