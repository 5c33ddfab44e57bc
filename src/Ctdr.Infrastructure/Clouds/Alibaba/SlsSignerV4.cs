using System.Globalization;
using System.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// Simple Log Service signature V4 (<c>SLS4-HMAC-SHA256</c>), opt-in. The request must carry
/// <c>x-log-date</c> (<c>yyyyMMddTHHmmssZ</c>) and <c>x-log-content-sha256</c>: <see cref="SigningHeaders"/> makes them.
/// </summary>
internal static class SlsSignerV4
{
    public const string Algorithm = "SLS4-HMAC-SHA256";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>The two headers V4 adds before signing.</summary>
    public static KeyValuePair<string, string>[] SigningHeaders(ReadOnlySpan<byte> body, DateTimeOffset time) =>
    [
        KeyValuePair.Create("x-log-content-sha256", body.IsEmpty ? EmptySha256 : SigningText.Sha256Hex(body)),
        KeyValuePair.Create("x-log-date", time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)),
    ];

    /// <summary>
    /// <c>METHOD\n path\n query\n headers\n signedHeaders\n contentSha256</c>: query keys as they are, values
    /// percent-encoded, "=" left out for empty values; headers <c>content-type</c>, <c>host</c>, <c>x-log-*</c>,
    /// <c>x-acs-*</c>, lower-cased, sorted, values trimmed.
    /// </summary>
    public static string CanonicalRequest(SignableRequest request, out string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder(512);
        text.Append(request.Method).Append('\n').Append(request.Path).Append('\n');

        var separator = false;
        foreach (var parameter in SigningText.SortedByKey(request.Query))
        {
            if (separator)
            {
                text.Append('&');
            }

            text.Append(parameter.Key);
            if (!string.IsNullOrEmpty(parameter.Value))
            {
                text.Append('=').Append(SigningText.PercentEncode(parameter.Value));
            }

            separator = true;
        }

        text.Append('\n');
        var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in request.Headers)
        {
            var name = header.Key.ToLowerInvariant();
            if (name is "content-type" or "host" || name.StartsWith("x-log-", StringComparison.Ordinal) || name.StartsWith("x-acs-", StringComparison.Ordinal))
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
        text.Append(request.Header("x-log-content-sha256") ?? EmptySha256);
        return text.ToString();
    }

    public static string Authorization(SignableRequest request, CloudCredentials credentials, string region)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var dateTime = request.Header("x-log-date")
            ?? throw new ArgumentException("The request has no x-log-date header.", nameof(request));
        var date = dateTime[..8];
        var scope = $"{date}/{region}/sls/aliyun_v4_request";
        var stringToSign = $"{Algorithm}\n{dateTime}\n{scope}\n{SigningText.Sha256Hex(CanonicalRequest(request, out _))}";

        var key = SigningText.HmacSha256(Encoding.UTF8.GetBytes("aliyun_v4" + credentials.AccessKeySecret), date);
        key = SigningText.HmacSha256(key, region);
        key = SigningText.HmacSha256(key, "sls");
        key = SigningText.HmacSha256(key, "aliyun_v4_request");
        var signature = Convert.ToHexStringLower(SigningText.HmacSha256(key, stringToSign));
        return $"{Algorithm} Credential={credentials.AccessKeyId}/{scope},Signature={signature}";
    }
}
