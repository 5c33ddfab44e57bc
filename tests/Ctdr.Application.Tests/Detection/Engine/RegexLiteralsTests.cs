using System.Buffers;
using System.Text.RegularExpressions;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Engine;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using static Ctdr.Application.Tests.Detection.Engine.EngineKit;

namespace Ctdr.Application.Tests.Detection.Engine;

public class RegexLiteralsTests
{
    /// <summary>Patterns that look alike but differ in what they require; used by the no-false-negative sweep.</summary>
    private static readonly string[] TrickyPatternList =
    [
        "abc|def",
        "(abc|def)x",
        "x(?:abc|(def|ghj))y",
        "(?:abc|(def|gh))y",
        "abc\\|def",
        "[|]abc|def",
        "[a|]bcd|efg",
        "[]|]abc|xyz",
        "[^]|]abc|xyz",
        "[a-z-[|]]abc|xyz",
        "(?i)abc|DEF",
        "(?i:abc)|def",
        "abc|(?i)def",
        "abc|",
        "|abc",
        "abc||def",
        "(abc|)def",
        "(abc|)",
        "(?:abc)?def|ghj",
        "(abc){0}|def",
        "(abc){0,2}def|ghj",
        "(abc){2}|def",
        "(abc)*|def",
        "(abc)+|def",
        "(?=abc)|def",
        "(?!abc)def|ghj",
        "(?<=abc)def|ghj",
        "(?#a|b)abc|def",
        "(?(abc)def|ghj)",
        "(?<n>abc)|def",
        "(?'n'abc)|def",
        "(abc)\\1|def",
        "\\p{L}abc|def",
        "\\x41bc|def",
        "\\u0041bc|def",
        "(?<n>x)\\k<n>abc|def",
        "ab{2}c|def",
        "abc{|def",
        "a{x}bcd|efg",
        "bak|old",
        "kelvin|sss",
        "task|mask|bask",
        "skskk|abc",
        "admin|root",
        "(?-i)bak|old",
        "(?i)bak|(?-i)old",
        "\\.(bak|old)\\d{2}$",
        "^(get|post)-(abc|def)$",
    ];

    public static TheoryData<string> TrickyPatterns => new(TrickyPatternList);

    private static readonly char[] Syntax = ['|', '(', ')', '?', ':', '[', ']', '\\', '^', '$', '{', '}', '*', '+'];

    private static readonly string[] Inputs = BuildInputs();

    [Theory]
    [InlineData("abc|def", new[] { "abc", "def" })]
    [InlineData("x(?:abc|def)yz", new[] { "abc", "def" })]
    [InlineData("(abc|def|ghj)", new[] { "abc", "def", "ghj" })]
    [InlineData("a(bcdef|ghjlmn)xy|pqr", new[] { "bcdef", "ghjlmn", "pqr" })]
    [InlineData("a(bcd|efg)hjlmn", new[] { "hjlmn" })]
    [InlineData("[|]abc|def", new[] { "abc", "def" })]
    [InlineData("abc\\|def", new[] { "abc" })]
    [InlineData("(?i:abc)|def", new[] { "abc", "def" })]
    [InlineData("(?:abc)+|def", new[] { "abc", "def" })]
    [InlineData("(abc){2}|def", new[] { "abc", "def" })]
    [InlineData("\\.(bak|old)\\d{2}$", new[] { "bak", "ba\u212A", "old" })]
    [InlineData("(?#x|y)abc", new[] { "abc" })]
    [InlineData("(?(abc)def|ghj)xyz", new[] { "xyz" })]
    [InlineData("admin|root", new[] { "adm", "root" })]
    public void RequiredAnyOf_ReturnsEachBranchLiteral_WhenEveryBranchHasOne(string pattern, string[] expected)
    {
        Assert.Equal(expected, RegexLiterals.RequiredAnyOf(pattern, caseSensitive: false));
    }

    [Theory]
    [InlineData("abc|")]
    [InlineData("|abc")]
    [InlineData("abc||def")]
    [InlineData("(abc|)")]
    [InlineData("abc|d.f")]
    [InlineData("(abc)?|def")]
    [InlineData("(abc){0,3}|def")]
    [InlineData("(?=abc)|def")]
    [InlineData("(?x)abc|def")]
    [InlineData("(?x:abc)")]
    [InlineData("abc)")]
    [InlineData("(abc")]
    [InlineData("[abc")]
    public void RequiredAnyOf_ReturnsNull_WhenABranchMayMatchWithoutLiteral(string pattern)
    {
        Assert.Null(RegexLiterals.RequiredAnyOf(pattern, caseSensitive: false));
    }

    [Theory]
    [InlineData("task|mask", true, new[] { "task", "mask" })]
    [InlineData("task|mask", false, new[] { "ta\u017Fk", "ta\u017F\u212A", "tas\u212A", "task", "ma\u017Fk", "ma\u017F\u212A", "mas\u212A", "mask" })]
    [InlineData("admin|root", true, new[] { "admin", "root" })]
    [InlineData("(?i)admin|root", true, new[] { "adm", "root" })]
    [InlineData("admin|(?i)root", true, new[] { "admin", "root" })]
    [InlineData("sksks", true, new[] { "sksks" })]
    [InlineData("abcksksxyz", false, new[] { "abc" })]
    public void RequiredAnyOf_FollowsCaseSensitivity_WhenLettersHaveNonAsciiVariants(string pattern, bool caseSensitive, string[] expected)
    {
        var result = RegexLiterals.RequiredAnyOf(pattern, caseSensitive);

        Assert.Equal(expected.Order(StringComparer.Ordinal), result!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RequiredAnyOf_ReturnsNull_WhenIgnoringCaseLeavesOnlyShortPieces()
    {
        Assert.Null(RegexLiterals.RequiredAnyOf("sksks", caseSensitive: false));
    }

    [Theory]
    [MemberData(nameof(TrickyPatterns))]
    public void RequiredAnyOf_NeverExcludesAMatch_WhenPatternIsTricky(string pattern)
    {
        foreach (var caseSensitive in new[] { false, true })
        {
            var literals = RegexLiterals.RequiredAnyOf(pattern, caseSensitive);
            if (literals is null)
            {
                continue;
            }

            var prefilter = SearchValues.Create(literals, StringComparison.OrdinalIgnoreCase);
            var options = RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
            var regex = new Regex(pattern, options);
            foreach (var input in Inputs)
            {
                if (regex.IsMatch(input))
                {
                    Assert.True(input.AsSpan().IndexOfAny(prefilter) >= 0, $"'{pattern}' (case-sensitive: {caseSensitive}) matches '{input}' without any of [{string.Join(", ", literals)}]");
                }
            }
        }
    }

    [Fact]
    public void CaseVariants_CoverEveryRegexCaseEquivalent_WhenIgnoringCase()
    {
        for (var letter = 'A'; letter <= 'z'; letter++)
        {
            if (!char.IsAsciiLetter(letter))
            {
                continue;
            }

            var pattern = $"0{letter}9";
            var literals = RegexLiterals.RequiredAnyOf(pattern, caseSensitive: false);
            if (letter is 'i' or 'I')
            {
                Assert.Null(literals);
                continue;
            }

            var prefilter = SearchValues.Create(literals!, StringComparison.OrdinalIgnoreCase);
            var backtracking = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            var nonBacktracking = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            for (var c = 0; c <= char.MaxValue; c++)
            {
                if (char.IsSurrogate((char)c))
                {
                    continue;
                }

                var input = $"0{(char)c}9";
                if (backtracking.IsMatch(input) || nonBacktracking.IsMatch(input))
                {
                    Assert.True(input.AsSpan().IndexOfAny(prefilter) >= 0, $"U+{c:X4} matches '{letter}' ignoring case but is not in [{string.Join(", ", literals!)}]");
                }
            }
        }
    }

    [Fact]
    public void Compile_PrefiltersAlternationInItsOwnGroup_WhenBranchLiteralsHaveCaseVariants()
    {
        var compiled = RuleCompiler.Compile(
            [
                Active(Rule("backup", Test("http_request.url.path", MatchOperator.Regex, "\\.(bak|old)$")), 1),
                Active(Rule("empty-branch", Test("http_request.url.path", MatchOperator.Regex, "\\.(bak|)$")), 2),
                Active(Rule("php", Test("http_request.url.path", MatchOperator.Contains, ".php")), 3),
            ],
            [],
            new DetectionOptions());

        var waf = compiled.IndexFor(LogProduct.AlibabaWaf);
        Assert.Equal(2, waf.Prefilters.Length);
        Assert.All(waf.Prefilters, p => Assert.Equal("http_request.url.path", p.Field.Path));
        Assert.Equal([0], waf.Prefilters[0].Units);
        Assert.Equal([2], waf.Prefilters[1].Units);
        Assert.Equal([1], waf.Always);
    }

    [Fact]
    public void Process_MatchesAlternationBranches_WhenPrefiltered()
    {
        var engine = NewEngine(Rule("backup", Test("http_request.url.path", MatchOperator.Regex, "\\.(bak|old)$")));

        var sink = Run(
            engine,
            Waf("a", T0, path: "/db.BAK"),
            Waf("b", T0, path: "/db.ba\u212A"),
            Waf("c", T0, path: "/db.Old"),
            Waf("d", T0, path: "/db.new"),
            Waf("e", T0, path: "/db.bak.gz"));

        Assert.Equal(["a", "b", "c"], sink.Candidates.Select(c => c.Evidence.Uid));
    }

    /// <summary>Short strings over the letters of the patterns, their case variants and separators, plus each pattern's own pieces.</summary>
    private static string[] BuildInputs()
    {
        var inputs = new HashSet<string>(StringComparer.Ordinal) { string.Empty };
        var alphabet = "abcdefghjklmnoqrstxy|.-AKS\u212A\u017F\u0130\u0131";
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var length = random.Next(1, 9);
            inputs.Add(new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]));
        }

        foreach (var pattern in TrickyPatternList)
        {
            foreach (var piece in pattern.Split(Syntax, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var text in new[] { piece, piece.ToUpperInvariant(), piece.Replace('k', '\u212A').Replace('s', '\u017F'), piece + piece, "x" + piece + "y" })
                {
                    inputs.Add(text);
                    inputs.Add(text + "01");
                    inputs.Add("." + text + "12");
                    inputs.Add("get-" + text);
                    inputs.Add(text + "abc");
                }
            }
        }

        return [.. inputs];
    }
}
