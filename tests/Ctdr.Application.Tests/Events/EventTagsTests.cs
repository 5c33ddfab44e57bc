using Ctdr.Application.Events;

namespace Ctdr.Application.Tests.Events;

public sealed class EventTagsTests
{
    [Theory]
    [InlineData("vip", "vip")]
    [InlineData(" VIP ", "vip")]
    [InlineData("campaign:2026-11", "campaign:2026-11")]
    [InlineData("a.b_c-d", "a.b_c-d")]
    [InlineData("12345678901234567890123456789012", "12345678901234567890123456789012")]
    public void Normalize_AcceptsTheTag_WhenItFollowsTheRules(string tag, string expected)
    {
        var (result, tags) = EventTags.Normalize([tag]);

        Assert.True(result.Succeeded);
        Assert.Equal([expected], tags);
    }

    [Theory]
    [InlineData("-leading")]
    [InlineData("has space")]
    [InlineData("comma,inside")]
    [InlineData("<b>")]
    [InlineData("123456789012345678901234567890123")]
    public void Normalize_RefusesTheTag_WhenItBreaksTheRules(string tag)
    {
        var (result, tags) = EventTags.Normalize([tag]);

        Assert.Equal([$"Tags are 1–32 letters, digits or . _ : - (not: {tag})."], result.AllMessages());
        Assert.Empty(tags);
    }

    [Fact]
    public void FormatAndParse_RoundTrip_WithCommasFramingEachTag()
    {
        Assert.Equal(",a,b,", EventTags.Format(["a", "b"]));
        Assert.Equal(string.Empty, EventTags.Format([]));
        Assert.Equal(["a", "b"], EventTags.Parse(",a,b,"));
        Assert.Empty(EventTags.Parse(string.Empty));
    }

    [Fact]
    public void Split_ReadsCommasAndSpaces()
    {
        Assert.Equal(["vip", "blocked", "x"], EventTags.Split("vip, blocked  x,"));
        Assert.Empty(EventTags.Split("  "));
    }
}
