namespace Ctdr.Application.Response.AllowList;

/// <summary>What an allow-list entry names. Stored by name.</summary>
public enum ResponseAllowListKind
{
    /// <summary>One IPv4 or IPv6 address.</summary>
    Ip,

    /// <summary>A CIDR network, stored with its network address.</summary>
    Cidr,

    /// <summary>A domain name, or <c>*.example.com</c> for every subdomain.</summary>
    Domain,
}

/// <summary>
/// An address, network or domain an administrator or analyst says must never be blocked, with why, by whom, until
/// when (optional) and how many blocks it prevented. <see cref="Value"/> is normalised (see <see cref="AllowListValue"/>).
/// </summary>
public sealed class ResponseAllowListEntry
{
    public const int MaxValueLength = 300;
    public const int MaxReasonLength = 500;

    private ResponseAllowListEntry()
    {
    }

    public long Id { get; private set; }

    public ResponseAllowListKind Kind { get; private set; }

    public string Value { get; private set; } = string.Empty;

    public string Reason { get; private set; } = string.Empty;

    public string CreatedBy { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the entry stops protecting; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>Blocks refused because of this entry.</summary>
    public long PreventedCount { get; private set; }

    public DateTimeOffset? LastPreventedAt { get; private set; }

    public static ResponseAllowListEntry Create(AllowListValue value, string reason, string by, DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (expiresAt is { } end && end <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), expiresAt, "An allow-list entry cannot end before it starts.");
        }

        return new()
        {
            Kind = value.Kind,
            Value = value.Text,
            Reason = reason.Trim(),
            CreatedBy = by,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
    }

    public bool IsActiveAt(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;
}
