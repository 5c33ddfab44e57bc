using System.Globalization;

namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>A response in the access matrix's notation: the status code, or "302->/path" for a redirect.</summary>
public static class ResponseOutcome
{
    public static string Of(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var code = (int)response.StatusCode;
        if (code is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
            return $"{code}->{path}";
        }

        return code.ToString(CultureInfo.InvariantCulture);
    }
}
