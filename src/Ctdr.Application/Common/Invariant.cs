using System.Globalization;

namespace Ctdr.Application.Common;

public static class Invariant
{
    /// <summary>An id as text for audit entries and messages, independent of the culture.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
