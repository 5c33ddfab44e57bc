using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ctdr.Application.Response.AllowList;

namespace Ctdr.Application.Tests.Response.AllowList;

/// <summary>
/// The compiled matcher against a naive reference (a loop of <see cref="IPNetwork.Contains"/> over every item) on
/// thousands of generated addresses and networks, plus the ranges that must and must not be protected.
/// </summary>
public sealed class AllowListMatcherTests
{
    private static readonly string[] SandboxAttackers = ["203.0.113.7", "203.0.113.66", "203.0.113.99", "203.0.113.45", "203.0.113.200", "198.51.100.77", "198.51.100.23", "198.51.100.14", "198.51.100.201"];

    private static readonly string[] ExactForms = ["203.0.113.9", "::ffff:203.0.113.9"];
    private static readonly string[] CoveringNetworks = ["203.0.113.0/24", "203.0.0.0/16", "::ffff:203.0.113.0/120", "203.0.113.8/29"];
    private static readonly string[] WholeSpaces = ["0.0.0.0/0", "::/0", "::ffff:0:0/96"];

    /// <summary>Generates allow-list items and queries in a few small "hot" networks, so that hits and misses are both frequent.</summary>
    private sealed class Generator(int seed)
    {
        private readonly Random _random = new(seed);

        public byte[] V4()
        {
            // Half in three /16s, half anywhere public-looking.
            var bytes = new byte[4];
            _random.NextBytes(bytes);
            if (_random.Next(2) == 0)
            {
                bytes[0] = 45;
                bytes[1] = (byte)(10 + _random.Next(3));
            }

            return bytes;
        }

        public byte[] V6()
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);

            // Global unicast 2000::/3; half of them in two /40s.
            bytes[0] = (byte)(0x20 | (bytes[0] & 0x1F));
            if (_random.Next(2) == 0)
            {
                bytes[0] = 0x24;
                bytes[1] = 0x08;
                bytes[2] = 0x80;
                bytes[3] = 0x00;
                bytes[4] = (byte)_random.Next(2);
            }

            return bytes;
        }

        public string Item()
        {
            return _random.Next(6) switch
            {
                0 => new IPAddress(V4()).ToString(),
                1 => $"{new IPAddress(V4())}/{_random.Next(12, 33).ToString(CultureInfo.InvariantCulture)}",
                2 => "::ffff:" + new IPAddress(V4()),
                3 => new IPAddress(V6()).ToString(),
                4 => $"{new IPAddress(V6())}/{_random.Next(24, 129).ToString(CultureInfo.InvariantCulture)}",
                _ => $"{new IPAddress(V4())}/{_random.Next(20, 33).ToString(CultureInfo.InvariantCulture)}",
            };
        }

        public string Address() => _random.Next(3) switch
        {
            0 => new IPAddress(V6()).ToString(),
            1 => "::ffff:" + new IPAddress(V4()),
            _ => new IPAddress(V4()).ToString(),
        };

        public string Network() => _random.Next(2) == 0
            ? $"{new IPAddress(V4())}/{_random.Next(8, 33).ToString(CultureInfo.InvariantCulture)}"
            : $"{new IPAddress(V6())}/{_random.Next(16, 129).ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The reference: each value as a framework <see cref="IPNetwork"/>, IPv4-mapped IPv6 as IPv4 (the framework's
    /// <c>Contains</c> answers loosely for mapped addresses, so they never reach it). The generated IPv6 values all lie
    /// in 2000::/3, so no IPv6 network of theirs covers IPv4: different families never match.
    /// </summary>
    private static IPNetwork Reference(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(slash < 0 ? text : text[..slash]);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = slash < 0 ? bits : int.Parse(text[(slash + 1)..], CultureInfo.InvariantCulture);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
            prefix -= 96;
            bits = 32;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bits; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    private static bool Contains(IPNetwork network, IPAddress address) =>
        network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address);

    private static bool Overlap(IPNetwork a, IPNetwork b) => Contains(a, b.BaseAddress) || Contains(b, a.BaseAddress);

    private static (AllowListMatcher Matcher, List<(AllowListItem Item, IPNetwork Network)> Reference) Generate(int seed, int count)
    {
        var generator = new Generator(seed);
        var items = Enumerable.Range(0, count)
            .Select(i => new AllowListItem(i % 3 == 0 ? AllowListSource.EgressSignIn : AllowListSource.Manual, ResponseAllowListKind.Cidr, generator.Item(), "r" + i.ToString(CultureInfo.InvariantCulture), i))
            .ToList();
        return (AllowListMatcher.Build(items), [.. items.Select(i => (i, Reference(i.Value)))]);
    }

    [Theory]
    [InlineData(20261128)]
    [InlineData(7)]
    [InlineData(424242)]
    public void Match_AgreesWithTheReference_WhenAddressesAreGenerated(int seed)
    {
        var (matcher, reference) = Generate(seed, 3000);
        var queries = new Generator(seed + 1);
        var hits = 0;

        for (var i = 0; i < 20_000; i++)
        {
            var address = queries.Address();
            var query = Reference(address);
            var expected = reference.Where(r => Contains(r.Network, query.BaseAddress)).ToList();

            var hit = matcher.Match(address);

            Assert.True((hit is not null) == (expected.Count > 0), $"{address}: matcher {(hit is null ? "none" : hit.Item.Value)}, reference {expected.Count} items: {string.Join(", ", expected.Take(4).Select(e => e.Item.Value + " as " + e.Network))}");
            if (hit is not null)
            {
                hits++;
                Assert.Contains(hit.Item, expected.Select(e => e.Item));
                Assert.False(hit.InsideRequest);

                // The most specific item is reported.
                Assert.Equal(expected.Max(e => e.Network.PrefixLength), Reference(hit.Item.Value).PrefixLength);
            }
        }

        // The generator makes both outcomes common, so the comparison means something.
        Assert.InRange(hits, 2_000, 18_000);
    }

    [Theory]
    [InlineData(20261128)]
    [InlineData(99)]
    public void Match_RefusesEveryOverlappingNetwork_WhenNetworksAreGenerated(int seed)
    {
        var (matcher, reference) = Generate(seed, 2000);
        var queries = new Generator(seed + 2);
        var hits = 0;

        for (var i = 0; i < 5_000; i++)
        {
            var network = queries.Network();
            var query = Reference(network);
            var expected = reference.Where(r => Overlap(r.Network, query)).ToList();

            var hit = matcher.Match(network);

            Assert.True((hit is not null) == (expected.Count > 0), $"{network}: matcher {(hit is null ? "none" : hit.Item.Value)}, reference {expected.Count} items: {string.Join(", ", expected.Take(4).Select(e => e.Item.Value + " as " + e.Network))}");
            if (hit is not null)
            {
                hits++;
                Assert.Contains(hit.Item, expected.Select(e => e.Item));
                var item = Reference(hit.Item.Value);
                Assert.Equal(!(item.PrefixLength <= query.PrefixLength && Contains(item, query.BaseAddress)), hit.InsideRequest);
            }
        }

        Assert.InRange(hits, 500, 4_500);
    }

    [Fact]
    public void Match_FindsTheReservedRange_ForItsFirstMiddleAndLastAddress()
    {
        var matcher = AllowListMatcher.Build(ReservedRanges.All);

        foreach (var range in ReservedRanges.All)
        {
            var block = IpBlock.Parse(range.Value);
            foreach (var point in new[] { block.First, block.First + ((block.Last - block.First) / 2), block.Last })
            {
                var address = IpBlock.Parse(ToText(point)).ToString();
                var hit = matcher.Match(address);
                Assert.NotNull(hit);
                Assert.Equal(range, hit.Item);
                Assert.Equal(AllowListSource.ReservedRange, hit.Source);
            }
        }
    }

    [Theory]
    [InlineData("10.20.30.40", "10.0.0.0/8")]
    [InlineData("172.31.255.255", "172.16.0.0/12")]
    [InlineData("192.168.1.1", "192.168.0.0/16")]
    [InlineData("100.64.0.1", "100.64.0.0/10")]
    [InlineData("127.0.0.1", "127.0.0.0/8")]
    [InlineData("169.254.169.254", "169.254.0.0/16")]
    [InlineData("0.0.0.0", "0.0.0.0/8")]
    [InlineData("224.0.0.251", "224.0.0.0/4")]
    [InlineData("255.255.255.255", "240.0.0.0/4")]
    [InlineData("::1", "::1")]
    [InlineData("fe80::1", "fe80::/10")]
    [InlineData("fd12:3456::1", "fc00::/7")]
    [InlineData("ff02::1", "ff00::/8")]
    [InlineData("::ffff:10.1.2.3", "10.0.0.0/8")]
    [InlineData("::FFFF:192.168.0.7", "192.168.0.0/16")]
    public void Match_ReportsTheReservedRange_WhenTheAddressIsPrivateOrReserved(string address, string range)
    {
        var matcher = AllowListMatcher.Build(ReservedRanges.All);

        var hit = matcher.Match(address);

        Assert.NotNull(hit);
        Assert.Equal(range, hit.Item.Value);
        Assert.Equal(AllowListSource.ReservedRange, hit.Source);
    }

    [Fact]
    public void Match_LeavesTheSandboxAttackersBlockable_WhenOnlyAutomaticRangesAreListed()
    {
        var matcher = AllowListMatcher.Build(ReservedRanges.All);

        Assert.All(SandboxAttackers, ip => Assert.Null(matcher.Match(ip)));
        Assert.All(SandboxAttackers, ip => Assert.Null(matcher.Match("::ffff:" + ip)));
        Assert.Null(matcher.Match("203.0.113.0/24"));
        Assert.Null(matcher.Match("198.51.100.0/24"));
        Assert.Null(matcher.Match("192.0.2.0/24"));
        Assert.Null(matcher.Match("2001:db8::/32"));
        Assert.Null(matcher.Match("8.8.8.8"));
    }

    [Fact]
    public void Match_RefusesNetworksCoveringAnAllowedAddress_InEitherFamilyForm()
    {
        var office = new AllowListItem(AllowListSource.Manual, ResponseAllowListKind.Ip, "203.0.113.9", "our office", 5);
        var matcher = AllowListMatcher.Build([office, .. ReservedRanges.All]);

        var exact = ExactForms.Select(c => matcher.Match(c)).ToList();
        var covering = CoveringNetworks.Select(c => matcher.Match(c)).ToList();
        var everything = WholeSpaces.Select(c => matcher.Match(c)).ToList();

        Assert.All(exact, h => Assert.Equal(office, h?.Item));
        Assert.All(exact, h => Assert.False(h!.InsideRequest));
        Assert.All(covering, h => Assert.Equal(office, h?.Item));
        Assert.All(covering, h => Assert.True(h!.InsideRequest));
        Assert.Equal(["203.0.113.9 is allow-listed (manual: our office).", "203.0.113.9 is allow-listed (manual: our office)."], exact.Select(h => h!.Message));
        Assert.Equal("203.0.113.0/24 covers the allow-listed 203.0.113.9 (manual: our office).", covering[0]!.Message);

        // Whole address spaces overlap the reserved ranges first of all.
        Assert.All(everything, h => Assert.True(h!.InsideRequest));
        Assert.Equal(["0.0.0.0/8", "::", "0.0.0.0/8"], everything.Select(h => h!.Item.Value));
        Assert.Null(matcher.Match("203.0.113.8"));
        Assert.Null(matcher.Match("203.0.113.10/31"));
    }

    [Fact]
    public void Match_PrefersTheMostSpecificContainingItem_WhenItemsNest()
    {
        var wide = new AllowListItem(AllowListSource.BackToOrigin, ResponseAllowListKind.Cidr, "45.10.0.0/16", "origin");
        var narrow = new AllowListItem(AllowListSource.Manual, ResponseAllowListKind.Cidr, "45.10.3.0/24", "lab", 1);
        var single = new AllowListItem(AllowListSource.EgressSignIn, ResponseAllowListKind.Ip, "45.10.3.7", "signed in");
        var matcher = AllowListMatcher.Build([wide, narrow, single]);

        Assert.Equal(single, matcher.Match("45.10.3.7")?.Item);
        Assert.Equal(narrow, matcher.Match("45.10.3.8")?.Item);
        Assert.Equal(narrow, matcher.Match("45.10.3.0/25")?.Item);
        Assert.Equal(wide, matcher.Match("45.10.4.1")?.Item);
        Assert.Equal(wide, matcher.Match("45.10.0.0/16")?.Item);
        Assert.Equal(wide, matcher.Match("45.0.0.0/8")?.Item);
        Assert.True(matcher.Match("45.0.0.0/8")!.InsideRequest);
    }

    [Fact]
    public void Match_CreditsTheManualEntry_WhenAnAutomaticItemHoldsTheSameAddress()
    {
        var egress = new AllowListItem(AllowListSource.EgressSignIn, ResponseAllowListKind.Ip, "45.11.0.1", "signed in");
        var manual = new AllowListItem(AllowListSource.Manual, ResponseAllowListKind.Ip, "45.11.0.1", "office", 9);

        Assert.Equal(manual, AllowListMatcher.Build([egress, manual]).Match("45.11.0.1")?.Item);
        Assert.Equal(manual, AllowListMatcher.Build([manual, egress]).Match("45.11.0.1")?.Item);
    }

    [Theory]
    [InlineData("")]
    [InlineData("shop.example.com")]
    [InlineData("10.1")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fe80::1%eth0")]
    public void Match_Throws_WhenTheTextIsNoAddress(string text)
    {
        var matcher = AllowListMatcher.Build(ReservedRanges.All);

        Assert.Throws<ArgumentException>(() => matcher.Match(text));
    }

    [Fact]
    public void Build_Throws_WhenAnItemIsNoAddress()
    {
        var bad = new AllowListItem(AllowListSource.Manual, ResponseAllowListKind.Cidr, "10.0.0.0/40", "bad", 1);

        var error = Assert.Throws<ArgumentException>(() => AllowListMatcher.Build([bad]));

        Assert.StartsWith("Allow-list item 0: '10.0.0.0/40' has no valid prefix length", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shop.example.com", "shop.example.com")]
    [InlineData("SHOP.Example.COM.", "shop.example.com")]
    [InlineData("a.api.example.com", "*.api.example.com")]
    [InlineData("deep.b.a.api.example.com", "*.api.example.com")]
    [InlineData("x.bücher.example", "*.xn--bcher-kva.example")]
    [InlineData("a.wild.example.com", "*.wild.example.com")]
    [InlineData("b.a.example.com", "*.a.example.com")]
    [InlineData("c.example.com", "*.example.com")]
    public void MatchDomain_ReturnsTheExactOrMostSpecificWildcardItem_WhenTheHostIsCovered(string host, string expected)
    {
        var matcher = AllowListMatcher.Build(
        [
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "shop.example.com", "shop", 1),
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "*.api.example.com", "api", 2),
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "*.Bücher.example", "books", 3),
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "*.wild.example.com", "wild", 4),
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "*.example.com", "all", 5),
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "*.a.example.com", "a", 6),
        ]);

        var hit = matcher.MatchDomain(host);

        Assert.NotNull(hit);
        Assert.Equal(expected, DomainName.TryNormalize(hit.Item.Value, true, out var value, out _) ? value : null);
    }

    [Theory]
    [InlineData(20261128)]
    [InlineData(5)]
    public void MatchDomain_AgreesWithTheReference_WhenNamesAreGenerated(int seed)
    {
        // Few short labels, so that generated hosts often share suffixes with generated entries.
        var random = new Random(seed);
        string[] labels = ["a", "b", "c", "d", "e", "f", "g", "h", "shop", "api", "cdn", "xn--bcher-kva"];
        string Name(int count) => string.Join('.', Enumerable.Range(0, count).Select(_ => labels[random.Next(labels.Length)])) + ".example";
        var items = Enumerable.Range(0, 150)
            .Select(i => random.Next(2) == 0 ? Name(random.Next(1, 4)) : "*." + Name(random.Next(2, 4)))
            .Select((value, i) => new AllowListItem(AllowListSource.Manual, ResponseAllowListKind.Domain, value, "r", i))
            .ToList();
        var matcher = AllowListMatcher.Build(items);
        var hits = 0;

        for (var i = 0; i < 5_000; i++)
        {
            var host = Name(random.Next(1, 6));
            var expected = items.Where(e => e.Value.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(e.Value[1..], StringComparison.Ordinal)
                : host == e.Value).ToList();

            var hit = matcher.MatchDomain(host);

            Assert.True((hit is not null) == (expected.Count > 0), host);
            if (hit is not null)
            {
                hits++;
                Assert.Contains(hit.Item.Value, expected.Select(e => e.Value));

                // An exact entry wins, else the longest wildcard suffix.
                var best = expected.Any(e => e.Value == host) ? host : expected.MaxBy(e => e.Value.Length)!.Value;
                Assert.Equal(best, hit.Item.Value);
            }
        }

        Assert.InRange(hits, 500, 4_500);
    }

    [Theory]
    [InlineData("api.example.com")]
    [InlineData("example.com")]
    [InlineData("shop.example.org")]
    [InlineData("notshop.example.com.evil.test")]
    public void MatchDomain_ReturnsNull_WhenNoItemCoversTheHost(string host)
    {
        var matcher = AllowListMatcher.Build(
        [
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "shop.example.com", "shop", 1),
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "*.api.example.com", "api", 2),
            new(AllowListSource.Manual, ResponseAllowListKind.Domain, "*.shop.example.com", "shops", 3),
        ]);

        Assert.Null(matcher.MatchDomain(host));
    }

    private static string ToText(UInt128 value)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }
}
