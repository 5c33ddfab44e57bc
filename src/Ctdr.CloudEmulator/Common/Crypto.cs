using System.Security.Cryptography;
using System.Text;

namespace Ctdr.CloudEmulator.Common;

/// <summary>Hashing, HMAC and encoding helpers shared by the providers' signature verifiers.</summary>
internal static class Crypto
{
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Hex(SHA256.HashData(bytes));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    public static byte[] HmacSha256(byte[] key, string message) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));

    public static byte[] HmacSha256(string key, string message) => HmacSha256(Encoding.UTF8.GetBytes(key), message);

#pragma warning disable CA5350 // SLS signature V1 is defined as HMAC-SHA1; the sandbox must verify what clients send.
    public static string HmacSha1Base64(string key, string message) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message)));
#pragma warning restore CA5350

    /// <summary>Compares two signatures without leaking, through timing, how many leading characters match.</summary>
    public static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    /// <summary>RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ is encoded as upper-case %XX of its UTF-8 bytes.</summary>
    public static string Rfc3986(string value) => Uri.EscapeDataString(value);

    /// <summary>FNV-1a: a hash that, unlike <see cref="string.GetHashCode()"/>, is the same in every process.</summary>
    public static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
