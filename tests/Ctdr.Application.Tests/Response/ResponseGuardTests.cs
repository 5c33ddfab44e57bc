using Ctdr.Application.Response;

namespace Ctdr.Application.Tests.Response;

public sealed class ResponseGuardTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResponseSettings Settings = new() { MaxAutomaticBlocksPerHour = 10, MaxBlockHours = 48 };

    private static string? NothingAllowListed(string address) => null;

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("198.51.100.0/24")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8::/32")]
    public void Check_Allows_WhenTheBlockIsWithinTheEnvelope(string address)
    {
        Assert.Null(ResponseGuard.Check(address, Start, Start.AddHours(24), automatic: true, 9, Settings, NothingAllowListed));
    }

    [Theory]
    [InlineData("shop.example.com")]
    [InlineData("203.0.113.300")]
    [InlineData("203.0.113.0/33")]
    [InlineData("")]
    public void Check_Refuses_WhenTheTargetIsNotAnAddress(string address)
    {
        Assert.Equal(new GuardRefusal($"'{address}' is not an IP address or CIDR."), ResponseGuard.Check(address, Start, Start.AddHours(1), false, 0, Settings, NothingAllowListed));
    }

    [Fact]
    public void Check_RefusesWithTheAllowListReason_WhenTheAddressIsAllowListed()
    {
        var refusal = ResponseGuard.Check("10.1.2.3", Start, Start.AddHours(1), false, 0, Settings, a => a.StartsWith("10.", StringComparison.Ordinal) ? "private range 10.0.0.0/8" : null);

        Assert.Equal(new GuardRefusal("10.1.2.3 is allow-listed (private range 10.0.0.0/8); it is never blocked.", AllowListed: true), refusal);
    }

    [Fact]
    public void Check_RefusesBlocksWithoutAProperEnd()
    {
        Assert.Equal("A block must end after it starts.", ResponseGuard.Check("203.0.113.7", Start, Start, false, 0, Settings, NothingAllowListed)!.Reason);
        Assert.Equal("A block lasts at most 48 hours.", ResponseGuard.Check("203.0.113.7", Start, Start.AddHours(48).AddSeconds(1), false, 0, Settings, NothingAllowListed)!.Reason);
        Assert.Null(ResponseGuard.Check("203.0.113.7", Start, Start.AddHours(48), false, 0, Settings, NothingAllowListed));
    }

    [Fact]
    public void Check_RefusesAutomaticBlocksOnly_WhenTheHourlyCapIsReached()
    {
        var automatic = ResponseGuard.Check("203.0.113.7", Start, Start.AddHours(1), automatic: true, 10, Settings, NothingAllowListed);
        var manual = ResponseGuard.Check("203.0.113.7", Start, Start.AddHours(1), automatic: false, 10, Settings, NothingAllowListed);

        Assert.Equal(new GuardRefusal("The cap of 10 automatic blocks per hour is reached.", CapReached: true), automatic);
        Assert.Null(manual);
    }

    [Fact]
    public void EndOf_TakesThePolicysEnd_ElseTheDefaultDurationAfterTheStart()
    {
        Assert.Equal(Start.AddHours(24), ResponseGuard.EndOf(Start, null, TimeSpan.FromHours(24)));
        Assert.Equal(Start.AddHours(2), ResponseGuard.EndOf(Start, Start.AddHours(2), TimeSpan.FromHours(24)));
    }
}
