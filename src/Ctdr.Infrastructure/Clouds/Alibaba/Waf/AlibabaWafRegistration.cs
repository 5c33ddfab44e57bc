using System.Net;
using Ctdr.Application.Response;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace Ctdr.Infrastructure.Clouds.Alibaba.Waf;

internal static class AlibabaWafRegistration
{
    /// <summary>
    /// The Alibaba Cloud WAF blocker as an <see cref="IWafBlocker"/>, <see cref="IWafBlockers"/>, and its HttpClient:
    /// no automatic redirects and a timeout per attempt; the client retries itself, because every attempt needs a
    /// new signature nonce.
    /// </summary>
    public static IServiceCollection AddAlibabaWaf(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlibabaWafOptions>()
            .Bind(configuration.GetSection(AlibabaWafOptions.SectionName))
            .Validate(o => o.SignatureVersion is "V3" or "V2", "Clouds:AlibabaWaf:SignatureVersion must be V3 or V2.")
            .Validate(o => o.MaxAddressesPerRule is >= 1 and <= 10_000, "Clouds:AlibabaWaf:MaxAddressesPerRule must be 1-10000.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.TemplateName), "Clouds:AlibabaWaf:TemplateName must not be empty.")
            .ValidateOnStart();

        services.AddHttpClient(AlibabaWafBlocker.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times attempts out
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddResilienceHandler("cloud-attempt", (pipeline, context) =>
            {
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<CloudConnectorOptions>>().Value.AttemptTimeout);
            });

        services.AddSingleton<IWafBlocker, AlibabaWafBlocker>();
        services.TryAddSingleton<IWafBlockers, WafBlockers>();
        return services;
    }
}
