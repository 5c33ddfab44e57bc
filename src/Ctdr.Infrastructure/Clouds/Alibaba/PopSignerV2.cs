using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Alibaba;

/// <summary>
/// Alibaba Cloud POP OpenAPI signature V2 for RPC APIs (HMAC-SHA1, the signature travels as the <c>Signature</c>
/// parameter), the legacy scheme the services still accept. <see cref="CommonParameters"/> makes the parameters it signs.
/// </summary>
internal static class PopSignerV2
{
    /// <summary>The common parameters of an RPC call (<c>Signature</c> excluded).</summary>
    public static KeyValuePair<string, string>[] CommonParameters(string action, string version, string accessKeyId, DateTimeOffset time, string nonce) =>
    [
        KeyValuePair.Create("Action", action),
        KeyValuePair.Create("Version", version),
        KeyValuePair.Create("Format", "JSON"),
        KeyValuePair.Create("AccessKeyId", accessKeyId),
        KeyValuePair.Create("SignatureMethod", "HMAC-SHA1"),
        KeyValuePair.Create("SignatureVersion", "1.0"),
        KeyValuePair.Create("SignatureNonce", nonce),
        KeyValuePair.Create("Timestamp", Timestamp(time)),
    ];

    /// <summary>ISO 8601 in UTC to the second, the format of <c>Timestamp</c> and <c>x-acs-date</c>.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>METHOD&amp;%2F&amp;PercentEncode(k=v&amp;...)</c> over every parameter but <c>Signature</c>, keys sorted, keys and values RFC 3986-encoded.</summary>
    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var canonical = string.Join('&', SigningText.SortedByKey(parameters.Where(p => p.Key != "Signature"))
            .Select(p => SigningText.PercentEncode(p.Key) + "=" + SigningText.PercentEncode(p.Value)));
        return $"{method}&{SigningText.PercentEncode("/")}&{SigningText.PercentEncode(canonical)}";
    }

    /// <summary>Base64(HMAC-SHA1(secret + "&amp;", StringToSign)).</summary>
    public static string Signature(string method, IEnumerable<KeyValuePair<string, string>> parameters, CloudCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
#pragma warning disable CA5350 // The service defines V2 as HMAC-SHA1; V3 (SHA-256) is the default.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(credentials.AccessKeySecret + "&"), Encoding.UTF8.GetBytes(StringToSign(method, parameters)));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }
}
