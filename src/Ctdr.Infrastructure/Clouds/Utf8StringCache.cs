namespace Ctdr.Infrastructure.Clouds;

/// <summary>
/// A lossy, lock-free cache of short ASCII strings by their UTF-8 bytes, so values that repeat across records
/// (host names, rule ids, client IPs, user agents, account ids) are not allocated again for every record. A slot
/// holds the last string that hashed to it; races only cost an extra allocation.
/// </summary>
internal static class Utf8StringCache
{
    private const int Slots = 8192;
    public const int MaxLength = 256;
    private static readonly string?[] Entries = new string?[Slots];

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        var hash = default(HashCode);
        hash.AddBytes(utf8);
        var slot = hash.ToHashCode() & (Slots - 1);
        var cached = Volatile.Read(ref Entries[slot]);
        if (cached is not null && SameAscii(cached, utf8))
        {
            return cached;
        }

        var created = System.Text.Encoding.UTF8.GetString(utf8);
        if (created.Length == utf8.Length)
        {
            // ASCII only: the byte-for-char comparison above can find it again.
            Volatile.Write(ref Entries[slot], created);
        }

        return created;
    }

    private static bool SameAscii(string text, ReadOnlySpan<byte> utf8)
    {
        if (text.Length != utf8.Length)
        {
            return false;
        }

        for (var i = 0; i < utf8.Length; i++)
        {
            if (text[i] != utf8[i])
            {
                return false;
            }
        }

        return true;
    }
}
