using System.Buffers;
using System.Net;
using System.Text.RegularExpressions;
using Ctdr.Application.Logs;

namespace Ctdr.Application.Detection.Engine;

/// <summary>A compiled condition: evaluated per record without looking at the rule model again.</summary>
internal abstract class Matcher
{
    public abstract bool Matches(RecordContext context);
}

internal sealed class TrueMatcher : Matcher
{
    public static TrueMatcher Instance { get; } = new();

    public override bool Matches(RecordContext context) => true;
}

internal sealed class AllMatcher(Matcher[] items) : Matcher
{
    public override bool Matches(RecordContext context)
    {
        foreach (var item in items)
        {
            if (!item.Matches(context))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class AnyMatcher(Matcher[] items) : Matcher
{
    public override bool Matches(RecordContext context)
    {
        foreach (var item in items)
        {
            if (item.Matches(context))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class NotMatcher(Matcher inner) : Matcher
{
    public override bool Matches(RecordContext context) => !inner.Matches(context);
}

/// <summary>A text test of one field; an absent field fails it.</summary>
internal sealed class FieldTextMatcher(FieldReader field, TextPredicate predicate) : Matcher
{
    public override bool Matches(RecordContext context)
    {
        var value = field.Text(context);
        return value is not null && predicate.Holds(value, context);
    }
}

/// <summary>A text test of every text field (<c>*</c>): holds when one field passes it.</summary>
internal sealed class AnyFieldMatcher(LogField[] fields, TextPredicate predicate) : Matcher
{
    public override bool Matches(RecordContext context)
    {
        foreach (var field in fields)
        {
            var value = field.TextOf(context.Log);
            if (value is not null && predicate.Holds(value, context))
            {
                return true;
            }
        }

        return false;
    }
}

internal enum NumericOperator
{
    Equal,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// <summary>A numeric comparison; false when the field is absent or not a number.</summary>
internal sealed class NumericMatcher(FieldReader field, NumericOperator op, Numeric[] values, bool all) : Matcher
{
    public override bool Matches(RecordContext context)
    {
        if (!field.TryNumber(context, out var number))
        {
            return false;
        }

        foreach (var value in values)
        {
            var compared = number.CompareTo(value);
            var holds = op switch
            {
                NumericOperator.Equal => compared == 0,
                NumericOperator.Greater => compared > 0,
                NumericOperator.GreaterOrEqual => compared >= 0,
                NumericOperator.Less => compared < 0,
                _ => compared <= 0,
            };
            if (holds != all)
            {
                return holds;
            }
        }

        return all;
    }
}

/// <summary>A test of one text value.</summary>
internal abstract class TextPredicate
{
    public abstract bool Holds(string value, RecordContext context);
}

internal sealed class ExistsPredicate : TextPredicate
{
    public override bool Holds(string value, RecordContext context) => value.Length > 0;
}

internal sealed class EqualsOnePredicate(string expected, StringComparison comparison) : TextPredicate
{
    public override bool Holds(string value, RecordContext context) => string.Equals(value, expected, comparison);
}

internal sealed class EqualsAnyPredicate(HashSet<string> expected) : TextPredicate
{
    public override bool Holds(string value, RecordContext context) => expected.Contains(value);
}

internal enum TextOperator
{
    Equals,
    Contains,
    StartsWith,
    EndsWith,
}

/// <summary>Every value must hold (<c>all</c>).</summary>
internal sealed class AllValuesPredicate(TextOperator op, string[] expected, StringComparison comparison) : TextPredicate
{
    public override bool Holds(string value, RecordContext context)
    {
        foreach (var item in expected)
        {
            var holds = op switch
            {
                TextOperator.Equals => string.Equals(value, item, comparison),
                TextOperator.Contains => value.Contains(item, comparison),
                TextOperator.StartsWith => value.StartsWith(item, comparison),
                _ => value.EndsWith(item, comparison),
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Contains one of several literals: one vectorised multi-string search.</summary>
internal sealed class ContainsAnyPredicate(SearchValues<string> literals) : TextPredicate
{
    public override bool Holds(string value, RecordContext context) => value.AsSpan().IndexOfAny(literals) >= 0;
}

internal sealed class AffixAnyPredicate(bool prefix, string[] expected, StringComparison comparison) : TextPredicate
{
    public override bool Holds(string value, RecordContext context)
    {
        foreach (var item in expected)
        {
            if (prefix ? value.StartsWith(item, comparison) : value.EndsWith(item, comparison))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class RegexPredicate(Regex[] patterns, bool all) : TextPredicate
{
    public IReadOnlyList<Regex> Patterns => patterns;

    public override bool Holds(string value, RecordContext context)
    {
        foreach (var pattern in patterns)
        {
            bool holds;
            try
            {
                holds = pattern.IsMatch(value);
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern that needs backtracking and exceeds its budget is treated as not matching.
                context.Statistics.RegexTimeouts++;
                holds = false;
            }

            if (holds != all)
            {
                return holds;
            }
        }

        return all;
    }
}

internal sealed class CidrPredicate(IPNetwork[] networks, bool all) : TextPredicate
{
    public override bool Holds(string value, RecordContext context)
    {
        if (!IPAddress.TryParse(value, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in networks)
        {
            var holds = network.Contains(address);
            if (holds != all)
            {
                return holds;
            }
        }

        return all;
    }
}
