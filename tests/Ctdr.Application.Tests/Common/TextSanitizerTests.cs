using Ctdr.Application.Common;

namespace Ctdr.Application.Tests.Common;

public class TextSanitizerTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("  plain text  ", "plain text")]
    [InlineData("line1\nline2\tend", "line1 line2 end")]
    [InlineData("bell\u0007null\u0000", "bellnull")]
    [InlineData("right\u202Eto-left", "rightto-left")]
    [InlineData("zero\u200Bwidth", "zerowidth")]
    [InlineData("数据 ünïcode ✓", "数据 ünïcode ✓")]
    public void Clean_KeepsPrintableText_AndDropsControlAndFormatCharacters(string? input, string expected)
    {
        Assert.Equal(expected, TextSanitizer.Clean(input, 100));
    }

    [Fact]
    public void Clean_CutsWithEllipsis_WhenLongerThanMax()
    {
        Assert.Equal("abcd…", TextSanitizer.Clean("abcdefghij", 5));
    }

    [Fact]
    public void Clean_DoesNotSplitSurrogatePair_WhenCutFallsInsideIt()
    {
        // "ab😀cd": the cut after 3 UTF-16 units would separate the emoji's two halves.
        var cleaned = TextSanitizer.Clean("ab\U0001F600cd", 4);

        Assert.Equal("ab…", cleaned);
    }

    [Fact]
    public void CleanOrNull_ReturnsNull_WhenNothingPrintableRemains()
    {
        Assert.Null(TextSanitizer.CleanOrNull("\r\n\t ", 10));
        Assert.Equal("x", TextSanitizer.CleanOrNull(" x ", 10));
    }
}
