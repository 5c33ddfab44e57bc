using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ctdr.Application.Response.AllowList;

/// <summary>
/// An IP address or CIDR network as one block of the 128-bit address space, IPv4 held as IPv4-mapped IPv6
/// (<c>::ffff:a.b.c.d</c>), so that IPv4 and its mapped form are the same block. <see cref="First"/> is the network
/// address (host bits cleared); <see cref="PrefixLength"/> counts over 128 bits (an IPv4 /24 is 120).
/// </summary>
public readonly record struct IpBlock
{
    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    private IpBlock(UInt128 first, int prefixLength)
    {
        PrefixLength = prefixLength;
        First = first & NetworkMask(prefixLength);
    }

    public UInt128 First { get; }

    /// <summary>The prefix length over the 128-bit space (96 + n for an IPv4 /n).</summary>
    public int PrefixLength { get; }

    public UInt128 Last => First | ~NetworkMask(PrefixLength);

    /// <summary>True when the block lies within the IPv4-mapped range and is shown as IPv4.</summary>
    public bool IsIPv4 => PrefixLength >= 96 && (First >> 32) == 0xFFFF;

    /// <summary>The prefix length as written: 0–32 for IPv4, 0–128 for IPv6.</summary>
    public int DisplayPrefixLength => IsIPv4 ? PrefixLength - 96 : PrefixLength;

    public bool IsSingleAddress => PrefixLength == 128;

    public bool Contains(IpBlock other) => First <= other.First && other.Last <= Last;

    /// <summary>CIDR blocks either nest or are disjoint, so overlapping means one contains the other.</summary>
    public bool Overlaps(IpBlock other) => First <= other.Last && other.First <= Last;

    public static IpBlock FromAddress(IPAddress address, int? prefixLength = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            address.TryWriteBytes(v4, out _);
            var prefix = prefixLength ?? 32;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix, 32, nameof(prefixLength));
            return new IpBlock(MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(v4), 96 + prefix);
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        var length = prefixLength ?? 128;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 128, nameof(prefixLength));
        return new IpBlock(BinaryPrimitives.ReadUInt128BigEndian(v6), length);
    }

    /// <summary>
    /// Reads <c>a.b.c.d</c>, an IPv6 address, or either with <c>/prefix</c>. Strict: four decimal IPv4 parts
    /// without leading zeros (no <c>10.1</c>, no octal <c>010.0.0.1</c>), no IPv6 zone, host bits are cleared.
    /// </summary>
    public static bool TryParse(string? text, out IpBlock block) => TryParse(text, out block, out _);

    /// <summary>As <see cref="TryParse(string?, out IpBlock)"/>, with a message saying what is wrong when it fails.</summary>
    public static bool TryParse(string? text, out IpBlock block, out string? error)
    {
        block = default;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            error = "Give an IP address or a CIDR network.";
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            error = $"'{addressText}' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).";
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int? prefix = null;
        if (slash >= 0)
        {
            var prefixText = value[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > max)
            {
                error = $"'{value}' has no valid prefix length: after the slash give a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}.";
                return false;
            }

            prefix = parsed;
        }

        block = FromAddress(address, prefix);
        return true;
    }

    public static IpBlock Parse(string text) =>
        TryParse(text, out var block, out var error) ? block : throw new FormatException(error);

    /// <summary>The canonical text: IPv4 dotted quad or compressed lower-case IPv6, with <c>/n</c> unless a single address.</summary>
    public override string ToString()
    {
        string address;
        if (IsIPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)(First & uint.MaxValue));
            address = new IPAddress(v4).ToString();
        }
        else
        {
            Span<byte> v6 = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(v6, First);
            address = new IPAddress(v6).ToString();
        }

        return IsSingleAddress ? address : address + "/" + DisplayPrefixLength.ToString(CultureInfo.InvariantCulture);
    }

    private static UInt128 NetworkMask(int prefixLength) =>
        prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // IPv6 only: no zone (fe80::1%eth0), no brackets ([::1]:80); the framework's parser checks the rest.
            return text.AsSpan().IndexOfAny("%[]") < 0
                && IPAddress.TryParse(text, out address!)
                && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0')
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
            {
                return false;
            }

            bytes[i] = (byte)octet;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
