using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ctdr.Application.Detection;
using Ctdr.Application.Logs;
using FieldCondition = Ctdr.Application.Detection.FieldCondition;

namespace Ctdr.Benchmarks;

/// <summary>
/// The baseline of the detection benchmarks: every rule in turn, its condition tree walked per record, each field looked
/// up by its path, regular expressions through the static <see cref="Regex"/> cache.
/// </summary>
internal sealed class NaiveRuleInterpreter(IReadOnlyList<RuleDefinition> rules)
{
    static NaiveRuleInterpreter() => Regex.CacheSize = 4096;

    public int Evaluate(SecurityLog log)
    {
        var matches = 0;
        foreach (var rule in rules)
        {
            if ((rule.Products.Count == 0 || rule.Products.Contains(log.Product)) && rule.Condition is { } condition && Holds(condition, log))
            {
                matches++;
            }
        }

        return matches;
    }

    private static bool Holds(RuleCondition condition, SecurityLog log) => condition switch
    {
        AndCondition and => and.Items.All(i => Holds(i, log)),
        OrCondition or => or.Items.Any(i => Holds(i, log)),
        NotCondition not => !Holds(not.Inner, log),
        FieldCondition test => Test(test, log),
        _ => false,
    };

    private static bool Test(FieldCondition test, SecurityLog log)
    {
        var text = SecurityLogFields.Get(test.Field).TextOf(log);
        var comparison = test.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (test.Operator == MatchOperator.NotEquals)
        {
            return text is null || !test.Values.Any(v => string.Equals(text, v, comparison));
        }

        if (text is null)
        {
            return false;
        }

        Func<string, bool> one = test.Operator switch
        {
            MatchOperator.Equals => v => string.Equals(text, v, comparison),
            MatchOperator.Contains => v => text.Contains(v, comparison),
            MatchOperator.StartsWith => v => text.StartsWith(v, comparison),
            MatchOperator.EndsWith => v => text.EndsWith(v, comparison),
            MatchOperator.Regex => v => Regex.IsMatch(text, v, test.CaseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase, Regex.InfiniteMatchTimeout),
            MatchOperator.Cidr => v => IPAddress.TryParse(text, out var ip) && IPNetwork.Parse(v).Contains(ip),
            MatchOperator.Exists => _ => text.Length > 0,
            _ => v => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                && double.Parse(v, CultureInfo.InvariantCulture) is var y
                && test.Operator switch
                {
                    MatchOperator.GreaterThan => x > y,
                    MatchOperator.GreaterOrEqual => x >= y,
                    MatchOperator.LessThan => x < y,
                    _ => x <= y,
                },
        };
        return test.MatchAllValues ? test.Values.All(one) : test.Values.Any(one);
    }
}
