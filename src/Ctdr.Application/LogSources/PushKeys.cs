using System.Security.Cryptography;
using System.Text;

namespace Ctdr.Application.LogSources;

/// <summary>
/// API keys of pushed sources: 32 random bytes, shown once; only their SHA-256 is stored, compared in constant
/// time. Keys start with <c>ctdr_</c> so that secret scanners recognise them.
/// </summary>
public static class PushKeys
{
    public const string Prefix = "ctdr_";
    public const int VisiblePrefixLength = 12;

    public static (string Key, string Hash, string VisiblePrefix) Create()
    {
        var key = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (key, Hash(key), key[..VisiblePrefixLength]);
    }

    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    public static bool Matches(string? presentedKey, string? storedHash)
    {
        if (string.IsNullOrEmpty(presentedKey) || string.IsNullOrEmpty(storedHash) || presentedKey.Length > 200)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presentedKey)), Encoding.ASCII.GetBytes(storedHash));
    }
}
