using System.Globalization;
using System.Text;
using Ctdr.CloudEmulator.Common;

namespace Ctdr.CloudEmulator.Huawei;

/// <summary>The parts of <c>Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex</c>.</summary>
internal sealed record ApigAuthorization(string AccessKey, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public static ApigAuthorization? Parse(string? header)
    {
        if (header is null || !header.TrimStart().StartsWith(ApigSignature.Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? access = null, signed = null, signature = null;
        foreach (var part in header.Trim()[(ApigSignature.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = part[(eq + 1)..].Trim();
            switch (part[..eq].Trim())
            {
                case "Access": access = value; break;
                case "SignedHeaders": signed = value; break;
                case "Signature": signature = value; break;
            }
        }

        return access is null || signed is null || signature is null
            ? null
            : new ApigAuthorization(access, signed.Split(';', StringSplitOptions.RemoveEmptyEntries), signature);
    }
}

/// <summary>
/// Huawei Cloud API Gateway AK/SK signing (<c>SDK-HMAC-SHA256</c>), recomputed from the request as received:
/// CanonicalRequest = METHOD\n CanonicalURI (segments RFC 3986-encoded, always ending in "/")\n CanonicalQuery
/// (sorted, key=value encoded)\n CanonicalHeaders (the signed ones, lower-case name:trimmed value\n)\n
/// SignedHeaders\n hex(SHA256(body)) (or the X-Sdk-Content-Sha256 header, e.g. UNSIGNED-PAYLOAD);
/// StringToSign = SDK-HMAC-SHA256\n X-Sdk-Date\n hex(SHA256(CanonicalRequest)); Signature = hex(HMAC-SHA256(SK, StringToSign)).
/// </summary>
internal static class ApigSignature
{
    public const string Algorithm = "SDK-HMAC-SHA256";

    public static string CanonicalUri(string rawPath)
    {
        var segments = rawPath.Split('/').Select(s => Crypto.Rfc3986(Uri.UnescapeDataString(s)));
        var uri = string.Join('/', segments);
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    public static string CanonicalRequest(SignedRequest request, IReadOnlyList<string> signedHeaders)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(CanonicalUri(request.Path)).Append('\n');
        sb.Append(string.Join('&', request.Query
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .ThenBy(q => q.Value, StringComparer.Ordinal)
            .Select(q => Crypto.Rfc3986(q.Key) + "=" + Crypto.Rfc3986(q.Value)))).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers
                .Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
                .Select(h => h.Value.Trim())
                .Order(StringComparer.Ordinal);
            foreach (var value in values)
            {
                sb.Append(name.ToLowerInvariant()).Append(':').Append(value).Append('\n');
            }
        }

        sb.Append('\n');
        sb.Append(string.Join(';', signedHeaders)).Append('\n');
        sb.Append(request.Header("X-Sdk-Content-Sha256")?.Trim() ?? Crypto.Sha256Hex(request.Body));
        return sb.ToString();
    }

    public static string StringToSign(string sdkDate, string canonicalRequest) =>
        $"{Algorithm}\n{sdkDate}\n{Crypto.Sha256Hex(canonicalRequest)}";

    public static string Sign(string secretKey, string stringToSign) => Crypto.Hex(Crypto.HmacSha256(secretKey, stringToSign));

    public static DateTimeOffset? ParseDate(string? value) =>
        value is not null && DateTimeOffset.TryParseExact(value.Trim(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    public static bool Verify(SignedRequest request, string secretKey, ApigAuthorization authorization)
    {
        var stringToSign = StringToSign(request.Header("X-Sdk-Date")?.Trim() ?? string.Empty, CanonicalRequest(request, authorization.SignedHeaders));
        return Crypto.FixedTimeEquals(Sign(secretKey, stringToSign), authorization.Signature);
    }
}
