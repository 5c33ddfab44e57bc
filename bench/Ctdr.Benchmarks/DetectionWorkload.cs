using System.Globalization;
using Ctdr.Application.Accounts;
using Ctdr.Application.Detection;
using Ctdr.Application.Logs;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;
using Ctdr.Application.LogSources;

namespace Ctdr.Benchmarks;

/// <summary>Generated WAF rules and records for the detection benchmarks.</summary>
internal static class DetectionWorkload
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "okhttp/4.12.0",
    ];

    /// <summary>
    /// Mixed rules: 40 % equality (rule type and status), 20 % in-lists of paths, 25 % contains on the query string,
    /// 15 % regular expressions on the user agent (a few without a required literal).
    /// </summary>
    public static List<RuleDefinition> Rules(int count)
    {
        var rules = new List<RuleDefinition>(count);
        for (var i = 0; i < count; i++)
        {
            var slot = i % 20;
            RuleCondition condition = slot switch
            {
                < 8 => new AndCondition(ValueList.Of<RuleCondition>(
                    Test("firewall_rule.type", MatchOperator.Equals, $"type{i}"),
                    Test("http_response.code", MatchOperator.GreaterOrEqual, "400"))),
                < 12 => Test("http_request.url.path", MatchOperator.Equals, $"/p{i}/a", $"/p{i}/b", $"/p{i}/c", $"/p{i}/d"),
                < 17 => Test("http_request.url.query_string", MatchOperator.Contains, $"kw{i}x", $"kw{i}y"),
                < 19 => Test("http_request.user_agent", MatchOperator.Regex, $@"^scanner{i}/\d+\.\d+"),
                _ => i % 60 == 19
                    ? Test("http_request.url.path", MatchOperator.Regex, $@"\.(bak|old)\d{{{1 + (i % 3)}}}$")
                    : Test("http_request.user_agent", MatchOperator.Regex, $@"tool{i}[ -]?v\d"),
            };
            rules.Add(new RuleDefinition
            {
                Id = $"rule-{i}",
                Title = $"rule {i}",
                Condition = condition,
                Products = ValueList.Of(LogProduct.AlibabaWaf),
                Entities = ValueList.Of(new EntityMapping(EntityKind.Ip, "src_endpoint.ip"), new EntityMapping(EntityKind.Asset, "http_request.url.hostname")),
                Suppression = new Suppression(TimeSpan.FromMinutes(10), ValueList.Of(EntityKind.Ip)),
            });
        }

        return rules;
    }

    /// <summary>Records that match no rule, or (every hundredth) one rule, cycling through the kinds of rules.</summary>
    public static SecurityLog[] Records(int count, bool onePercent, int ruleCount)
    {
        var records = new SecurityLog[count];
        for (var i = 0; i < count; i++)
        {
            var hit = onePercent && i % 100 == 0 ? (i / 100 * 7) % ruleCount : -1;
            var slot = hit < 0 ? -1 : hit % 20;
            records[i] = new SecurityLog
            {
                SourceId = 1,
                Uid = "781bad0617409890" + i.ToString("D13", CultureInfo.InvariantCulture),
                Time = T0.AddMilliseconds(i),
                Provider = CloudProvider.AlibabaCloud,
                AccountUid = "5000000000000001",
                Product = LogProduct.AlibabaWaf,
                SrcIp = $"198.51.100.{i % 250}",
                UrlHostname = "shop.example.com",
                HttpMethod = "GET",
                UrlPath = slot is >= 8 and < 12 ? $"/p{hit}/c" : slot == 19 && hit % 60 == 19 ? "/backup/db.bak" + new string('1', 1 + (hit % 3)) : $"/products/{i % 40}",
                UrlQuery = slot is >= 12 and < 17 ? $"id=1&q=KW{hit}Y" : $"page={i % 7}&sort=price&q=shoes",
                UserAgent = slot is 17 or 18 ? $"Scanner{hit}/2.1 (+https://example.org)" : slot == 19 ? $"tool{hit} v2" : Agents[i % Agents.Length],
                HttpStatus = slot is >= 0 and < 8 ? 403 : 200,
                FirewallRuleType = slot is >= 0 and < 8 ? $"type{hit}" : null,
            };
        }

        return records;
    }

    private static FieldCondition Test(string field, MatchOperator op, params string[] values) => new(field, op, values);
}
