using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.LogSources;

public class LogSourceInputTests
{
    [Theory]
    [InlineData("Production", LogProduct.AlibabaWaf, "Production WAF")]
    [InlineData("Production", LogProduct.AlibabaCloudFirewall, "Production Cloud Firewall")]
    [InlineData("Production", LogProduct.AlibabaActionTrail, "Production ActionTrail")]
    [InlineData(" Shop ", LogProduct.HuaweiWaf, "Shop WAF")]
    [InlineData("Shop", LogProduct.TencentWaf, "Shop WAF")]
    [InlineData("", LogProduct.AlibabaWaf, "WAF")]
    public void SuggestedName_NamesTheAccountAndTheProduct(string account, LogProduct product, string expected)
    {
        Assert.Equal(expected, LogSourceInput.SuggestedName(account, product));
    }

    [Fact]
    public void SuggestedName_ShortensTheAccountName_WhenTheNameWouldBeTooLong()
    {
        var name = LogSourceInput.SuggestedName(new string('a', 100), LogProduct.AlibabaCloudFirewall);

        Assert.Equal(LogSourceInput.MaxNameLength, name.Length);
        Assert.Equal(new string('a', 84) + "… Cloud Firewall", name);
        Assert.False(LogSourceInput.Validate(new LogSourceForm(1, LogProduct.AlibabaCloudFirewall, name, LogBinding.AlibabaCloudFirewall("1", "cn-hangzhou"), 5)).Any);
    }
}
