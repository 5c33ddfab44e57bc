using System.Globalization;
using System.Text;
using Ctdr.CloudEmulator.Common;

namespace Ctdr.CloudEmulator.Alibaba;

/// <summary>The parts of an SLS <c>Authorization</c> header: which scheme, which key, and for V4 the credential scope.</summary>
internal sealed record SlsAuthorization(SlsSignatureVersion Version, string AccessKeyId, string Signature, string? ScopeDate, string? ScopeRegion)
{
    /// <summary>Parses <c>LOG AK:sig</c> (V1) or <c>SLS4-HMAC-SHA256 Credential=AK/date/region/sls/aliyun_v4_request,Signature=hex</c> (V4).</summary>
    public static SlsAuthorization? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        header = header.Trim();
        if (header.StartsWith("LOG ", StringComparison.Ordinal))
        {
            var rest = header[4..].Trim();
            var colon = rest.LastIndexOf(':');
            return colon <= 0 ? null : new SlsAuthorization(SlsSignatureVersion.V1, rest[..colon], rest[(colon + 1)..], null, null);
        }

        if (header.StartsWith(SlsSignatureV4.Algorithm + " ", StringComparison.Ordinal))
        {
            string? credential = null;
            string? signature = null;
            foreach (var part in header[(SlsSignatureV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith("Credential=", StringComparison.Ordinal))
                {
                    credential = part["Credential=".Length..];
                }
                else if (part.StartsWith("Signature=", StringComparison.Ordinal))
                {
                    signature = part["Signature=".Length..];
                }
            }

            var scope = credential?.Split('/');
            if (scope is not { Length: 5 } || signature is null || scope[3] != "sls" || scope[4] != "aliyun_v4_request")
            {
                return null;
            }

            return new SlsAuthorization(SlsSignatureVersion.V4, scope[0], signature, scope[1], scope[2]);
        }

        return null;
    }
}

internal enum SlsSignatureVersion
{
    V1,
    V4,
}

/// <summary>
/// SLS signature V1 (<c>LOG AK:Base64(HMAC-SHA1(secret, StringToSign))</c>), recomputed from the request as received.
/// StringToSign = VERB\n Content-MD5\n Content-Type\n Date\n CanonicalizedLOGHeaders CanonicalizedResource.
/// </summary>
internal static class SlsSignatureV1
{
    /// <param name="request">the request as received</param>
    /// <param name="includeLogDate">
    /// whether <c>x-log-date</c> is part of the canonical headers. The Python SDK adds that header after signing (a copy
    /// of <c>Date</c> for proxies that drop <c>Date</c>), so the service cannot require it to be signed; a client that
    /// signs it anyway is accepted too (the verifier tries both).
    /// </param>
    public static string StringToSign(SignedRequest request, bool includeLogDate = false)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(request.Header("Content-MD5") ?? string.Empty).Append('\n');
        sb.Append(request.Header("Content-Type") ?? string.Empty).Append('\n');
        sb.Append(DateValue(request) ?? string.Empty).Append('\n');

        var signed = request.Headers
            .Select(h => (Name: h.Key.Trim().ToLowerInvariant(), Value: h.Value.Trim()))
            .Where(h => IsSignedHeader(h.Name) && (includeLogDate || h.Name != "x-log-date"))
            .OrderBy(h => h.Name, StringComparer.Ordinal);
        foreach (var (name, value) in signed)
        {
            sb.Append(name).Append(':').Append(value).Append('\n');
        }

        sb.Append(request.Path);
        if (request.Query.Count > 0)
        {
            sb.Append('?');
            var first = true;
            foreach (var (key, value) in request.Query.OrderBy(q => q.Key, StringComparer.Ordinal).ThenBy(q => q.Value, StringComparer.Ordinal))
            {
                if (!first)
                {
                    sb.Append('&');
                }

                sb.Append(key).Append('=').Append(value);
                first = false;
            }
        }

        return sb.ToString();
    }

    public static string Sign(string secret, string stringToSign) => Crypto.HmacSha1Base64(secret, stringToSign);

    /// <summary>The request time a V1 request carries: <c>Date</c>, or <c>x-log-date</c> when a proxy dropped <c>Date</c>.</summary>
    public static string? DateValue(SignedRequest request) => request.Header("Date") ?? request.Header("x-log-date");

    /// <summary>Parses an RFC 822/1123 GMT date such as <c>Mon, 03 Mar 2025 08:00:00 GMT</c> (one- or two-digit day).</summary>
    public static DateTimeOffset? ParseDate(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string[] formats = ["r", "ddd, d MMM yyyy HH:mm:ss 'GMT'", "ddd, dd MMM yyyy HH:mm:ss 'GMT'"];
        return DateTimeOffset.TryParseExact(value.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
    }

    public static bool Verify(SignedRequest request, string secret, string signature, out string stringToSign)
    {
        stringToSign = StringToSign(request);
        if (Crypto.FixedTimeEquals(Sign(secret, stringToSign), signature))
        {
            return true;
        }

        if (request.Header("x-log-date") is not null)
        {
            var withDate = StringToSign(request, includeLogDate: true);
            if (Crypto.FixedTimeEquals(Sign(secret, withDate), signature))
            {
                stringToSign = withDate;
                return true;
            }
        }

        return false;
    }

    internal static bool IsSignedHeader(string lowerName) =>
        lowerName.StartsWith("x-acs-", StringComparison.Ordinal)
        || (lowerName.StartsWith("x-log-", StringComparison.Ordinal) && !lowerName.StartsWith("x-log-meta-", StringComparison.Ordinal));
}

/// <summary>
/// SLS signature V4 (<c>SLS4-HMAC-SHA256</c>): an AWS-SigV4-like scheme with scope <c>yyyyMMdd/region/sls/aliyun_v4_request</c>.
/// The signed headers are not listed in the header; they are content-type, host and every x-log-*/x-acs-* header.
/// </summary>
internal static class SlsSignatureV4
{
    public const string Algorithm = "SLS4-HMAC-SHA256";
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static string CanonicalRequest(SignedRequest request)
    {
        var signed = request.Headers
            .Select(h => (Name: h.Key.Trim().ToLowerInvariant(), Value: h.Value.Trim()))
            .Where(h => h.Name.Length > 0 && (h.Name is "content-type" or "host" || SlsSignatureV1.IsSignedHeader(h.Name)))
            .GroupBy(h => h.Name, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();

        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(request.Path).Append('\n');

        var first = true;
        foreach (var (key, value) in request.Query
                     .GroupBy(q => q.Key, StringComparer.Ordinal)
                     .Select(g => g.First())
                     .OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append('&');
            }

            sb.Append(key);
            if (value.Length > 0)
            {
                sb.Append('=').Append(Crypto.Rfc3986(value));
            }

            first = false;
        }

        sb.Append('\n');
        foreach (var (name, value) in signed)
        {
            sb.Append(name).Append(':').Append(value).Append('\n');
        }

        sb.Append('\n');
        sb.Append(string.Join(';', signed.Select(h => h.Name))).Append('\n');
        sb.Append(PayloadHash(request));
        return sb.ToString();
    }

    public static string PayloadHash(SignedRequest request)
    {
        var declared = request.Header("x-log-content-sha256");
        if (!string.IsNullOrEmpty(declared))
        {
            return declared.Trim();
        }

        return request.Body.Length == 0 ? EmptySha256 : Crypto.Sha256Hex(request.Body);
    }

    public static string Scope(string date, string region) => $"{date}/{region}/sls/aliyun_v4_request";

    public static string StringToSign(string dateTime, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{dateTime}\n{scope}\n{Crypto.Sha256Hex(canonicalRequest)}";

    public static string Sign(string secret, string date, string region, string stringToSign)
    {
        var key = Crypto.HmacSha256("aliyun_v4" + secret, date);
        key = Crypto.HmacSha256(key, region);
        key = Crypto.HmacSha256(key, "sls");
        key = Crypto.HmacSha256(key, "aliyun_v4_request");
        return Crypto.Hex(Crypto.HmacSha256(key, stringToSign));
    }

    public static DateTimeOffset? ParseDateTime(string? value) =>
        value is not null && DateTimeOffset.TryParseExact(value.Trim(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    public static bool Verify(SignedRequest request, string secret, SlsAuthorization authorization, out string stringToSign)
    {
        var dateTime = request.Header("x-log-date")?.Trim() ?? string.Empty;
        stringToSign = StringToSign(dateTime, Scope(authorization.ScopeDate!, authorization.ScopeRegion!), CanonicalRequest(request));
        return Crypto.FixedTimeEquals(Sign(secret, authorization.ScopeDate!, authorization.ScopeRegion!, stringToSign), authorization.Signature);
    }
}
