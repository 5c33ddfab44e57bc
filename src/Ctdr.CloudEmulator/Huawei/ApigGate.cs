using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;

namespace Ctdr.CloudEmulator.Huawei;

/// <summary>
/// What every Huawei Cloud API behind the API Gateway checks first, the same for LTS, IAM and WAF: an
/// <c>SDK-HMAC-SHA256</c> Authorization of a known access key, an X-Sdk-Date within 15 minutes of the server's clock,
/// and the signature recomputed from the request as received. Failures answer the gateway's
/// <c>{"error_code":"APIGW.0301","error_msg","request_id"}</c> with 401.
/// </summary>
internal static class ApigGate
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>The caller's key when the request is authentic; otherwise the error is written and null returned.</summary>
    public static async Task<HuaweiKey?> AuthenticateAsync(HttpContext context, SandboxState state, SignedRequest signed, FaultSet faults, string requestId)
    {
        var authorization = ApigAuthorization.Parse(signed.Header("Authorization"));
        if (authorization is null)
        {
            await GatewayAsync(context, 401, "APIGW.0301", "Incorrect IAM authentication information: the Authorization header is missing or is not SDK-HMAC-SHA256", requestId);
            return null;
        }

        if (!state.HuaweiKeys.TryGetValue(authorization.AccessKey, out var key))
        {
            await GatewayAsync(context, 401, "APIGW.0301", $"Incorrect IAM authentication information: Get secretKey failed,ak:{authorization.AccessKey},err:ak not exist", requestId);
            return null;
        }

        var now = state.Clock.GetUtcNow();
        if (ApigSignature.ParseDate(signed.Header("X-Sdk-Date")) is not { } date)
        {
            await GatewayAsync(context, 401, "APIGW.0301", "Incorrect IAM authentication information: X-Sdk-Date is missing or is not yyyyMMddTHHmmssZ", requestId);
            return null;
        }

        if ((date - now).Duration() > MaxSkew)
        {
            await GatewayAsync(context, 401, "APIGW.0301", $"Incorrect IAM authentication information: X-Sdk-Date {signed.Header("X-Sdk-Date")} differs from the server time by more than 15 minutes", requestId);
            return null;
        }

        if (!ApigSignature.Verify(signed, key.SecretKey, authorization) || faults.SignatureRejection)
        {
            await GatewayAsync(context, 401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail", requestId);
            return null;
        }

        return key;
    }

    public static Task GatewayAsync(HttpContext context, int status, string code, string message, string requestId) =>
        HttpWrite.JsonAsync(context, status, new Dictionary<string, string> { ["error_code"] = code, ["error_msg"] = message, ["request_id"] = requestId });
}
