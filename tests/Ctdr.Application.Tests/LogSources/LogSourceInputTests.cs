using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.LogSources;

public class LogSourceInputTests
{
    [Fact]
    public void Validate_AcceptsWafBinding_WithDefaultInterval()
    {
        var form = new LogSourceForm(1, LogProduct.AlibabaWaf, "Shop WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), LogSourceInput.DefaultPullIntervalSeconds);

        Assert.False(LogSourceInput.Validate(form).Any);
    }

    [Fact]
    public void Validate_NamesEachMissingSlsField()
    {
        var result = LogSourceInput.Validate(new LogSourceForm(1, LogProduct.AlibabaWaf, "", new LogBinding("CN_HZ", "Bad Project", ""), 7)).ToResult();

        Assert.Equal(["LogStore", "Name", "Project", "PullIntervalSeconds", "Region"], result.Errors.Keys.Order());
        Assert.Equal(["Choose a pull interval of 2, 5, 10, 15, 30, 60, 300 seconds."], result.Errors["PullIntervalSeconds"]);
    }

    [Fact]
    public void Validate_AsksForLtsAndClsFields_ByProduct()
    {
        var lts = LogSourceInput.Validate(new LogSourceForm(1, LogProduct.HuaweiWaf, "Huawei WAF", new LogBinding("cn-north-4"), 5)).ToResult();
        var cls = LogSourceInput.Validate(new LogSourceForm(1, LogProduct.TencentWaf, "Tencent WAF", new LogBinding("ap-guangzhou", Topic: "topic-1"), 5)).ToResult();

        Assert.Equal(["LogGroup", "LogStream"], lts.Errors.Keys.Order());
        Assert.True(cls.Succeeded);
    }

    [Fact]
    public void Validate_RefusesPushProducts_AsPulledSources()
    {
        var result = LogSourceInput.Validate(new LogSourceForm(1, LogProduct.ThirdPartyOcsf, "EDR", LogBinding.None, 5)).ToResult();

        Assert.Equal(["Pushed sources are created with a push key, not pulled."], result.Errors["Product"]);
    }

    [Fact]
    public void Products_BelongToTheirProviders()
    {
        Assert.Equal([LogProduct.AlibabaWaf, LogProduct.AlibabaCloudFirewall, LogProduct.AlibabaActionTrail], LogProducts.For(CloudProvider.AlibabaCloud).Select(p => p.Product));
        Assert.Equal([LogProduct.HuaweiWaf], LogProducts.For(CloudProvider.HuaweiCloud).Select(p => p.Product));
        Assert.Equal([LogProduct.TencentWaf], LogProducts.For(CloudProvider.TencentCloud).Select(p => p.Product));
        Assert.Equal("cn-hangzhou / wafnew-project-1-cn-hangzhou / wafnew-logstore", LogBinding.AlibabaWafPayAsYouGo("1", "cn-hangzhou").Describe(LogBindingKind.SlsLogstore));
    }

    [Theory]
    [InlineData(CloudProvider.AlibabaCloud, true, true)]
    [InlineData(CloudProvider.HuaweiCloud, true, true)]
    [InlineData(CloudProvider.TencentCloud, true, true)]
    [InlineData(CloudProvider.Aws, false, false)]
    [InlineData(CloudProvider.Azure, false, false)]
    [InlineData(CloudProvider.Other, false, false)]
    public void OnlyAlibabaHuaweiAndTencent_GenerateEventsAndHandleAutomatically(CloudProvider provider, bool events, bool automatic)
    {
        var capabilities = CloudProviders.Of(provider);

        Assert.Equal((events, automatic), (capabilities.GeneratesEvents, capabilities.SupportsAutomaticHandling));
    }

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
