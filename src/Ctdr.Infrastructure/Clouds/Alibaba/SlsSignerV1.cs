using System.Security.Cryptography;
using System.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// Simple Log Service signature V1 (<c>Authorization: LOG &lt;AccessKeyId&gt;:&lt;signature&gt;</c>, HMAC-SHA1), what the
/// SDKs send by default. The request must already carry <c>Date</c>, and <c>Content-MD5</c>/<c>Content-Type</c> when it
/// has a body.
/// </summary>
internal static class SlsSignerV1
{
    /// <summary>
    /// <c>VERB\n Content-MD5\n Content-Type\n Date\n</c>, then every <c>x-log-*</c>/<c>x-acs-*</c> header as
    /// <c>name:value\n</c> sorted by name, then the path with the query (keys sorted, values as they are, not encoded).
    /// </summary>
    public static string StringToSign(SignableRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder(256);
        text.Append(request.Method).Append('\n')
            .Append(request.Header("Content-MD5")).Append('\n')
            .Append(request.Header("Content-Type")).Append('\n')
            .Append(request.Header("Date")).Append('\n');

        var logHeaders = request.Headers
            .Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value))
            .Where(h => h.Key.StartsWith("x-log-", StringComparison.Ordinal) || h.Key.StartsWith("x-acs-", StringComparison.Ordinal))
            .OrderBy(h => h.Key, StringComparer.Ordinal);
        foreach (var header in logHeaders)
        {
            text.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }

        text.Append(request.Path);
        var separator = '?';
        foreach (var parameter in SigningText.SortedByKey(request.Query))
        {
            text.Append(separator).Append(parameter.Key).Append('=').Append(parameter.Value);
            separator = '&';
        }

        return text.ToString();
    }

    public static string Authorization(SignableRequest request, CloudCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
#pragma warning disable CA5350 // The service defines V1 as HMAC-SHA1; V4 (SHA-256) is the opt-in alternative.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(credentials.AccessKeySecret), Encoding.UTF8.GetBytes(StringToSign(request)));
#pragma warning restore CA5350
        return $"LOG {credentials.AccessKeyId}:{Convert.ToBase64String(mac)}";
    }

    /// <summary>Upper-case hex MD5 of a body, the SDKs' <c>Content-MD5</c>.</summary>
#pragma warning disable CA5351 // Content-MD5 is the protocol's integrity header, not a security control.
    public static string ContentMd5(ReadOnlySpan<byte> body) => Convert.ToHexString(MD5.HashData(body));
#pragma warning restore CA5351
}
