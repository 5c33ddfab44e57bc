using System.Globalization;

namespace Ctdr.Web.Components.Shared;

/// <summary>How the console writes times, durations, sizes and intervals: invariant culture, UTC, compact.</summary>
public static class Formats
{
    /// <summary>A UTC time to the second, e.g. "2026-11-28 08:00:05 UTC"; "—" when absent.</summary>
    public static string Utc(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";

    /// <summary>A UTC time to the minute, for lists where seconds are noise.</summary>
    public static string UtcMinutes(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    /// <summary>How long ago <paramref name="time"/> was at <paramref name="now"/>, e.g. "12 s ago"; "never" when absent.</summary>
    public static string Ago(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t)
        {
            return "never";
        }

        var elapsed = now - t;
        return elapsed < TimeSpan.Zero ? "just now" : Duration(elapsed) + " ago";
    }

    /// <summary>A duration in its largest sensible unit: "850 ms", "12 s", "4 min 5 s", "3 h 20 min", "2 d 4 h".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span switch
        {
            { TotalSeconds: < 1 } => Invariant($"{span.Milliseconds} ms"),
            { TotalMinutes: < 1 } => Invariant($"{(int)span.TotalSeconds} s"),
            { TotalHours: < 1 } => span.Seconds == 0 ? Invariant($"{span.Minutes} min") : Invariant($"{span.Minutes} min {span.Seconds} s"),
            { TotalDays: < 1 } => span.Minutes == 0 ? Invariant($"{span.Hours} h") : Invariant($"{span.Hours} h {span.Minutes} min"),
            _ => span.Hours == 0 ? Invariant($"{(int)span.TotalDays} d") : Invariant($"{(int)span.TotalDays} d {span.Hours} h"),
        };
    }

    /// <summary>A pull interval: "5 s", "1 min", "5 min".</summary>
    public static string Interval(int seconds) =>
        seconds >= 60 && seconds % 60 == 0 ? Invariant($"{seconds / 60} min") : Invariant($"{seconds} s");

    /// <summary>A byte count in binary units: "512 B", "1.5 KiB", "20.3 MiB", "1.02 GiB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? Invariant($"{bytes} B")
            : value.ToString(value < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A count with thousands separators: "12,345".</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Number(decimal value, string format = "0.####") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
