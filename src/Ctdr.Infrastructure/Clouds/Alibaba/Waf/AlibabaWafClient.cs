using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds.Alibaba.Waf;

internal enum PopSignatureVersion
{
    V3,
    V2,
}

/// <summary>A WAF 3.0 instance as DescribeInstance answers it.</summary>
internal sealed record WafInstance(string InstanceId, string Edition, string RegionId, int Status);

/// <summary>A protection template as DescribeDefenseTemplates answers it.</summary>
internal sealed record WafTemplate(long TemplateId, string TemplateName, string TemplateType, string TemplateOrigin, string DefenseScene, int TemplateStatus);

/// <summary>A protection rule: its identity, scene, status and the <c>Config</c> JSON, with the IP blacklist fields read out of it.</summary>
internal sealed record WafRule(long RuleId, string RuleName, long TemplateId, string DefenseScene, int Status, string Config)
{
    /// <summary><c>remoteAddr</c> of an IP blacklist rule (empty for other scenes).</summary>
    public IReadOnlyList<string> RemoteAddresses { get; } = ConfigStrings(Config, "remoteAddr");

    /// <summary><c>action</c> of the rule (<c>block</c>, <c>monitor</c>, ...), or empty.</summary>
    public string Action { get; } = ConfigString(Config, "action");

    public bool Enabled => Status == 1;

    private static IReadOnlyList<string> ConfigStrings(string config, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
                ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string ConfigString(string config, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}

/// <summary>How the client retries: attempts after the first, the first delay (doubled each time, with jitter), and the budget of a call.</summary>
internal sealed record PopRetry(int MaxRetries, TimeSpan BaseDelay, TimeSpan TotalTimeout);

/// <summary>
/// The WAF 3.0 OpenAPI (<c>waf-openapi</c> 2021-10-01, RPC style, <c>POST /</c> on <c>wafopenapi.&lt;region&gt;.aliyuncs.com</c>)
/// for one account and WAF region. Business parameters travel as a form body; every attempt is signed afresh (V3
/// headers, or V2 common parameters in the query) with a new nonce, because the service refuses a nonce it has seen.
/// Reads are retried on throttling, 5xx, 408, 429, timeouts and unreachable endpoints; writes only when the service
/// says it refused the call unexecuted (throttling, 429, 503), so a retried write never lands twice.
/// </summary>
internal sealed class AlibabaWafClient(
    HttpClient http,
    CloudCredentials credentials,
    string region,
    Uri? endpoint,
    TimeProvider clock,
    PopSignatureVersion signatureVersion,
    PopRetry retry)
{
    public const string Version = "2021-10-01";

    public string Host => $"wafopenapi.{region}.aliyuncs.com";

    /// <summary>The WAF 3.0 instance of the account in this region, or null when it has none (the service answers no InstanceId).</summary>
    public async Task<WafInstance?> DescribeInstanceAsync(CancellationToken cancellationToken)
    {
        using var document = await CallAsync("DescribeInstance", [], write: false, cancellationToken);
        var root = document.RootElement;
        var id = Str(root, "InstanceId");
        return string.IsNullOrEmpty(id) ? null : new WafInstance(id, Str(root, "Edition"), Str(root, "RegionId") is { Length: > 0 } r ? r : region, Int(root, "Status"));
    }

    /// <summary>Every domain (protected CNAME-access object) of the instance, all pages.</summary>
    public async Task<IReadOnlyList<string>> DescribeDomainsAsync(string instanceId, CancellationToken cancellationToken)
    {
        var domains = new List<string>();
        for (var page = 1; ; page++)
        {
            using var document = await CallAsync("DescribeDomains", [P("InstanceId", instanceId), P("PageNumber", Num(page)), P("PageSize", "50")], false, cancellationToken);
            var items = Array(document.RootElement, "Domains");
            domains.AddRange(items.Select(d => Str(d, "Domain")).Where(d => d.Length > 0));
            if (items.Count < 50 || domains.Count >= Int(document.RootElement, "TotalCount"))
            {
                return domains;
            }
        }
    }

    /// <summary>The protection templates of one scene, all pages.</summary>
    public async Task<IReadOnlyList<WafTemplate>> DescribeDefenseTemplatesAsync(string instanceId, string defenseScene, CancellationToken cancellationToken)
    {
        var templates = new List<WafTemplate>();
        for (var page = 1; ; page++)
        {
            using var document = await CallAsync("DescribeDefenseTemplates",
                [P("InstanceId", instanceId), P("DefenseScene", defenseScene), P("PageNumber", Num(page)), P("PageSize", "50")], false, cancellationToken);
            var items = Array(document.RootElement, "Templates");
            templates.AddRange(items.Select(t => new WafTemplate(Long(t, "TemplateId"), Str(t, "TemplateName"), Str(t, "TemplateType"), Str(t, "TemplateOrigin"), Str(t, "DefenseScene"), Int(t, "TemplateStatus"))));
            if (items.Count < 50 || templates.Count >= Int(document.RootElement, "TotalCount"))
            {
                return templates;
            }
        }
    }

    /// <summary>Creates an enabled custom-origin template; <paramref name="templateType"/> is <c>user_default</c> (applies to every protected object without a custom template) or <c>user_custom</c>.</summary>
    public async Task<long> CreateDefenseTemplateAsync(string instanceId, string name, string defenseScene, string templateType, string description, CancellationToken cancellationToken)
    {
        using var document = await CallAsync("CreateDefenseTemplate",
        [
            P("InstanceId", instanceId), P("TemplateName", name), P("TemplateType", templateType), P("DefenseScene", defenseScene),
            P("TemplateOrigin", "custom"), P("TemplateStatus", "1"), P("Description", description),
        ], true, cancellationToken);
        return Long(document.RootElement, "TemplateId");
    }

    /// <summary>The rules of a template (all pages), optionally of one scene.</summary>
    public async Task<IReadOnlyList<WafRule>> DescribeDefenseRulesAsync(string instanceId, long templateId, string? defenseScene, CancellationToken cancellationToken)
    {
        var query = defenseScene is null
            ? JsonSerializer.Serialize(new Dictionary<string, object> { ["templateId"] = templateId })
            : JsonSerializer.Serialize(new Dictionary<string, object> { ["templateId"] = templateId, ["scene"] = defenseScene });
        var rules = new List<WafRule>();
        for (var page = 1; ; page++)
        {
            using var document = await CallAsync("DescribeDefenseRules",
                [P("InstanceId", instanceId), P("DefenseType", "template"), P("Query", query), P("PageNumber", Num(page)), P("PageSize", "50")], false, cancellationToken);
            var items = Array(document.RootElement, "Rules");
            rules.AddRange(items.Select(Rule));
            if (items.Count < 50 || rules.Count >= Int(document.RootElement, "TotalCount"))
            {
                return rules;
            }
        }
    }

    public async Task<WafRule> DescribeDefenseRuleAsync(string instanceId, long templateId, long ruleId, CancellationToken cancellationToken)
    {
        using var document = await CallAsync("DescribeDefenseRule",
            [P("InstanceId", instanceId), P("DefenseType", "template"), P("TemplateId", Num(templateId)), P("RuleId", Num(ruleId))], false, cancellationToken);
        if (!document.RootElement.TryGetProperty("Rule", out var rule) || rule.ValueKind != JsonValueKind.Object)
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, 200, "InvalidResponse", $"DescribeDefenseRule answered no Rule for {ruleId}.");
        }

        return Rule(rule);
    }

    /// <summary>Creates template rules; <paramref name="rulesJson"/> is the JSON array of rule objects. Returns the new rule ids.</summary>
    public async Task<IReadOnlyList<long>> CreateDefenseRuleAsync(string instanceId, long templateId, string defenseScene, string rulesJson, CancellationToken cancellationToken)
    {
        using var document = await CallAsync("CreateDefenseRule",
        [
            P("InstanceId", instanceId), P("DefenseType", "template"), P("TemplateId", Num(templateId)), P("DefenseScene", defenseScene), P("Rules", rulesJson),
        ], true, cancellationToken);
        var ids = Str(document.RootElement, "RuleIds");
        return [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture))];
    }

    /// <summary>Replaces template rules; each object of <paramref name="rulesJson"/> carries its <c>id</c>.</summary>
    public async Task ModifyDefenseRuleAsync(string instanceId, long templateId, string defenseScene, string rulesJson, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync("ModifyDefenseRule",
        [
            P("InstanceId", instanceId), P("DefenseType", "template"), P("TemplateId", Num(templateId)), P("DefenseScene", defenseScene), P("Rules", rulesJson),
        ], true, cancellationToken);
    }

    public async Task ModifyDefenseRuleStatusAsync(string instanceId, long templateId, long ruleId, bool enabled, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync("ModifyDefenseRuleStatus",
        [
            P("InstanceId", instanceId), P("DefenseType", "template"), P("TemplateId", Num(templateId)), P("RuleId", Num(ruleId)), P("RuleStatus", enabled ? "1" : "0"),
        ], true, cancellationToken);
    }

    public async Task DeleteDefenseRuleAsync(string instanceId, long templateId, IReadOnlyList<long> ruleIds, CancellationToken cancellationToken)
    {
        using var _ = await CallAsync("DeleteDefenseRule",
        [
            P("InstanceId", instanceId), P("DefenseType", "template"), P("TemplateId", Num(templateId)), P("RuleIds", string.Join(',', ruleIds.Select(Num))),
        ], true, cancellationToken);
    }

    private async Task<JsonDocument> CallAsync(string action, KeyValuePair<string, string>[] parameters, bool write, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(retry.TotalTimeout);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await SendOnceAsync(action, [.. parameters, P("RegionId", region)], budget.Token);
                return ParseJson(response, action);
            }
            catch (CloudApiException exception) when (attempt < retry.MaxRetries && Retryable(exception, write))
            {
                var delay = retry.BaseDelay * Math.Pow(2, attempt) * (0.8 + (Random.Shared.NextDouble() * 0.4));
                try
                {
                    // Network waits run on the real clock, whatever clock the application's own logic uses.
                    await Task.Delay(delay, TimeProvider.System, budget.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new CloudApiException(CloudProvider.AlibabaCloud, 0, "Timeout", $"{Host} did not answer {action} within {retry.TotalTimeout.TotalSeconds:0} s.", exception);
                }
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CloudApiException(CloudProvider.AlibabaCloud, 0, "Timeout", $"{Host} did not answer {action} within {retry.TotalTimeout.TotalSeconds:0} s.", exception);
            }
        }
    }

    private static bool Retryable(CloudApiException exception, bool write)
    {
        if (exception.ErrorCode.StartsWith("Throttling", StringComparison.Ordinal) || exception.ErrorCode == "ServiceUnavailable"
            || exception.HttpStatus is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable)
        {
            return true;
        }

        return !write && exception.HttpStatus is 0 or (int)HttpStatusCode.RequestTimeout or >= 500;
    }

    private async Task<CloudResponse> SendOnceAsync(string action, KeyValuePair<string, string>[] parameters, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nonce = Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes(string.Join('&', parameters.Select(p => SigningText.PercentEncode(p.Key) + "=" + SigningText.PercentEncode(p.Value))));
        const string contentType = "application/x-www-form-urlencoded";
        var headers = new List<KeyValuePair<string, string>> { P("host", Host), P("content-type", contentType) };
        var query = new List<KeyValuePair<string, string>>();
        if (signatureVersion == PopSignatureVersion.V3)
        {
            headers.AddRange(PopSignerV3.SigningHeaders(action, Version, body, now, nonce));
            headers.Add(P("Authorization", PopSignerV3.Authorization(new SignableRequest("POST", "/", query, headers, body), credentials)));
        }
        else
        {
            query.AddRange(PopSignerV2.CommonParameters(action, Version, credentials.AccessKeyId, now, nonce));
            query.Add(P("Signature", PopSignerV2.Signature("POST", [.. query, .. parameters], credentials)));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, CloudHttp.RequestUri(endpoint, Host, "/", query));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        foreach (var header in headers.Where(h => h.Key != "content-type"))
        {
            if (header.Key == "host")
            {
                request.Headers.Host = header.Value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        request.Headers.TryAddWithoutValidation("User-Agent", CloudHttp.UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        var response = await CloudHttp.SendAsync(http, request, CloudProvider.AlibabaCloud, Host, cancellationToken);
        if ((int)response.Status is < 200 or > 299)
        {
            var (code, message) = CloudHttp.ErrorFields(response.Body, null, "Code", "Message");
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, code ?? $"Http{(int)response.Status}", message ?? CloudHttp.Snippet(response.Body));
        }

        return response;
    }

    private static JsonDocument ParseJson(CloudResponse response, string action)
    {
        try
        {
            return JsonDocument.Parse(response.Body);
        }
        catch (JsonException exception)
        {
            throw new CloudApiException(CloudProvider.AlibabaCloud, (int)response.Status, "InvalidResponse", $"{action} answered something other than JSON: {CloudHttp.Snippet(response.Body)}", exception);
        }
    }

    private static WafRule Rule(JsonElement rule) =>
        new(Long(rule, "RuleId"), Str(rule, "RuleName"), Long(rule, "TemplateId"), Str(rule, "DefenseScene"), Int(rule, "Status"), Str(rule, "Config"));

    private static List<JsonElement> Array(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : [];

    private static string Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                _ => string.Empty,
            }
            : string.Empty;

    private static long Long(JsonElement element, string name) =>
        long.TryParse(Str(element, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static int Int(JsonElement element, string name) => (int)Math.Clamp(Long(element, name), int.MinValue, int.MaxValue);

    private static KeyValuePair<string, string> P(string key, string value) => KeyValuePair.Create(key, value);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
