namespace Ctdr.Application.Response.AllowList;

/// <summary>
/// A value an allow-list entry may hold, normalised: IPs canonical (IPv4-mapped IPv6 shown as IPv4), CIDRs with
/// their network address (a /32 or /128 is an IP), domains lower-case with internationalised names as punycode.
/// </summary>
public sealed record AllowListValue(ResponseAllowListKind Kind, string Text, IpBlock? Block)
{
    /// <summary>
    /// Reads what a user typed: with a slash a CIDR network, an IPv4 or IPv6 address, otherwise a domain name
    /// (wildcards allowed). False with a message saying what is wrong.
    /// </summary>
    public static bool TryParse(string? text, out AllowListValue? value, out string? error)
    {
        value = null;
        var input = text?.Trim() ?? string.Empty;
        if (input.Length == 0)
        {
            error = "Give an IP address, a CIDR network or a domain name.";
            return false;
        }

        if (input.Length > ResponseAllowListEntry.MaxValueLength)
        {
            error = $"The value has at most {ResponseAllowListEntry.MaxValueLength} characters.";
            return false;
        }

        if (LooksLikeAddress(input))
        {
            if (!IpBlock.TryParse(input, out var block, out error))
            {
                return false;
            }

            value = new AllowListValue(block.IsSingleAddress ? ResponseAllowListKind.Ip : ResponseAllowListKind.Cidr, block.ToString(), block);
            return true;
        }

        if (!DomainName.TryNormalize(input, allowWildcard: true, out var domain, out error))
        {
            return false;
        }

        value = new AllowListValue(ResponseAllowListKind.Domain, domain, null);
        return true;
    }

    /// <summary>A slash, a colon, or nothing but digits and dots: meant as an address, so judged as one.</summary>
    private static bool LooksLikeAddress(string input) =>
        input.Contains('/', StringComparison.Ordinal) || input.Contains(':', StringComparison.Ordinal) || input.All(c => char.IsAsciiDigit(c) || c == '.');
}
