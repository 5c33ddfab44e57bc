using Ctdr.CloudEmulator.Alibaba;
using Ctdr.CloudEmulator.Control;
using Ctdr.CloudEmulator.Hosting;
using Ctdr.CloudEmulator.Huawei;
using Ctdr.CloudEmulator.Tencent;
using Ctdr.CloudEmulator.Traffic;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ctdr.CloudEmulator;

/// <summary>
/// The sandbox cloud, running: its own web application on its own port, speaking the providers' log APIs.
/// Start it with <see cref="StartAsync"/>, stop it with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class SandboxCloud : IAsyncDisposable
{
    private readonly WebApplication app;

    private SandboxCloud(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The address Kestrel really listens on (the chosen port when the options asked for port 0).</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>The accounts, logs, faults and generator settings the sandbox holds.</summary>
    public SandboxState State => app.Services.GetRequiredService<SandboxState>();

    public static async Task<SandboxCloud> StartAsync(SandboxOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxCloud).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        AddServices(builder.Services, options);

        var app = builder.Build();
        app.UseMiddleware<ProviderRouter>();
        app.UseRouting();
        ControlApi.Map(app);
        WafConsole.Map(app);

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? options.Url;
        return new SandboxCloud(app, new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)));
    }

    private static void AddServices(IServiceCollection services, SandboxOptions options)
    {
        var state = new SandboxState(options);
        services.AddSingleton(state);
        services.AddSingleton(options.Clock);
        services.AddSingleton(sp => new TrafficGenerator(sp.GetRequiredService<SandboxState>()));
        services.AddSingleton<SlsEndpoint>();
        services.AddSingleton<WafEndpoint>();
        services.AddSingleton<LtsEndpoint>();
        services.AddSingleton<ClsEndpoint>();
        services.AddSingleton<HuaweiWafEndpoint>();
        services.AddSingleton<IamEndpoint>();
        services.AddSingleton<TencentWafEndpoint>();
        services.AddHostedService<TrafficLoop>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            json.SerializerOptions.PropertyNameCaseInsensitive = true;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
