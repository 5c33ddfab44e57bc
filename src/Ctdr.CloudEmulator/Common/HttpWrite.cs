using System.Text;
using System.Text.Json;

namespace Ctdr.CloudEmulator.Common;

internal static class HttpWrite
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>JSON with the property names exactly as given (providers' own casing).</summary>
    public static readonly JsonSerializerOptions Verbatim = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task JsonAsync(HttpContext context, int status, object body, JsonSerializerOptions? options = null, string contentType = "application/json")
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), options ?? Verbatim);
        return BytesAsync(context, status, bytes, contentType);
    }

    public static async Task BytesAsync(HttpContext context, int status, byte[] body, string contentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static string NewRequestId(int hexLength = 24, bool upper = true)
    {
        var hex = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        hex = hex[..hexLength];
        return upper ? hex.ToUpperInvariant() : hex;
    }

    /// <summary>Renders control characters the way a JSON error message shows a string-to-sign: <c>\n</c> as the two characters.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
