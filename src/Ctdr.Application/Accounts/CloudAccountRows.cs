namespace Ctdr.Application.Accounts;

/// <summary>A cloud account as lists show it: never the secret, the access key id only masked.</summary>
public sealed record CloudAccountRow(
    long Id,
    CloudProvider Provider,
    string AccountUid,
    string DisplayName,
    IReadOnlyList<string> Regions,
    string MaskedAccessKeyId,
    string? Endpoint,
    bool IsDisabled,
    bool IsSandbox,
    bool? CredentialsValid,
    DateTimeOffset? CredentialsCheckedAt,
    string? CredentialsMessage,
    int LogSourceCount);

/// <summary>An account for the edit form: everything but the secret, which is write-only.</summary>
public sealed record CloudAccountDetails(
    long Id,
    CloudProvider Provider,
    string AccountUid,
    string DisplayName,
    string Regions,
    string AccessKeyId,
    string? Endpoint,
    bool IsDisabled,
    bool IsSandbox);

public static class AccessKeyMask
{
    /// <summary>Shows the first 4 and last 4 characters of an access key id (all but 2 when it is short).</summary>
    public static string Mask(string accessKeyId)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        return accessKeyId.Length <= 8
            ? string.Concat(accessKeyId.AsSpan(0, Math.Min(2, accessKeyId.Length)), "****")
            : string.Concat(accessKeyId.AsSpan(0, 4), "****", accessKeyId.AsSpan(accessKeyId.Length - 4));
    }
}
