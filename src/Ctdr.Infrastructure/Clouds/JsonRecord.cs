using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Ctdr.Infrastructure.Clouds;

/// <summary>
/// Limits and reading helpers shared by the normalisers. They read records with <see cref="Utf8JsonReader"/>
/// (no DOM) and turn bad input into a precise rejection reason instead of an exception.
/// </summary>
/// <remarks>
/// Limits: a record over <see cref="MaxRecordBytes"/> is rejected; nesting deeper than <see cref="MaxDepth"/> is
/// rejected (the reader is iterative, so depth costs no stack); text values mapped into a
/// <c>SecurityLog</c> are cut to <see cref="MaxTextLength"/> characters (the raw record keeps them whole).
/// A lone "-" (nginx's way to write "empty") is read as absent.
/// </remarks>
internal static class JsonRecord
{
    public const int MaxRecordBytes = 1024 * 1024;
    public const int MaxDepth = 32;
    public const int MaxTextLength = 8192;

    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Checks the size and that the record is a JSON object; leaves the reader on its StartObject.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> json, out Utf8JsonReader reader, out string? rejection)
    {
        reader = new Utf8JsonReader(json, ReaderOptions);
        if (json.Length > MaxRecordBytes)
        {
            rejection = $"record is {json.Length.ToString(CultureInfo.InvariantCulture)} bytes, over the {MaxRecordBytes.ToString(CultureInfo.InvariantCulture)}-byte limit";
            return false;
        }

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            rejection = "not JSON: the record is empty";
            return false;
        }

        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            rejection = InvalidUtf8;
            return false;
        }

        if (!reader.Read())
        {
            rejection = "not JSON: the record is empty";
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            rejection = $"not a JSON object but {Describe(reader.TokenType)}";
            return false;
        }

        rejection = null;
        return true;
    }

    /// <summary>Why the reader gave up: too deep, truncated, or malformed (with the position).</summary>
    public static string Describe(ReadOnlySpan<byte> json, JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Nesting(json) > MaxDepth)
        {
            return $"nested deeper than {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels";
        }

        if (IsPrefixOfJson(json))
        {
            return "not JSON: truncated (the record ends inside a value)";
        }

        var line = (exception.LineNumber ?? 0) + 1;
        var position = (exception.BytePositionInLine ?? 0) + 1;
        return $"not JSON: malformed at line {line.ToString(CultureInfo.InvariantCulture)}, byte {position.ToString(CultureInfo.InvariantCulture)}";
    }

    public const string InvalidUtf8 = "not JSON: the record is not valid UTF-8";

    /// <summary>
    /// Copies the property name under the reader (unescaped) into the buffer and returns its length; 0 when longer
    /// than the buffer (never a known field).
    /// </summary>
    public static int Name(ref Utf8JsonReader reader, scoped Span<char> buffer) =>
        reader.ValueSpan.Length > buffer.Length ? 0 : reader.CopyString(buffer);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static int Nesting(ReadOnlySpan<byte> json)
    {
        int depth = 0, max = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    max = Math.Max(max, ++depth);
                    break;
                case (byte)'}' or (byte)']':
                    depth--;
                    break;
            }
        }

        return max;
    }

    private static bool IsPrefixOfJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(ReaderOptions));
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>
/// Reads typed field values from the reader's current value token. The first type error is kept in
/// <see cref="Rejection"/> (e.g. "field 'status' is not a number") and the normaliser stops there.
/// </summary>
internal struct FieldReader
{
    public string? Rejection { get; private set; }

    public readonly bool Ok => Rejection is null;

    public void Fail(string rejection) => Rejection ??= rejection;

    /// <summary>A string (numbers and booleans are taken as their text); null for null, "" and "-".</summary>
    public string? Text(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (IsAbsent(ref reader))
                {
                    return null;
                }

                var text = reader.GetString()!;
                return text.Length <= JsonRecord.MaxTextLength ? text : Cut(text);
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.Null:
                return null;
            default:
                return NotA(ref reader, field, "a string");
        }
    }

    /// <summary>Like <see cref="Text"/>, through <see cref="Utf8StringCache"/>: for short values that repeat across records.</summary>
    public string? Cached(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number && !reader.ValueIsEscaped && reader.ValueSpan.Length <= Utf8StringCache.MaxLength)
        {
            return IsAbsent(ref reader) ? null : Utf8StringCache.Get(reader.ValueSpan);
        }

        return Text(ref reader, field);
    }

    /// <summary>An HTTP request method; the common ones as shared strings.</summary>
    public string? HttpMethod(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("GET"u8))
            {
                return "GET";
            }

            if (reader.ValueTextEquals("POST"u8))
            {
                return "POST";
            }

            if (reader.ValueTextEquals("HEAD"u8))
            {
                return "HEAD";
            }

            if (reader.ValueTextEquals("PUT"u8))
            {
                return "PUT";
            }
        }

        return Cached(ref reader, field);
    }

    /// <summary>An integer given as a JSON number or a decimal string; null for null, "" and "-".</summary>
    public int? Int(ref Utf8JsonReader reader, string field)
    {
        var value = Long(ref reader, field);
        if (value is null)
        {
            return null;
        }

        if (value is < int.MinValue or > int.MaxValue)
        {
            Fail($"field '{field}' is out of range");
            return null;
        }

        return (int)value.Value;
    }

    public long? Long(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var number))
                {
                    return number;
                }

                break;
            case JsonTokenType.String:
                if (IsAbsent(ref reader))
                {
                    return null;
                }

                if (!reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed) && consumed == reader.ValueSpan.Length)
                {
                    return parsed;
                }

                break;
            case JsonTokenType.Null:
                return null;
        }

        Fail($"field '{field}' is not a number");
        SkipContainer(ref reader);
        return null;
    }

    /// <summary>
    /// A time: an ISO 8601 string (no offset = UTC), or Unix seconds or milliseconds as a number or a decimal
    /// string (values above 10^11 are milliseconds). Always returned in UTC.
    /// </summary>
    public DateTimeOffset? Time(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String && !IsDigits(reader.ValueSpan))
        {
            if (IsAbsent(ref reader))
            {
                return null;
            }

            if (reader.TryGetDateTimeOffset(out var time))
            {
                return HasOffset(reader.ValueSpan) ? time.ToUniversalTime() : new DateTimeOffset(time.DateTime, TimeSpan.Zero);
            }

            Fail($"field '{field}' is not a time (ISO 8601, or Unix seconds or milliseconds)");
            return null;
        }

        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
        {
            var unix = Long(ref reader, field);
            if (unix is null)
            {
                if (Ok)
                {
                    Fail($"field '{field}' is not a time (ISO 8601, or Unix seconds or milliseconds)");
                }

                return null;
            }

            return FromUnix(unix.Value, field);
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        NotA(ref reader, field, "a time");
        return null;
    }

    private DateTimeOffset? FromUnix(long value, string field)
    {
        const long MillisecondsFrom = 100_000_000_000;
        try
        {
            return value >= MillisecondsFrom || value <= -MillisecondsFrom
                ? DateTimeOffset.FromUnixTimeMilliseconds(value)
                : DateTimeOffset.FromUnixTimeSeconds(value);
        }
        catch (ArgumentOutOfRangeException)
        {
            Fail($"field '{field}' is out of range");
            return null;
        }
    }

    /// <summary>"true"/"false" given as a JSON boolean or string.</summary>
    public bool? Bool(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String when reader.ValueTextEquals("true"u8) || reader.ValueTextEquals("True"u8):
                return true;
            case JsonTokenType.String when reader.ValueTextEquals("false"u8) || reader.ValueTextEquals("False"u8) || IsAbsent(ref reader):
                return false;
            default:
                NotA(ref reader, field, "a boolean");
                return null;
        }
    }

    private string? NotA(ref Utf8JsonReader reader, string field, string what)
    {
        Fail($"field '{field}' is not {what}");
        SkipContainer(ref reader);
        return null;
    }

    private static void SkipContainer(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
    }

    private static bool IsAbsent(ref Utf8JsonReader reader) =>
        reader.ValueSpan.IsEmpty || (reader.ValueSpan.Length == 1 && reader.ValueSpan[0] == (byte)'-');

    private static bool IsDigits(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasOffset(ReadOnlySpan<byte> iso)
    {
        var time = iso.IndexOf((byte)'T');
        if (time < 0)
        {
            return false;
        }

        var rest = iso[(time + 1)..];
        return rest.IndexOfAny("Zz+-"u8) >= 0;
    }

    private static string Cut(string text)
    {
        var length = JsonRecord.MaxTextLength;
        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }
}

/// <summary>Receives the leaves of a nested record by dotted path (see <see cref="JsonPaths.Walk"/>).</summary>
internal interface IJsonLeafSink
{
    bool Ok { get; }

    /// <summary>
    /// Called with the reader on a leaf value (string, number, boolean, null) or on the StartArray of an array.
    /// Returns false when the path is not wanted; an unwanted array is then skipped.
    /// </summary>
    bool Leaf(scoped ReadOnlySpan<char> path, ref Utf8JsonReader reader);
}

internal static class JsonPaths
{
    public const int MaxPathLength = 128;

    /// <summary>
    /// Walks the object under the reader (positioned on its StartObject), calling the sink with each leaf's dotted
    /// path ("userIdentity.userName"). Recursion is bounded by the reader's <see cref="JsonRecord.MaxDepth"/>.
    /// </summary>
    public static void Walk<TSink>(ref Utf8JsonReader reader, ref TSink sink, scoped Span<char> path, int prefixLength)
        where TSink : struct, IJsonLeafSink
    {
        while (sink.Ok && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var length = prefixLength;
            if (prefixLength > 0)
            {
                path[length++] = '.';
            }

            var nameLength = reader.ValueSpan.Length <= path.Length - length ? JsonRecord.Name(ref reader, path[length..]) : -1;
            reader.Read();
            if (nameLength < 0)
            {
                reader.Skip();
                continue;
            }

            length += nameLength;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                Walk(ref reader, ref sink, path, length);
            }
            else if (!sink.Leaf(path[..length], ref reader) && reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
    }
}
