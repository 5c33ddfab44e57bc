namespace Ctdr.Application.Accounts;

/// <summary>
/// One account of a cloud provider and the access key Ctdr uses for it. The secret is stored only in protected
/// (encrypted) form and is never handed back to a browser.
/// </summary>
public sealed class CloudAccount
{
    private CloudAccount()
    {
    }

    public long Id { get; private set; }

    public CloudProvider Provider { get; private set; }

    /// <summary>The provider's account id (Alibaba AliUid, Huawei domain/project id, Tencent UIN/AppId, AWS account id, ...).</summary>
    public string AccountUid { get; private set; } = string.Empty;

    public string DisplayName { get; private set; } = string.Empty;

    /// <summary>Region ids, comma-separated, in the order given; the first is the default region.</summary>
    public string Regions { get; private set; } = string.Empty;

    public string AccessKeyId { get; private set; } = string.Empty;

    /// <summary>The access key secret as protected by <see cref="Common.ISecretProtector"/>.</summary>
    public string ProtectedSecret { get; private set; } = string.Empty;

    /// <summary>Where API requests go instead of the provider's public endpoints (the sandbox cloud, a proxy).</summary>
    public string? Endpoint { get; private set; }

    public bool IsDisabled { get; private set; }

    /// <summary>Onboarded from the sandbox cloud (demo data, not a real account).</summary>
    public bool IsSandbox { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? CredentialsCheckedAt { get; private set; }

    public bool? CredentialsValid { get; private set; }

    public string? CredentialsMessage { get; private set; }

    public IReadOnlyList<string> RegionList => Regions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string DefaultRegion => RegionList is [var first, ..] ? first : string.Empty;

    public static CloudAccount Create(
        CloudProvider provider,
        string accountUid,
        string displayName,
        IEnumerable<string> regions,
        string accessKeyId,
        string protectedSecret,
        string? endpoint,
        bool isSandbox,
        DateTimeOffset now) => new()
        {
            Provider = provider,
            AccountUid = accountUid,
            DisplayName = displayName,
            Regions = string.Join(',', regions),
            AccessKeyId = accessKeyId,
            ProtectedSecret = protectedSecret,
            Endpoint = endpoint,
            IsSandbox = isSandbox,
            CreatedAt = now,
            UpdatedAt = now,
        };

    public void Update(string displayName, IEnumerable<string> regions, string accessKeyId, string? endpoint, DateTimeOffset now)
    {
        if (!string.Equals(accessKeyId, AccessKeyId, StringComparison.Ordinal) || !string.Equals(endpoint, Endpoint, StringComparison.Ordinal))
        {
            ForgetCredentialCheck();
        }

        DisplayName = displayName;
        Regions = string.Join(',', regions);
        AccessKeyId = accessKeyId;
        Endpoint = endpoint;
        UpdatedAt = now;
    }

    public void ReplaceSecret(string protectedSecret, DateTimeOffset now)
    {
        ProtectedSecret = protectedSecret;
        ForgetCredentialCheck();
        UpdatedAt = now;
    }

    public void SetDisabled(bool disabled, DateTimeOffset now)
    {
        IsDisabled = disabled;
        UpdatedAt = now;
    }

    public void RecordCredentialCheck(bool valid, string message, DateTimeOffset now)
    {
        CredentialsCheckedAt = now;
        CredentialsValid = valid;
        CredentialsMessage = message;
    }

    private void ForgetCredentialCheck()
    {
        CredentialsCheckedAt = null;
        CredentialsValid = null;
        CredentialsMessage = null;
    }
}
