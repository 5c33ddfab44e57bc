using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;

namespace Ctdr.Application.Detection.Sigma;

/// <summary>
/// One Sigma logsource Ctdr can run: the log products it stands for and how its field names translate to Ctdr
/// fields. A field maps to one or more paths (an OCSF path of <see cref="SecurityLogFields"/> or <c>raw.…</c>);
/// several paths are alternatives, one per product, for fields without an OCSF column. A key ending in <c>.</c>
/// maps every field under that prefix.
/// </summary>
public sealed record SigmaLogSourceMapping(
    string? Category,
    string? Product,
    string? Service,
    ValueList<LogProduct> Products,
    IReadOnlyDictionary<string, ValueList<string>> Fields,
    string? RawFallbackPrefix)
{
    /// <summary>How the logsource reads in messages, e.g. <c>category 'webserver'</c>.</summary>
    public string Describe() => SigmaFieldMap.Describe(Category, Product, Service);
}

/// <summary>The logsources Sigma rules may use and their field mappings (documented in docs/sigma.md).</summary>
public static class SigmaFieldMap
{
    private static readonly ValueList<LogProduct> WafProducts = ValueList.Of(LogProduct.AlibabaWaf, LogProduct.HuaweiWaf, LogProduct.TencentWaf);

    private static Dictionary<string, ValueList<string>> Map(params (string Sigma, string[] Paths)[] entries) =>
        entries.ToDictionary(e => e.Sigma, e => new ValueList<string>(e.Paths), StringComparer.Ordinal);

    /// <summary>CloudTrail's field names, which ActionTrail shares (its event-name vocabulary is Alibaba Cloud's own).</summary>
    private static readonly Dictionary<string, ValueList<string>> TrailFields = Map(
        ("eventName", ["api.operation"]),
        ("eventSource", ["api.service.name"]),
        ("eventID", ["metadata.uid"]),
        ("sourceIPAddress", ["src_endpoint.ip"]),
        ("errorCode", ["api.response.error"]),
        ("errorMessage", ["api.response.error_message"]),
        ("userAgent", ["http_request.user_agent"]),
        ("awsRegion", ["cloud.region"]),
        ("recipientAccountId", ["cloud.account.uid"]),
        ("userIdentity.type", ["actor.user.type"]),
        ("userIdentity.userName", ["actor.user.name"]),
        ("userIdentity.principalId", ["actor.user.uid"]),
        ("userIdentity.accessKeyId", ["actor.user.credential_uid"]),
        ("userIdentity.accountId", ["actor.user.account.uid"]),
        ("eventType", ["raw.event.eventType"]),
        ("requestParameters.", ["raw.event.requestParameters."]),
        ("responseElements.", ["raw.event.responseElements."]),
        ("additionalEventData.", ["raw.event.additionalEventData."]),
        ("userIdentity.", ["raw.event.userIdentity."]));

    private static Dictionary<string, ValueList<string>> ActionTrailFields() =>
        new(TrailFields.Concat(Map(
            ("serviceName", ["raw.event.serviceName"]),
            ("acsRegion", ["cloud.region"]))), StringComparer.Ordinal);

    /// <summary>The table, in the order it is documented.</summary>
    public static IReadOnlyList<SigmaLogSourceMapping> LogSources { get; } =
    [
        new("webserver", null, null, WafProducts, Map(
            ("c-ip", ["src_endpoint.ip"]),
            ("cs-method", ["http_request.http_method"]),
            ("cs-uri-stem", ["http_request.url.path"]),
            ("cs-uri-query", ["http_request.url.query_string"]),
            ("sc-status", ["http_response.code"]),
            ("cs-user-agent", ["http_request.user_agent"]),
            ("cs-host", ["http_request.url.hostname"]),
            ("cs-uri", [SplitUri]),
            ("cs-referer", ["raw.http_referer", "raw.access_log.referer", "raw.referer"])), null),
        new("firewall", null, null, ValueList.Of(LogProduct.AlibabaCloudFirewall), Map(
            ("src_ip", ["src_endpoint.ip"]),
            ("dst_ip", ["dst_endpoint.ip"]),
            ("src_port", ["src_endpoint.port"]),
            ("dst_port", ["dst_endpoint.port"]),
            ("action", ["raw.rule_result"])), null),
        new(null, "aws", "cloudtrail", ValueList.Of(LogProduct.AlibabaActionTrail), TrailFields, null),
        new(null, "alibaba_cloud", "waf", ValueList.Of(LogProduct.AlibabaWaf), Map(), "raw."),
        new(null, "alibaba_cloud", "cloudfirewall", ValueList.Of(LogProduct.AlibabaCloudFirewall), Map(), "raw."),
        new(null, "alibaba_cloud", "actiontrail", ValueList.Of(LogProduct.AlibabaActionTrail), ActionTrailFields(), "raw.event."),
        new(null, "huawei_cloud", "waf", ValueList.Of(LogProduct.HuaweiWaf), Map(), "raw."),
        new(null, "tencent_cloud", "waf", ValueList.Of(LogProduct.TencentWaf), Map(), "raw."),
    ];

    /// <summary>Stands for the whole request URI (path "?" query), which no log holds as one field.</summary>
    internal const string SplitUri = "(path?query)";

    /// <summary>Our own product: no service means every log product; a service names one <see cref="LogProduct"/>.</summary>
    public const string CtdrProduct = "ctdr";

    internal static string Describe(string? category, string? product, string? service)
    {
        var parts = new List<string>(3);
        if (category is not null)
        {
            parts.Add($"category '{category}'");
        }

        if (product is not null)
        {
            parts.Add($"product '{product}'");
        }

        if (service is not null)
        {
            parts.Add($"service '{service}'");
        }

        return parts.Count == 0 ? "(empty)" : string.Join(", ", parts);
    }

    /// <summary>The supported logsources as listed in refusal messages.</summary>
    public static string Supported { get; } = string.Join("; ", LogSources.Select(l => l.Describe()).Append($"product '{CtdrProduct}'"));

    /// <summary>The mapping for a rule's logsource; a refusal when Ctdr has no log product for it.</summary>
    internal static SigmaLogSourceMapping Resolve(string? category, string? product, string? service)
    {
        category = category?.ToLowerInvariant();
        product = product?.ToLowerInvariant();
        service = service?.ToLowerInvariant();

        if (product == CtdrProduct && category is null)
        {
            if (service is null)
            {
                return new(null, CtdrProduct, null, ValueList<LogProduct>.Empty, Map(), null);
            }

            var one = Enum.GetValues<LogProduct>().Where(p => string.Equals(p.ToString(), service, StringComparison.OrdinalIgnoreCase)).ToList();
            return one.Count == 1
                ? new(null, CtdrProduct, service, ValueList.Of(one[0]), Map(), "raw.")
                : throw new SigmaRefusedException(
                    $"logsource product '{CtdrProduct}', service '{service}' names no log product (supported: {string.Join(", ", Enum.GetNames<LogProduct>())})");
        }

        var match = LogSources.FirstOrDefault(l => l.Category == category && l.Product == product && l.Service == service);
        if (match is not null)
        {
            return match;
        }

        var what = product is not null && product != CtdrProduct && LogSources.All(l => l.Product != product) ? Describe(null, product, null)
            : category is not null && LogSources.All(l => l.Category != category) ? Describe(category, null, null)
            : Describe(category, product, service);
        throw new SigmaRefusedException($"logsource {what} has no log product in Ctdr (supported: {Supported})");
    }

    /// <summary>
    /// The Ctdr paths of a Sigma field under a logsource. An OCSF path is accepted under any logsource; a <c>raw.</c>
    /// path and unknown names (as <c>raw.&lt;name&gt;</c>) only under logsources of one provider product.
    /// </summary>
    internal static ValueList<string> Paths(this SigmaLogSourceMapping source, string field)
    {
        if (source.Fields.TryGetValue(field, out var paths))
        {
            return paths;
        }

        foreach (var (prefix, targets) in source.Fields)
        {
            if (prefix.EndsWith('.') && field.StartsWith(prefix, StringComparison.Ordinal) && field.Length > prefix.Length)
            {
                return targets.Select(t => t + field[prefix.Length..]).ToValueList();
            }
        }

        if (SecurityLogFields.TryGet(field, out _))
        {
            return ValueList.Of(field);
        }

        if (source.RawFallbackPrefix is not null || (source.Product == CtdrProduct && source.Service is null))
        {
            if (field.StartsWith("raw.", StringComparison.Ordinal) && field.Length > 4)
            {
                return ValueList.Of(field);
            }

            if (source.RawFallbackPrefix is not null && IsRawName(field))
            {
                return ValueList.Of(source.RawFallbackPrefix + field);
            }
        }

        throw new SigmaRefusedException($"field '{field}' has no mapping for logsource {source.Describe()}");
    }

    private static bool IsRawName(string field) =>
        field.Length > 0 && field[0] != '.' && field[^1] != '.' && !field.Contains("..", StringComparison.Ordinal)
        && field.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@' or '$');

    /// <summary>The entities an imported rule names by default, from the fields its products have.</summary>
    internal static ValueList<EntityMapping> DefaultEntities(ValueList<LogProduct> products)
    {
        var entities = new List<EntityMapping> { new(EntityKind.Ip, "src_endpoint.ip") };
        if (products.Count > 0 && products.All(WafProducts.Contains))
        {
            entities.Add(new(EntityKind.Asset, "http_request.url.hostname"));
        }

        entities.Add(new(EntityKind.Account, "cloud.account.uid"));
        if (products.Count > 0 && products.All(p => p == LogProduct.AlibabaActionTrail))
        {
            entities.Add(new(EntityKind.User, "actor.user.name"));
            entities.Add(new(EntityKind.AccessKey, "actor.user.credential_uid"));
        }

        return entities.ToValueList();
    }
}
