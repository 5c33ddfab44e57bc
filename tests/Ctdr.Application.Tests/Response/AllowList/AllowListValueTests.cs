using Ctdr.Application.Response.AllowList;

namespace Ctdr.Application.Tests.Response.AllowList;

/// <summary>What users type becomes one normalised value, or a message saying what is wrong.</summary>
public sealed class AllowListValueTests
{
    [Theory]
    [InlineData("203.0.113.9", ResponseAllowListKind.Ip, "203.0.113.9")]
    [InlineData(" 203.0.113.9 ", ResponseAllowListKind.Ip, "203.0.113.9")]
    [InlineData("203.0.113.9/32", ResponseAllowListKind.Ip, "203.0.113.9")]
    [InlineData("203.0.113.77/24", ResponseAllowListKind.Cidr, "203.0.113.0/24")]
    [InlineData("10.1.2.3/8", ResponseAllowListKind.Cidr, "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", ResponseAllowListKind.Cidr, "0.0.0.0/0")]
    [InlineData("2001:DB8:0:0::1", ResponseAllowListKind.Ip, "2001:db8::1")]
    [InlineData("2001:db8:1:2:3:4:5:6/48", ResponseAllowListKind.Cidr, "2001:db8:1::/48")]
    [InlineData("2001:db8::7/128", ResponseAllowListKind.Ip, "2001:db8::7")]
    [InlineData("::ffff:198.51.100.7", ResponseAllowListKind.Ip, "198.51.100.7")]
    [InlineData("::ffff:198.51.100.7/120", ResponseAllowListKind.Cidr, "198.51.100.0/24")]
    [InlineData("::ffff:c633:6407", ResponseAllowListKind.Ip, "198.51.100.7")]
    [InlineData("Shop.Example.COM", ResponseAllowListKind.Domain, "shop.example.com")]
    [InlineData("shop.example.com.", ResponseAllowListKind.Domain, "shop.example.com")]
    [InlineData("*.Example.com", ResponseAllowListKind.Domain, "*.example.com")]
    [InlineData("bücher.example", ResponseAllowListKind.Domain, "xn--bcher-kva.example")]
    [InlineData("*.Bücher.Example", ResponseAllowListKind.Domain, "*.xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", ResponseAllowListKind.Domain, "xn--bcher-kva.example")]
    public void TryParse_NormalisesTheValue_WhenItIsValid(string text, ResponseAllowListKind kind, string expected)
    {
        Assert.True(AllowListValue.TryParse(text, out var value, out var error), error);

        Assert.Equal(kind, value!.Kind);
        Assert.Equal(expected, value.Text);
    }

    [Theory]
    [InlineData("", "Give an IP address, a CIDR network or a domain name.")]
    [InlineData("   ", "Give an IP address, a CIDR network or a domain name.")]
    [InlineData("10.1", "'10.1' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).")]
    [InlineData("010.0.0.1", "'010.0.0.1' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).")]
    [InlineData("256.1.1.1", "'256.1.1.1' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).")]
    [InlineData("fe80::1%eth0", "'fe80::1%eth0' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).")]
    [InlineData("[::1]", "'[::1]' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).")]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' has no valid prefix length: after the slash give a number from 0 to 32.")]
    [InlineData("2001:db8::/129", "'2001:db8::/129' has no valid prefix length: after the slash give a number from 0 to 128.")]
    [InlineData("10.0.0.0/", "'10.0.0.0/' has no valid prefix length: after the slash give a number from 0 to 32.")]
    [InlineData("10.0.0.0/+8", "'10.0.0.0/+8' has no valid prefix length: after the slash give a number from 0 to 32.")]
    [InlineData("shop.example.com/24", "'shop.example.com' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).")]
    [InlineData("exa_mple.com", "'exa_mple.com' is not a domain name: use letters, digits and hyphens in labels separated by dots, e.g. shop.example.com or *.example.com.")]
    [InlineData("<script>.com", "'<script>.com' is not a domain name: use letters, digits and hyphens in labels separated by dots, e.g. shop.example.com or *.example.com.")]
    [InlineData("-shop.example.com", "'-shop.example.com' is not a domain name: use letters, digits and hyphens in labels separated by dots, e.g. shop.example.com or *.example.com.")]
    [InlineData("a..example.com", "'a..example.com' is not a domain name: use letters, digits and hyphens in labels separated by dots, e.g. shop.example.com or *.example.com.")]
    [InlineData("localhost", "'localhost' is not a fully qualified domain name: give at least two labels, e.g. example.com.")]
    [InlineData("*.com", "'*.com' is too broad: a wildcard needs at least two labels after '*.', e.g. *.example.com.")]
    [InlineData("a.*.example.com", "'a.*.example.com' is not a domain name: use letters, digits and hyphens in labels separated by dots, e.g. shop.example.com or *.example.com.")]
    public void TryParse_ExplainsTheProblem_WhenTheValueIsInvalid(string text, string expected)
    {
        Assert.False(AllowListValue.TryParse(text, out var value, out var error));

        Assert.Null(value);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_RefusesTheValue_WhenItIsLongerThanTheColumn()
    {
        var text = string.Join('.', Enumerable.Repeat("abcdefghij", 30)) + ".com";

        Assert.False(AllowListValue.TryParse(text, out _, out var error));

        Assert.Equal("The value has at most 300 characters.", error);
    }
}
