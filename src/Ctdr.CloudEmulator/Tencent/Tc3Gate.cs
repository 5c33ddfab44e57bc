using System.Globalization;
using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;

namespace Ctdr.CloudEmulator.Tencent;

/// <summary>
/// What every Tencent Cloud API 3.0 service checks first, the same for CLS and WAF: a <c>TC3-HMAC-SHA256</c>
/// Authorization of a known SecretId whose credential scope names this service and the UTC date of
/// <c>X-TC-Timestamp</c>, a timestamp within 5 minutes, <c>content-type</c> and <c>host</c> signed, and the signature
/// recomputed from the request as received. Failures answer <c>{"Response":{"Error":{"Code","Message"},"RequestId"}}</c>
/// with HTTP 200, as API 3.0 does.
/// </summary>
internal static class Tc3Gate
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>The caller's key when the request is authentic; otherwise the error is written and null returned.</summary>
    public static async Task<TencentKey?> AuthenticateAsync(HttpContext context, SandboxState state, SignedRequest signed, string service, FaultSet faults, string requestId)
    {
        var authorization = Tc3Authorization.Parse(signed.Header("Authorization"));
        if (authorization is null)
        {
            await ErrorAsync(context, "AuthFailure.InvalidAuthorization", "Authorization is missing or is not 'TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'.", requestId);
            return null;
        }

        if (!state.TencentKeys.TryGetValue(authorization.SecretId, out var key))
        {
            await ErrorAsync(context, "AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.", requestId);
            return null;
        }

        var timestampText = signed.Header("X-TC-Timestamp")?.Trim();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            await ErrorAsync(context, "MissingParameter", "The request is missing a required parameter `X-TC-Timestamp` (Unix seconds).", requestId);
            return null;
        }

        var now = state.Clock.GetUtcNow();
        if ((DateTimeOffset.FromUnixTimeSeconds(timestamp) - now).Duration() > MaxSkew)
        {
            await ErrorAsync(context, "AuthFailure.SignatureExpire", $"Signature expired. Timestamp:{timestamp}, Server Time:{now.ToUnixTimeSeconds()}.", requestId);
            return null;
        }

        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var scopeProblem = authorization.Date != date ? $"the credential date {authorization.Date} is not the UTC date {date} of X-TC-Timestamp"
            : authorization.Service != service ? $"the credential service is {authorization.Service}, not {service}"
            : !authorization.SignedHeaders.Contains("content-type") || !authorization.SignedHeaders.Contains("host") ? "SignedHeaders must include content-type and host"
            : null;
        if (scopeProblem is not null || faults.SignatureRejection || !Tc3Signature.Verify(signed, key.SecretKey, authorization, timestampText!))
        {
            await ErrorAsync(context, "AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct." + (scopeProblem is null ? string.Empty : " (" + scopeProblem + ")"), requestId);
            return null;
        }

        return key;
    }

    public static Task ErrorAsync(HttpContext context, string code, string message, string requestId, int status = 200) =>
        HttpWrite.JsonAsync(context, status, new Dictionary<string, object>
        {
            ["Response"] = new Dictionary<string, object> { ["Error"] = new Dictionary<string, string> { ["Code"] = code, ["Message"] = message }, ["RequestId"] = requestId },
        });

    public static Task OkAsync(HttpContext context, Dictionary<string, object> response, string requestId)
    {
        response["RequestId"] = requestId;
        return HttpWrite.JsonAsync(context, 200, new Dictionary<string, object> { ["Response"] = response });
    }
}
