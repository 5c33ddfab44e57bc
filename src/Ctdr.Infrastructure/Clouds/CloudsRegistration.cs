using System.Net;
using Ctdr.Application.LogSources;
using Ctdr.Application.Logs;
using Ctdr.Application.Response;
using Ctdr.Infrastructure.Clouds.Alibaba;
using Ctdr.Infrastructure.Clouds.Huawei;
using Ctdr.Infrastructure.Clouds.Tencent;
using Ctdr.Infrastructure.Clouds.ThirdParty;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Ctdr.Infrastructure.Clouds;

internal static class CloudsRegistration
{
    /// <summary>
    /// The log connectors (resolve <see cref="LogConnectors"/> and ask <c>For(provider)</c>), the normalisers
    /// (<see cref="LogNormalizers"/>, <c>For(product)</c>), and one named HttpClient per provider: no automatic
    /// redirects, retries with jittered exponential back-off on 5xx, 408, 429, timeouts and connection failures,
    /// a timeout per attempt and one for the whole call.
    /// </summary>
    public static IServiceCollection AddClouds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CloudConnectorOptions>()
            .Bind(configuration.GetSection(CloudConnectorOptions.SectionName))
            .Validate(o => o.SlsSignatureVersion is "V1" or "V4", "Clouds:SlsSignatureVersion must be V1 or V4.")
            .Validate(o => o.SlsPullCompression is "lz4" or "deflate" or "", "Clouds:SlsPullCompression must be lz4, deflate or empty.")
            .Validate(o => o.SlsPullLogGroupCount is >= 1 and <= 1000, "Clouds:SlsPullLogGroupCount must be 1-1000.")
            .Validate(o => o.QueryPageSize is >= 1 and <= 1000, "Clouds:QueryPageSize must be 1-1000.")
            .Validate(o => o.QueryLag >= TimeSpan.Zero && o.QueryOverlap >= TimeSpan.Zero, "Clouds:QueryLag and QueryOverlap must not be negative.")
            .Validate(o => o.QueryMaxWindow > o.QueryOverlap, "Clouds:QueryMaxWindow must be longer than QueryOverlap.")
            .Validate(o => o.MaxRetries is >= 0 and <= 10 && o.RetryBaseDelay > TimeSpan.Zero, "Clouds:MaxRetries must be 0-10 and Clouds:RetryBaseDelay positive.")
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout, "Clouds:AttemptTimeout must be positive and Clouds:TotalTimeout at least as long.")
            .ValidateOnStart();

        foreach (var name in new[] { AlibabaLogConnector.HttpClientName, HuaweiLogConnector.HttpClientName, TencentLogConnector.HttpClientName })
        {
            services.AddHttpClient(name, client =>
                {
                    client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times calls out
                    client.MaxResponseContentBufferSize = 64 * 1024 * 1024;
                })
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                })
                .AddResilienceHandler("cloud", (pipeline, context) =>
                {
                    // Network waits run on the real clock, whatever clock the application's own logic uses.
                    pipeline.TimeProvider = TimeProvider.System;
                    var options = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<CloudConnectorOptions>>().Value;
                    pipeline.AddTimeout(options.TotalTimeout);
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryBaseDelay,
                    });
                    pipeline.AddTimeout(options.AttemptTimeout);
                });
        }

        services.AddSingleton<ILogConnector, AlibabaLogConnector>();
        services.AddSingleton<ILogConnector, HuaweiLogConnector>();
        services.AddSingleton<ILogConnector, TencentLogConnector>();
        services.AddSingleton<LogConnectors>();

        services.AddSingleton<IWafBlocker, HuaweiWafBlocker>();
        services.AddSingleton<IWafBlocker, TencentWafBlocker>();
        services.TryAddSingleton<IWafBlockers, WafBlockers>();

        services.AddSingleton<ILogNormalizer, AlibabaWafNormalizer>();
        services.AddSingleton<ILogNormalizer, AlibabaCloudFirewallNormalizer>();
        services.AddSingleton<ILogNormalizer, AlibabaActionTrailNormalizer>();
        services.AddSingleton<ILogNormalizer, HuaweiWafNormalizer>();
        services.AddSingleton<ILogNormalizer, TencentWafNormalizer>();
        services.AddSingleton<ILogNormalizer, OcsfNormalizer>();
        services.AddSingleton<LogNormalizers>();
        return services;
    }
}
