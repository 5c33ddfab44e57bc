using System.Globalization;
using Ctdr.Application.Alerts;

namespace Ctdr.Web.Components.Shared;

/// <summary>One line that says what an evidence log is about (its fields are attacker-controlled: render as text).</summary>
public static class EvidenceSummary
{
    public const int MaxLength = 200;

    public static string Of(EvidenceLog item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Log is not { } log)
        {
            return "#" + item.LogId.ToString(CultureInfo.InvariantCulture);
        }

        var parts = new[]
        {
            log.SrcIp,
            log.HttpMethod,
            log.UrlHostname,
            log.UrlPath is null ? null : log.UrlPath + (log.UrlQuery is null ? string.Empty : "?" + log.UrlQuery),
            log.HttpStatus?.ToString(CultureInfo.InvariantCulture),
            log.ApiOperation,
            log.ActorUserName,
            log.DstPort?.ToString(CultureInfo.InvariantCulture),
        };
        var text = string.Join(" ", parts.Where(p => !string.IsNullOrEmpty(p)));
        return text.Length > MaxLength ? text[..MaxLength] + "…" : text;
    }
}
