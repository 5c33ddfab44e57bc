using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Infrastructure.Clouds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Clouds;

public sealed class CloudsRegistrationTests
{
    [Fact]
    public void AddClouds_ResolvesAConnectorPerProvider_AndANormaliserPerProduct()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddClouds(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var connectors = provider.GetRequiredService<LogConnectors>();
        Assert.Equal([CloudProvider.AlibabaCloud, CloudProvider.HuaweiCloud, CloudProvider.TencentCloud], connectors.All.Select(c => c.Provider).Order());
        Assert.Equal(CloudProvider.HuaweiCloud, connectors.For(CloudProvider.HuaweiCloud).Provider);
        Assert.False(connectors.TryGet(CloudProvider.Aws, out _));

        var normalizers = provider.GetRequiredService<LogNormalizers>();
        Assert.Equal(Enum.GetValues<LogProduct>(), normalizers.All.Select(n => n.Product).Order());
        Assert.Equal(LogProduct.AlibabaActionTrail, normalizers.For(LogProduct.AlibabaActionTrail).Product);
    }
}
