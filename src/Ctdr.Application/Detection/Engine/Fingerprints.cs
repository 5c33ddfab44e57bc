using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ctdr.Application.Detection.Engine;

/// <summary>
/// Alert fingerprints: the first 32 lowercase hex digits of the SHA-256 of a canonical string whose parts are
/// joined with '|' ('|' and '\' inside parts escaped with '\').
/// </summary>
public static class Fingerprints
{
    public static string Of(params ReadOnlySpan<string> parts)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('|');
            }

            foreach (var c in parts[i])
            {
                if (c is '|' or '\\')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The index of the epoch-aligned period holding <paramref name="time"/>.</summary>
    public static string PeriodOf(DateTimeOffset time, long periodTicks)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return FloorDiv(ticks, periodTicks).ToString(CultureInfo.InvariantCulture);
    }

    internal static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }
}
