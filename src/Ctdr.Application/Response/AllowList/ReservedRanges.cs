namespace Ctdr.Application.Response.AllowList;

/// <summary>
/// Address ranges that are never an internet attacker's public address and whose blocking could only cut the
/// organisation off from itself: private, shared (CGNAT), loopback, link-local, multicast and reserved space (IANA
/// special-purpose registries). The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
/// 2001:db8::/32) are deliberately absent: they are routable in the sandbox cloud, whose attackers use them.
/// </summary>
public static class ReservedRanges
{
    public static IReadOnlyList<AllowListItem> All { get; } =
    [
        Range("0.0.0.0/8", "\"This network\" (RFC 1122)"),
        Range("10.0.0.0/8", "Private network (RFC 1918)"),
        Range("100.64.0.0/10", "Shared address space, carrier-grade NAT (RFC 6598)"),
        Range("127.0.0.0/8", "Loopback (RFC 1122)"),
        Range("169.254.0.0/16", "Link-local (RFC 3927)"),
        Range("172.16.0.0/12", "Private network (RFC 1918)"),
        Range("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
        Range("192.88.99.0/24", "Deprecated 6to4 relay anycast (RFC 7526)"),
        Range("192.168.0.0/16", "Private network (RFC 1918)"),
        Range("198.18.0.0/15", "Benchmarking (RFC 2544)"),
        Range("224.0.0.0/4", "Multicast (RFC 5771)"),
        Range("240.0.0.0/4", "Reserved, and the limited broadcast address (RFC 1112, RFC 919)"),
        Range("::/128", "Unspecified address (RFC 4291)"),
        Range("::1/128", "Loopback (RFC 4291)"),
        Range("64:ff9b:1::/48", "Local-use IPv4/IPv6 translation (RFC 8215)"),
        Range("100::/64", "Discard-only (RFC 6666)"),
        Range("2001:2::/48", "Benchmarking (RFC 5180)"),
        Range("fc00::/7", "Unique local addresses (RFC 4193)"),
        Range("fe80::/10", "Link-local (RFC 4291)"),
        Range("fec0::/10", "Deprecated site-local (RFC 3879)"),
        Range("ff00::/8", "Multicast (RFC 4291)"),
    ];

    private static AllowListItem Range(string cidr, string reason)
    {
        var block = IpBlock.Parse(cidr);
        return new AllowListItem(AllowListSource.ReservedRange, block.IsSingleAddress ? ResponseAllowListKind.Ip : ResponseAllowListKind.Cidr, block.ToString(), reason);
    }
}
