using System.Globalization;
using System.Text;
using Ctdr.CloudEmulator.Common;

namespace Ctdr.CloudEmulator.Alibaba;

/// <summary>The parts of a POP V3 <c>Authorization</c> header: <c>ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex</c>.</summary>
internal sealed record PopV3Authorization(string AccessKeyId, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>Null when the header is not a complete V3 authorization.</summary>
    public static PopV3Authorization? Parse(string header)
    {
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "Credential":
                    credential = value;
                    break;
                case "SignedHeaders":
                    signedHeaders = value;
                    break;
                case "Signature":
                    signature = value;
                    break;
            }
        }

        return string.IsNullOrEmpty(credential) || string.IsNullOrEmpty(signedHeaders) || string.IsNullOrEmpty(signature)
            ? null
            : new PopV3Authorization(credential, signedHeaders.Split(';', StringSplitOptions.RemoveEmptyEntries), signature);
    }
}

/// <summary>
/// Alibaba Cloud POP OpenAPI signature V3 (<c>ACS3-HMAC-SHA256</c>) recomputed from the request as received: the
/// canonical request over the URL query (keys and values RFC 3986-encoded, sorted) and the headers the client lists
/// in <c>SignedHeaders</c>, with the declared <c>x-acs-content-sha256</c> as the payload hash.
/// </summary>
internal static class PopSignatureV3
{
    public static string CanonicalRequest(SignedRequest request, IReadOnlyList<string> signedHeaders)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n').Append(request.Path.Length == 0 ? "/" : request.Path).Append('\n');
        sb.AppendJoin('&', request.Query.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => Crypto.Rfc3986(q.Key) + "=" + Crypto.Rfc3986(q.Value)));
        sb.Append('\n');
        var names = signedHeaders.Select(h => h.Trim().ToLowerInvariant()).ToList();
        foreach (var name in names)
        {
            sb.Append(name).Append(':').Append((request.Header(name) ?? string.Empty).Trim()).Append('\n');
        }

        sb.Append('\n').Append(string.Join(';', names)).Append('\n');
        sb.Append(request.Header("x-acs-content-sha256")?.Trim() ?? Crypto.Sha256Hex(request.Body));
        return sb.ToString();
    }

    public static string StringToSign(string canonicalRequest) => $"{PopV3Authorization.Algorithm}\n{Crypto.Sha256Hex(canonicalRequest)}";

    public static string Sign(string secret, string stringToSign) => Crypto.Hex(Crypto.HmacSha256(secret, stringToSign));
}

/// <summary>
/// Alibaba Cloud POP OpenAPI signature V2 for RPC (HMAC-SHA1 keyed with <c>secret&amp;</c>) over every parameter
/// but <c>Signature</c>, from the URL query and the form body alike.
/// </summary>
internal static class PopSignatureV2
{
    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var canonical = string.Join('&', parameters.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Crypto.Rfc3986(p.Key) + "=" + Crypto.Rfc3986(p.Value)));
        return $"{method}&{Crypto.Rfc3986("/")}&{Crypto.Rfc3986(canonical)}";
    }

    public static string Sign(string secret, string stringToSign) => Crypto.HmacSha1Base64(secret + "&", stringToSign);

    /// <summary>The UTC time format of <c>Timestamp</c> and <c>x-acs-date</c>.</summary>
    public static DateTimeOffset? ParseTimestamp(string? value) =>
        value is not null && DateTimeOffset.TryParseExact(value.Trim(), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
}
