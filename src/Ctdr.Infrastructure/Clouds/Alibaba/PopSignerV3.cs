using System.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// Alibaba Cloud POP OpenAPI signature V3 (<c>ACS3-HMAC-SHA256</c>), what the current SDKs send. The request must
/// carry <c>host</c>, <c>x-acs-action</c>, <c>x-acs-version</c>, <c>x-acs-date</c>, <c>x-acs-signature-nonce</c> and
/// <c>x-acs-content-sha256</c>: <see cref="SigningHeaders"/> makes the last four.
/// </summary>
internal static class PopSignerV3
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>The headers V3 adds before signing (besides <c>host</c>).</summary>
    public static KeyValuePair<string, string>[] SigningHeaders(string action, string version, ReadOnlySpan<byte> body, DateTimeOffset time, string nonce) =>
    [
        KeyValuePair.Create("x-acs-action", action),
        KeyValuePair.Create("x-acs-version", version),
        KeyValuePair.Create("x-acs-date", PopSignerV2.Timestamp(time)),
        KeyValuePair.Create("x-acs-signature-nonce", nonce),
        KeyValuePair.Create("x-acs-content-sha256", SigningText.Sha256Hex(body)),
    ];

    /// <summary>
    /// <c>METHOD\n path\n query\n headers\n signedHeaders\n hex(SHA256(body))</c>: query keys sorted, keys and values
    /// RFC 3986-encoded; headers <c>host</c>, <c>content-type</c> and every <c>x-acs-*</c>, lower-cased, sorted, values trimmed.
    /// </summary>
    public static string CanonicalRequest(SignableRequest request, out string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder(512);
        text.Append(request.Method).Append('\n').Append(string.IsNullOrEmpty(request.Path) ? "/" : request.Path).Append('\n');
        text.AppendJoin('&', SigningText.SortedByKey(request.Query).Select(p => SigningText.PercentEncode(p.Key) + "=" + SigningText.PercentEncode(p.Value)));
        text.Append('\n');

        var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in request.Headers)
        {
            var name = header.Key.Trim().ToLowerInvariant();
            if (name is "host" or "content-type" || name.StartsWith("x-acs-", StringComparison.Ordinal))
            {
                canonical[name] = header.Value.Trim();
            }
        }

        foreach (var header in canonical)
        {
            text.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }

        signedHeaders = string.Join(';', canonical.Keys);
        text.Append('\n').Append(signedHeaders).Append('\n');
        text.Append(request.Header("x-acs-content-sha256") ?? SigningText.Sha256Hex(request.Body.Span));
        return text.ToString();
    }

    public static string StringToSign(SignableRequest request, out string signedHeaders) =>
        $"{Algorithm}\n{SigningText.Sha256Hex(CanonicalRequest(request, out signedHeaders))}";

    public static string Authorization(SignableRequest request, CloudCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var stringToSign = StringToSign(request, out var signedHeaders);
        var signature = Convert.ToHexStringLower(SigningText.HmacSha256(Encoding.UTF8.GetBytes(credentials.AccessKeySecret), stringToSign));
        return $"{Algorithm} Credential={credentials.AccessKeyId},SignedHeaders={signedHeaders},Signature={signature}";
    }
}
