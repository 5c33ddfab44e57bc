using System.Buffers;
using System.Net;
using System.Text.RegularExpressions;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Detection.Engine;

/// <summary>
/// Compiles rules and allow-list entries once into matcher objects and per-product indexes (equality dictionaries,
/// multi-literal prefilters), so that evaluating a record never walks the rule model.
/// </summary>
public static class RuleCompiler
{
    public static CompiledRuleSet Compile(IReadOnlyList<ActiveRule> rules, IReadOnlyList<AllowListRule> allowList, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(allowList);
        ArgumentNullException.ThrowIfNull(options);
        return new Builder(options).Build(rules, allowList);
    }

    private sealed class Builder(DetectionOptions options)
    {
        private static readonly LogField[] TextFields =
            [.. SecurityLogFields.All.Where(f => f.Kind is LogFieldKind.Text or LogFieldKind.IpAddress)];

        private readonly Dictionary<string, RawPath> _rawPaths = new(StringComparer.Ordinal);
        private readonly Dictionary<string, FieldReader> _readers = new(StringComparer.Ordinal);

        public CompiledRuleSet Build(IReadOnlyList<ActiveRule> rules, IReadOnlyList<AllowListRule> allowList)
        {
            var allow = allowList
                .Select(a => (Entry: a, Matcher: CompileCondition(a.Condition, "allow-list:" + a.EntryId, null)))
                .ToList();
            var compiled = new CompiledRule[rules.Count];
            var units = new List<EvalUnit>();
            var unitConjuncts = new List<List<RuleCondition>>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < rules.Count; i++)
            {
                var active = rules[i];
                var definition = active.Definition;
                if (!keys.Add(definition.Id))
                {
                    throw new RuleCompileException(definition.Id, "the rule key is used twice.");
                }

                var rule = CompileRule(i, active, allow);
                compiled[i] = rule;
                if (definition.Sequence is { } sequence)
                {
                    for (var step = 0; step < sequence.Steps.Count; step++)
                    {
                        var conjuncts = Flatten(definition.Condition).Concat(Flatten(sequence.Steps[step].Condition)).ToList();
                        units.Add(new EvalUnit(units.Count, rule, step, CompileConjunction(conjuncts, rule)));
                        unitConjuncts.Add(conjuncts);
                    }
                }
                else
                {
                    var conjuncts = Flatten(definition.Condition);
                    units.Add(new EvalUnit(units.Count, rule, -1, CompileConjunction(conjuncts, rule)));
                    unitConjuncts.Add(conjuncts);
                }
            }

            var productValues = Enum.GetValues<LogProduct>();
            var products = new ProductIndex[productValues.Max(p => (int)p) + 1];
            foreach (var product in productValues)
            {
                products[(int)product] = BuildIndex(units, unitConjuncts, u => u.Rule.Active.Definition.Products.Count == 0 || u.Rule.Active.Definition.Products.Contains(product));
            }

            var other = BuildIndex(units, unitConjuncts, u => u.Rule.Active.Definition.Products.Count == 0);
            var rawPaths = _rawPaths.Values.OrderBy(p => p.Id).ToArray();
            return new CompiledRuleSet(compiled, [.. units], products, other, rawPaths);
        }

        private CompiledRule CompileRule(int index, ActiveRule active, List<(AllowListRule Entry, Matcher Matcher)> allow)
        {
            var definition = active.Definition;
            var key = definition.Id;
            if (definition.Aggregation is not null && definition.Sequence is not null)
            {
                throw new RuleCompileException(key, "a rule cannot have both an aggregation and a sequence.");
            }

            var entities = definition.Entities
                .Select((e, order) => (e.Kind, Order: order, Field: ReaderOf(e.Field, key)))
                .OrderBy(e => e.Kind).ThenBy(e => e.Order)
                .Select(e => (e.Kind, e.Field))
                .ToArray();
            var allowEntries = allow
                .Where(a => a.Entry.RuleKey is null || string.Equals(a.Entry.RuleKey, key, StringComparison.Ordinal))
                .Select(a => new CompiledAllowEntry(a.Entry.EntryId, a.Matcher))
                .ToArray();
            var suppression = definition.Suppression;
            if (suppression is not null && suppression.Period <= TimeSpan.Zero)
            {
                throw new RuleCompileException(key, "the suppression period must be positive.");
            }

            if (definition.Aggregation is { } aggregation)
            {
                if (aggregation.Window <= TimeSpan.Zero)
                {
                    throw new RuleCompileException(key, "the aggregation window must be positive.");
                }

                if (aggregation.GroupBy.Count == 0)
                {
                    throw new RuleCompileException(key, "the aggregation has no 'by' fields.");
                }

                var bucket = Math.Max(aggregation.Window.Ticks / 10, TimeSpan.TicksPerSecond);
                var count = (int)Math.Clamp((aggregation.Window.Ticks + bucket - 1) / bucket, 1, 10);
                FieldReader? distinct = null;
                if (aggregation.Function == AggregateFunction.DistinctCount)
                {
                    distinct = aggregation.DistinctField is { Length: > 0 } field
                        ? ReaderOf(field, key)
                        : throw new RuleCompileException(key, "a distinct count needs a field.");
                }

                return new CompiledRule
                {
                    Index = index,
                    Active = active,
                    Kind = RuleKind.Aggregation,
                    Entities = entities,
                    AllowList = allowEntries,
                    PeriodTicks = (suppression?.Period ?? aggregation.Window).Ticks,
                    GroupBy = [.. aggregation.GroupBy.Select(f => ReaderOf(f, key))],
                    DistinctField = distinct,
                    Function = aggregation.Function,
                    Threshold = aggregation.Threshold,
                    WindowTicks = aggregation.Window.Ticks,
                    BucketTicks = bucket,
                    BucketCount = count,
                };
            }

            if (definition.Sequence is { } sequence)
            {
                if (sequence.Window <= TimeSpan.Zero)
                {
                    throw new RuleCompileException(key, "the sequence window must be positive.");
                }

                if (sequence.Steps.Count is < 1 or > 30)
                {
                    throw new RuleCompileException(key, "a sequence needs between 1 and 30 steps.");
                }

                if (sequence.By.Count == 0)
                {
                    throw new RuleCompileException(key, "the sequence has no 'by' fields.");
                }

                return new CompiledRule
                {
                    Index = index,
                    Active = active,
                    Kind = RuleKind.Sequence,
                    Entities = entities,
                    AllowList = allowEntries,
                    PeriodTicks = (suppression?.Period ?? sequence.Window).Ticks,
                    GroupBy = [.. sequence.By.Select(f => ReaderOf(f, key))],
                    WindowTicks = sequence.Window.Ticks,
                    BucketTicks = Math.Max(sequence.Window.Ticks / 10, TimeSpan.TicksPerSecond), // the eviction period and rebuild slack
                    StepCount = sequence.Steps.Count,
                    Ordered = sequence.Ordered,
                };
            }

            return new CompiledRule
            {
                Index = index,
                Active = active,
                Kind = RuleKind.Stateless,
                Entities = entities,
                AllowList = allowEntries,
                SuppressionKinds = suppression is null
                    ? null
                    : [.. (suppression.By.Count == 0 ? entities.Select(e => e.Kind) : suppression.By).Distinct().Order()],
                PeriodTicks = suppression?.Period.Ticks ?? 0,
            };
        }

        private static List<RuleCondition> Flatten(RuleCondition? condition)
        {
            var result = new List<RuleCondition>();
            Add(condition);
            return result;

            void Add(RuleCondition? item)
            {
                switch (item)
                {
                    case null:
                        break;
                    case AndCondition and:
                        foreach (var inner in and.Items)
                        {
                            Add(inner);
                        }

                        break;
                    default:
                        result.Add(item);
                        break;
                }
            }
        }

        private Matcher CompileConjunction(List<RuleCondition> conjuncts, CompiledRule rule) => conjuncts.Count switch
        {
            0 => TrueMatcher.Instance,
            1 => CompileCondition(conjuncts[0], rule.Key, rule.Regexes),
            _ => new AllMatcher([.. conjuncts.Select(c => CompileCondition(c, rule.Key, rule.Regexes))]),
        };

        private Matcher CompileCondition(RuleCondition condition, string key, List<Regex>? regexes) => condition switch
        {
            AndCondition and => and.Items.Count == 1
                ? CompileCondition(and.Items[0], key, regexes)
                : new AllMatcher([.. and.Items.Select(i => CompileCondition(i, key, regexes))]),
            OrCondition or => or.Items.Count == 1
                ? CompileCondition(or.Items[0], key, regexes)
                : new AnyMatcher([.. or.Items.Select(i => CompileCondition(i, key, regexes))]),
            NotCondition not => new NotMatcher(CompileCondition(not.Inner, key, regexes)),
            FieldCondition field => CompileField(field, key, regexes),
            _ => throw new RuleCompileException(key, $"unsupported condition {condition.GetType().Name}."),
        };

        private Matcher CompileField(FieldCondition test, string key, List<Regex>? regexes)
        {
            var values = test.Values.ToArray();
            var all = test.MatchAllValues;
            var comparison = test.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            if (test.Operator != MatchOperator.Exists && values.Length == 0)
            {
                throw new RuleCompileException(key, $"'{test.Field}' {test.Operator} has no values.");
            }

            if (test.Field == "*")
            {
                if (test.Operator is not (MatchOperator.Equals or MatchOperator.Contains or MatchOperator.StartsWith
                    or MatchOperator.EndsWith or MatchOperator.Regex or MatchOperator.Exists))
                {
                    throw new RuleCompileException(key, $"'*' (any field) cannot be used with {test.Operator}.");
                }

                return new AnyFieldMatcher(TextFields, TextPredicateOf(test, values, comparison, key, regexes));
            }

            var field = ReaderOf(test.Field, key);
            switch (test.Operator)
            {
                case MatchOperator.GreaterThan:
                case MatchOperator.GreaterOrEqual:
                case MatchOperator.LessThan:
                case MatchOperator.LessOrEqual:
                    return new NumericMatcher(field, NumericOperatorOf(test.Operator), NumbersOf(values, test, key), all);
                case MatchOperator.Equals when field.IsNumberField && values.All(v => Numeric.TryParse(v, out _)):
                    return new NumericMatcher(field, NumericOperator.Equal, NumbersOf(values, test, key), all);
                case MatchOperator.NotEquals when field.IsNumberField && values.All(v => Numeric.TryParse(v, out _)):
                    return new NotMatcher(new NumericMatcher(field, NumericOperator.Equal, NumbersOf(values, test, key), all));
                case MatchOperator.NotEquals:
                    return new NotMatcher(new FieldTextMatcher(field, TextPredicateOf(test with { Operator = MatchOperator.Equals }, values, comparison, key, regexes)));
                default:
                    return new FieldTextMatcher(field, TextPredicateOf(test, values, comparison, key, regexes));
            }
        }

        private static NumericOperator NumericOperatorOf(MatchOperator op) => op switch
        {
            MatchOperator.GreaterThan => NumericOperator.Greater,
            MatchOperator.GreaterOrEqual => NumericOperator.GreaterOrEqual,
            MatchOperator.LessThan => NumericOperator.Less,
            _ => NumericOperator.LessOrEqual,
        };

        private static Numeric[] NumbersOf(string[] values, FieldCondition test, string key) =>
            [.. values.Select(v => Numeric.TryParse(v, out var n)
                ? n
                : throw new RuleCompileException(key, $"'{test.Field}' {test.Operator} needs a number, not '{v}'."))];

        private TextPredicate TextPredicateOf(FieldCondition test, string[] values, StringComparison comparison, string key, List<Regex>? regexes)
        {
            var all = test.MatchAllValues && values.Length > 1;
            switch (test.Operator)
            {
                case MatchOperator.Exists:
                    return new ExistsPredicate();
                case MatchOperator.Equals when all:
                    return new AllValuesPredicate(TextOperator.Equals, values, comparison);
                case MatchOperator.Equals when values.Length == 1:
                    return new EqualsOnePredicate(values[0], comparison);
                case MatchOperator.Equals:
                    return new EqualsAnyPredicate(new HashSet<string>(values, test.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase));
                case MatchOperator.Contains when all:
                    return new AllValuesPredicate(TextOperator.Contains, values, comparison);
                case MatchOperator.Contains when values.Any(v => v.Length == 0):
                    return new AllValuesPredicate(TextOperator.Contains, [string.Empty], comparison);
                case MatchOperator.Contains:
                    return new ContainsAnyPredicate(SearchValues.Create(values, comparison));
                case MatchOperator.StartsWith or MatchOperator.EndsWith when all:
                    return new AllValuesPredicate(test.Operator == MatchOperator.StartsWith ? TextOperator.StartsWith : TextOperator.EndsWith, values, comparison);
                case MatchOperator.StartsWith or MatchOperator.EndsWith:
                    return new AffixAnyPredicate(test.Operator == MatchOperator.StartsWith, values, comparison);
                case MatchOperator.Regex:
                    var patterns = values.Select(v => RegexOf(v, test.CaseSensitive, key)).ToArray();
                    regexes?.AddRange(patterns);
                    return new RegexPredicate(patterns, all);
                case MatchOperator.Cidr:
                    return new CidrPredicate([.. values.Select(v => NetworkOf(v, key))], all);
                default:
                    throw new RuleCompileException(key, $"'{test.Field}' cannot be used with {test.Operator}.");
            }
        }

        private Regex RegexOf(string pattern, bool caseSensitive, string key)
        {
            var baseOptions = RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
            try
            {
                try
                {
                    return new Regex(pattern, baseOptions | RegexOptions.NonBacktracking);
                }
                catch (NotSupportedException)
                {
                    // Backreferences, lookarounds and atomic groups need the backtracking engine: bound it with a timeout.
                    return new Regex(pattern, baseOptions, options.RegexTimeout);
                }
            }
            catch (ArgumentException exception)
            {
                throw new RuleCompileException(key, $"invalid regular expression '{pattern}': {exception.Message}", exception);
            }
        }

        private static IPNetwork NetworkOf(string value, string key)
        {
            if (IPNetwork.TryParse(value, out var network))
            {
                return Normalise(network);
            }

            if (IPAddress.TryParse(value, out var address))
            {
                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }

                return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            }

            throw new RuleCompileException(key, $"invalid CIDR range '{value}'.");

            static IPNetwork Normalise(IPNetwork network) =>
                network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
                    ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
                    : network;
        }

        private FieldReader ReaderOf(string path, string key)
        {
            if (_readers.TryGetValue(path, out var reader))
            {
                return reader;
            }

            if (path.StartsWith("raw.", StringComparison.Ordinal) && path.Length > 4)
            {
                var rawPath = path[4..];
                if (rawPath.Split('.').Any(s => s.Length == 0))
                {
                    throw new RuleCompileException(key, $"invalid raw field '{path}'.");
                }

                if (!_rawPaths.TryGetValue(rawPath, out var raw))
                {
                    raw = new RawPath(_rawPaths.Count, rawPath);
                    _rawPaths.Add(rawPath, raw);
                }

                reader = new RawReader(raw);
            }
            else if (SecurityLogFields.TryGet(path, out var field))
            {
                reader = field.Kind is LogFieldKind.Number or LogFieldKind.Time ? new OcsfNumberReader(field) : new OcsfTextReader(field);
            }
            else
            {
                throw new RuleCompileException(key, $"unknown field '{path}'.");
            }

            _readers.Add(path, reader);
            return reader;
        }

        private ProductIndex BuildIndex(List<EvalUnit> units, List<List<RuleCondition>> conjuncts, Func<EvalUnit, bool> applies)
        {
            var equalities = new Dictionary<(string Field, bool Cased), Dictionary<string, List<int>>>();
            // Literals with non-ASCII letters (case variants of regex literals) get their own group per field, so that
            // the others keep the vectorised ASCII search.
            var prefilters = new Dictionary<(string Field, bool Ascii), (List<string> Literals, List<int> Units)>();
            var always = new List<int>();
            foreach (var unit in units)
            {
                if (!applies(unit))
                {
                    continue;
                }

                var tests = conjuncts[unit.Index].OfType<FieldCondition>().Where(t => t.Field != "*").ToList();
                var equality = tests.FirstOrDefault(t => t.Operator == MatchOperator.Equals && t.Values.Count > 0 && !ReaderOf(t.Field, unit.Rule.Key).IsNumberField);
                if (equality is not null)
                {
                    var slot = (equality.Field, equality.CaseSensitive);
                    if (!equalities.TryGetValue(slot, out var byValue))
                    {
                        byValue = new Dictionary<string, List<int>>(equality.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
                        equalities.Add(slot, byValue);
                    }

                    // With "all" every value must be equal, so the first one is a sufficient key.
                    foreach (var value in equality.MatchAllValues ? equality.Values.Take(1) : equality.Values)
                    {
                        if (!byValue.TryGetValue(value, out var list))
                        {
                            list = [];
                            byValue.Add(value, list);
                        }

                        if (list.Count == 0 || list[^1] != unit.Index)
                        {
                            list.Add(unit.Index);
                        }
                    }

                    continue;
                }

                var literals = tests.Select(RequiredLiterals).FirstOrDefault(l => l is not null);
                if (literals is not null)
                {
                    var field = tests.First(t => RequiredLiterals(t) is not null).Field;
                    var slot = (field, literals.All(l => System.Text.Ascii.IsValid(l)));
                    if (!prefilters.TryGetValue(slot, out var group))
                    {
                        group = ([], []);
                        prefilters.Add(slot, group);
                    }

                    group.Literals.AddRange(literals);
                    group.Units.Add(unit.Index);
                    continue;
                }

                always.Add(unit.Index);
            }

            return new ProductIndex(
                [.. equalities.Select(e => new EqualityIndex(
                    _readers[e.Key.Field],
                    e.Value.ToDictionary(v => v.Key, v => v.Value.ToArray(), e.Value.Comparer)))],
                [.. prefilters.Select(p => new PrefilterGroup(
                    _readers[p.Key.Field],
                    SearchValues.Create([.. p.Value.Literals.Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase),
                    [.. p.Value.Units]))],
                [.. always]);
        }

        /// <summary>
        /// Literals of which a value passing the test must contain at least one (compared ignoring case, a superset of
        /// cased tests), or null when none can be named.
        /// </summary>
        private static string[]? RequiredLiterals(FieldCondition test)
        {
            if (test.Values.Count == 0)
            {
                return null;
            }

            switch (test.Operator)
            {
                case MatchOperator.Contains or MatchOperator.StartsWith or MatchOperator.EndsWith:
                    return test.Values.Any(v => v.Length == 0) ? null : [.. test.Values];
                case MatchOperator.Regex:
                    var literals = test.Values.Select(v => RegexLiterals.RequiredAnyOf(v, test.CaseSensitive)).ToArray();
                    if (test.MatchAllValues)
                    {
                        // Every expression must match: the required set of any one of them will do.
                        return literals.FirstOrDefault(l => l is not null);
                    }

                    return literals.Any(l => l is null) ? null : [.. literals.SelectMany(l => l!)];
                default:
                    return null;
            }
        }
    }
}
