using System.Globalization;
using System.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Tencent;

/// <summary>
/// Tencent Cloud API 3.0 signature (<c>TC3-HMAC-SHA256</c>). Every header of the <see cref="SignableRequest"/> is
/// signed; the API requires at least <c>content-type</c> and <c>host</c>.
/// </summary>
internal static class Tc3Signer
{
    public const string Algorithm = "TC3-HMAC-SHA256";

    /// <summary>
    /// <c>METHOD\n /\n query\n headers\n signedHeaders\n hex(sha256(payload))</c>; header names and values
    /// lower-cased and trimmed, sorted by name. The query is percent-encoded (empty for POST).
    /// </summary>
    public static string CanonicalRequest(SignableRequest request, out string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder(512);
        text.Append(request.Method).Append('\n').Append(request.Path).Append('\n');
        text.AppendJoin('&', SigningText.SortedByKey(request.Query)
            .Select(p => SigningText.PercentEncode(p.Key) + "=" + SigningText.PercentEncode(p.Value))).Append('\n');

        var headers = request.Headers
            .Select(h => KeyValuePair.Create(h.Key.Trim().ToLowerInvariant(), h.Value.Trim().ToLowerInvariant()))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var header in headers)
        {
            text.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }

        signedHeaders = string.Join(';', headers.Select(h => h.Key));
        text.Append('\n').Append(signedHeaders).Append('\n');
        text.Append(SigningText.Sha256Hex(request.Body.Span));
        return text.ToString();
    }

    public static string Date(long timestamp) =>
        DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string StringToSign(string canonicalRequest, long timestamp, string service) =>
        $"{Algorithm}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{Date(timestamp)}/{service}/tc3_request\n{SigningText.Sha256Hex(canonicalRequest)}";

    public static string Authorization(SignableRequest request, CloudCredentials credentials, string service, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var date = Date(timestamp);
        var canonical = CanonicalRequest(request, out var signedHeaders);
        var key = SigningText.HmacSha256(Encoding.UTF8.GetBytes("TC3" + credentials.AccessKeySecret), date);
        key = SigningText.HmacSha256(key, service);
        key = SigningText.HmacSha256(key, "tc3_request");
        var signature = Convert.ToHexStringLower(SigningText.HmacSha256(key, StringToSign(canonical, timestamp, service)));
        return $"{Algorithm} Credential={credentials.AccessKeyId}/{date}/{service}/tc3_request, SignedHeaders={signedHeaders}, Signature={signature}";
    }
}
