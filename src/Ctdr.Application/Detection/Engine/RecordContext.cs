using System.Globalization;
using System.Text.Json;
using Ctdr.Application.Logs;

namespace Ctdr.Application.Detection.Engine;

/// <summary>A path into a record's original JSON (<c>raw.a.b.c</c>), with the cache keys of its prefixes.</summary>
internal sealed class RawPath
{
    public RawPath(int id, string path)
    {
        Id = id;
        Path = path;
        Segments = path.Split('.');
        Prefixes = new string[Segments.Length];
        for (var i = 0; i < Segments.Length; i++)
        {
            Prefixes[i] = string.Join('.', Segments, 0, i + 1);
        }
    }

    public int Id { get; }

    public string Path { get; }

    public string[] Segments { get; }

    /// <summary>The joined segments up to and including each index: the key of a string member parsed as JSON.</summary>
    public string[] Prefixes { get; }
}

/// <summary>
/// The record being evaluated and what has been read from it. The original JSON is parsed lazily, at most once per
/// record, and each <c>raw.</c> path is resolved at most once per record however many rules read it.
/// </summary>
internal sealed class RecordContext(RawPath[] rawPaths, DetectionStatistics statistics)
{
    private readonly string?[] _rawValues = new string?[rawPaths.Length];
    private readonly long[] _rawStamps = new long[rawPaths.Length];
    private readonly List<(string Prefix, JsonDocument? Document)> _nested = [];
    private long _stamp;
    private JsonDocument? _root;
    private bool _rootParsed;

    public SecurityLog Log { get; private set; } = null!;

    public DetectionStatistics Statistics { get; } = statistics;

    /// <summary>How many times the original JSON was parsed (the record itself and string members holding JSON).</summary>
    public long JsonParses { get; private set; }

    public void Reset(SecurityLog log)
    {
        Clear();
        Log = log;
        _stamp++;
    }

    /// <summary>Returns the pooled buffers of the parsed JSON.</summary>
    public void Clear()
    {
        if (!_rootParsed)
        {
            return;
        }

        _root?.Dispose();
        _root = null;
        _rootParsed = false;
        foreach (var (_, document) in _nested)
        {
            document?.Dispose();
        }

        _nested.Clear();
    }

    public string? Raw(int id)
    {
        if (_rawStamps[id] == _stamp)
        {
            return _rawValues[id];
        }

        var value = Resolve(rawPaths[id]);
        _rawValues[id] = value;
        _rawStamps[id] = _stamp;
        return value;
    }

    private string? Resolve(RawPath path)
    {
        if (!_rootParsed)
        {
            _rootParsed = true;
            _root = Parse(Log.Raw);
        }

        if (_root is null)
        {
            return null;
        }

        var current = _root.RootElement;
        for (var i = 0; i < path.Segments.Length; i++)
        {
            if (current.ValueKind == JsonValueKind.String && i > 0)
            {
                // A string member holding a JSON object is entered as that object (ActionTrail's SLS field "event").
                var nested = Nested(path.Prefixes[i - 1], current);
                if (nested is null)
                {
                    return null;
                }

                current = nested.RootElement;
            }

            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(path.Segments[i], out var next))
            {
                return null;
            }

            current = next;
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number => current.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Object or JsonValueKind.Array => current.GetRawText(),
            _ => null,
        };
    }

    private JsonDocument? Nested(string prefix, JsonElement element)
    {
        foreach (var (key, document) in _nested)
        {
            if (string.Equals(key, prefix, StringComparison.Ordinal))
            {
                return document;
            }
        }

        var text = element.GetString();
        JsonDocument? parsed = null;
        if (text is not null && text.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            parsed = Parse(System.Text.Encoding.UTF8.GetBytes(text));
        }

        _nested.Add((prefix, parsed));
        return parsed;
    }

    private JsonDocument? Parse(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        JsonParses++;
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A number read from a record or a rule: a long when it is integral, else a double.</summary>
internal readonly record struct Numeric(bool IsLong, long Long, double Double)
{
    public static Numeric Of(long value) => new(true, value, value);

    public static bool TryParse(string? text, out Numeric value)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            value = Of(l);
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            value = new Numeric(false, 0, d);
            return true;
        }

        value = default;
        return false;
    }

    public int CompareTo(Numeric other) =>
        IsLong && other.IsLong ? Long.CompareTo(other.Long) : Double.CompareTo(other.Double);
}

/// <summary>Reads one field of the record being evaluated.</summary>
internal abstract class FieldReader(string path)
{
    public string Path { get; } = path;

    /// <summary>True for fields whose text may be compared without allocating (text members, raw paths).</summary>
    public virtual bool IsCheapText => true;

    public virtual bool IsNumberField => false;

    public abstract string? Text(RecordContext context);

    public virtual bool TryNumber(RecordContext context, out Numeric value) => Numeric.TryParse(Text(context), out value);
}

internal sealed class OcsfTextReader(LogField field) : FieldReader(field.Path)
{
    public override string? Text(RecordContext context) => field.TextOf(context.Log);
}

/// <summary>A number or time member: compared as a number, read as text only for text operators.</summary>
internal sealed class OcsfNumberReader : FieldReader
{
    private static readonly SecurityLog Blank = new() { Uid = string.Empty };
    private readonly LogField _field;
    private readonly bool _zeroIsAbsent;

    public OcsfNumberReader(LogField field)
        : base(field.Path)
    {
        _field = field;

        // Members such as connection_info.direction_id read as absent when 0 (their text is null then).
        _zeroIsAbsent = field.TextOf(Blank) is null && field.NumberOf(Blank) == 0;
    }

    public override bool IsCheapText => false;

    public override bool IsNumberField => true;

    public override string? Text(RecordContext context) => _field.TextOf(context.Log);

    public override bool TryNumber(RecordContext context, out Numeric value)
    {
        var number = _field.NumberOf(context.Log);
        if (number is null || (_zeroIsAbsent && number == 0))
        {
            value = default;
            return false;
        }

        value = Numeric.Of(number.Value);
        return true;
    }
}

internal sealed class RawReader(RawPath path) : FieldReader("raw." + path.Path)
{
    public override string? Text(RecordContext context) => context.Raw(path.Id);
}
