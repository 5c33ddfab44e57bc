using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.LogSources;

public class PushKeysTests
{
    [Fact]
    public void Create_MakesDistinctPrefixedKeys_StoredOnlyAsHash()
    {
        var (key, hash, prefix) = PushKeys.Create();
        var (other, otherHash, _) = PushKeys.Create();

        Assert.StartsWith("ctdr_", key, StringComparison.Ordinal);
        Assert.Equal(48, key.Length);
        Assert.Equal(key[..12], prefix);
        Assert.NotEqual(key, other);
        Assert.NotEqual(hash, otherHash);
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(key, hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_OnlyTheIssuedKey()
    {
        var (key, hash, _) = PushKeys.Create();

        Assert.True(PushKeys.Matches(key, hash));
        Assert.False(PushKeys.Matches(key + "x", hash));
        Assert.False(PushKeys.Matches(null, hash));
        Assert.False(PushKeys.Matches("", hash));
        Assert.False(PushKeys.Matches(key, null));
        Assert.False(PushKeys.Matches(new string('a', 500), hash));
    }
}
