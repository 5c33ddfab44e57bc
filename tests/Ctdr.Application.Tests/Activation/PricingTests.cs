using Ctdr.Application.Activation;

namespace Ctdr.Application.Tests.Activation;

public class PricingTests
{
    private static readonly PriceTier[] Tiers = [new(10m, 0.50m), new(100m, 0.40m), new(null, 0.30m)];

    [Theory]
    [InlineData("0", "0")]
    [InlineData("4", "2.00")]
    [InlineData("10", "5.00")]
    [InlineData("25", "11.00")]
    [InlineData("150", "56.00")]
    public void EstimateDailyCost_ChargesEachTierItsShare(string gigabytes, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ServiceActivation.EstimateDailyCost(decimal.Parse(gigabytes, System.Globalization.CultureInfo.InvariantCulture), Tiers));
    }

    [Fact]
    public void CheckTiers_AcceptsTheDefaults()
    {
        Assert.Null(ServiceActivation.CheckTiers(ServiceActivation.DefaultTiers));
    }

    [Fact]
    public void CheckTiers_ExplainsWhatIsWrong()
    {
        Assert.Equal("Give at least one price tier.", ServiceActivation.CheckTiers([]));
        Assert.Equal("Only the last tier is unbounded, and it must be.", ServiceActivation.CheckTiers([new(10m, 1m)]));
        Assert.Equal("Only the last tier is unbounded, and it must be.", ServiceActivation.CheckTiers([new(null, 1m), new(null, 1m)]));
        Assert.Equal("Tier bounds must be positive and ascending.", ServiceActivation.CheckTiers([new(10m, 1m), new(5m, 1m), new(null, 1m)]));
        Assert.Equal("Prices cannot be negative.", ServiceActivation.CheckTiers([new(null, -1m)]));
    }
}
