using System.Text;
using Ctdr.CloudEmulator.Common;

namespace Ctdr.CloudEmulator.Tencent;

/// <summary>The parts of <c>TC3-HMAC-SHA256 Credential=id/yyyy-MM-dd/service/tc3_request, SignedHeaders=a;b, Signature=hex</c>.</summary>
internal sealed record Tc3Authorization(string SecretId, string Date, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public static Tc3Authorization? Parse(string? header)
    {
        if (header is null || !header.TrimStart().StartsWith(Tc3Signature.Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? credential = null, signed = null, signature = null;
        foreach (var part in header.Trim()[(Tc3Signature.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = part[(eq + 1)..].Trim();
            switch (part[..eq].Trim())
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signed = value; break;
                case "Signature": signature = value; break;
            }
        }

        var scope = credential?.Split('/');
        return scope is not { Length: 4 } || scope[3] != "tc3_request" || signed is null || signature is null
            ? null
            : new Tc3Authorization(scope[0], scope[1], scope[2], signed.Split(';', StringSplitOptions.RemoveEmptyEntries), signature);
    }
}

/// <summary>
/// Tencent Cloud API 3.0 signature <c>TC3-HMAC-SHA256</c>, recomputed from the request as received:
/// CanonicalRequest = METHOD\n /\n CanonicalQueryString\n CanonicalHeaders (signed headers, lower-case name:value\n)\n
/// SignedHeaders\n hex(SHA256(payload)); StringToSign = TC3-HMAC-SHA256\n timestamp\n date/service/tc3_request\n
/// hex(SHA256(CanonicalRequest)); key = HMAC("TC3"+SecretKey, date) → service → "tc3_request".
/// </summary>
internal static class Tc3Signature
{
    public const string Algorithm = "TC3-HMAC-SHA256";

    /// <param name="request">the request as received</param>
    /// <param name="signedHeaders">the names listed in SignedHeaders</param>
    /// <param name="lowerCaseValues">
    /// Tencent's documentation lower-cases header values in CanonicalHeaders; the Go SDK signs content-type and host
    /// as they are. Both give the same result for the usual values; the verifier accepts either.
    /// </param>
    public static string CanonicalRequest(SignedRequest request, IReadOnlyList<string> signedHeaders, bool lowerCaseValues = true)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(request.Path).Append('\n');
        sb.Append(request.Method == "GET"
            ? string.Join('&', request.Query.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => Crypto.Rfc3986(q.Key) + "=" + Crypto.Rfc3986(q.Value)))
            : string.Empty).Append('\n');
        foreach (var name in signedHeaders)
        {
            var value = (request.Header(name) ?? string.Empty).Trim();
            sb.Append(name.ToLowerInvariant()).Append(':').Append(lowerCaseValues ? value.ToLowerInvariant() : value).Append('\n');
        }

        sb.Append('\n');
        sb.Append(string.Join(';', signedHeaders)).Append('\n');
        sb.Append(request.Header("X-TC-Content-SHA256") is { } declared && declared.Trim() == "UNSIGNED-PAYLOAD"
            ? Crypto.Sha256Hex("UNSIGNED-PAYLOAD")
            : Crypto.Sha256Hex(request.Body));
        return sb.ToString();
    }

    public static string StringToSign(string timestamp, string date, string service, string canonicalRequest) =>
        $"{Algorithm}\n{timestamp}\n{date}/{service}/tc3_request\n{Crypto.Sha256Hex(canonicalRequest)}";

    public static string Sign(string secretKey, string date, string service, string stringToSign)
    {
        var key = Crypto.HmacSha256("TC3" + secretKey, date);
        key = Crypto.HmacSha256(key, service);
        key = Crypto.HmacSha256(key, "tc3_request");
        return Crypto.Hex(Crypto.HmacSha256(key, stringToSign));
    }

    public static bool Verify(SignedRequest request, string secretKey, Tc3Authorization authorization, string timestamp)
    {
        foreach (var lower in new[] { true, false })
        {
            var stringToSign = StringToSign(timestamp, authorization.Date, authorization.Service, CanonicalRequest(request, authorization.SignedHeaders, lower));
            if (Crypto.FixedTimeEquals(Sign(secretKey, authorization.Date, authorization.Service, stringToSign), authorization.Signature))
            {
                return true;
            }
        }

        return false;
    }
}
