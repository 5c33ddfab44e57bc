using System.Security.Cryptography;
using System.Text;

namespace Ctdr.Infrastructure.Clouds;

/// <summary>Encodings shared by the providers' signature schemes.</summary>
internal static class SigningText
{
    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    public static byte[] HmacSha256(ReadOnlySpan<byte> key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    /// <summary>
    /// RFC 3986 percent-encoding of the UTF-8 bytes: unreserved characters (A-Z a-z 0-9 - _ . ~) stay, everything
    /// else becomes %XX with upper-case hex (space is %20, '*' is %2A, '/' is %2F).
    /// </summary>
    public static string PercentEncode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Query parameters sorted by key (ordinal, stable for repeated keys).</summary>
    public static IEnumerable<KeyValuePair<string, string>> SortedByKey(IEnumerable<KeyValuePair<string, string>> pairs) =>
        pairs.OrderBy(p => p.Key, StringComparer.Ordinal);

    private const string HexUpper = "0123456789ABCDEF";
}
