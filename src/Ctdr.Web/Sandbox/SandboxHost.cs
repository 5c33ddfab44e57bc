using Ctdr.CloudEmulator;
using Ctdr.Infrastructure.Sandbox;
using Microsoft.Extensions.Options;

namespace Ctdr.Web.Sandbox;

/// <summary>
/// Runs the sandbox cloud inside the web process when <c>Sandbox:Enabled</c> is true: its own Kestrel on its own
/// port, so the connectors talk to it exactly as to the real clouds. Its address is published through
/// <see cref="SandboxEndpoint"/> for "Connect the sandbox accounts".
/// </summary>
internal sealed partial class SandboxHost(
    IOptions<SandboxSettings> settings,
    SandboxEndpoint endpoint,
    TimeProvider clock,
    ILogger<SandboxHost> logger) : IHostedService, IAsyncDisposable
{
    private SandboxCloud? _cloud;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = settings.Value;
        if (!options.Enabled)
        {
            return;
        }

        _cloud = await SandboxCloud.StartAsync(
            new SandboxOptions
            {
                Url = options.Url,
                Seed = options.Seed,
                GenerateTraffic = options.GenerateTraffic,
                ScenarioEvery = options.ScenarioEvery,
                Clock = clock,
            },
            cancellationToken);
        endpoint.Set(_cloud.BaseAddress);
        LogStarted(_cloud.BaseAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
            _cloud = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The sandbox cloud listens on {Address} (Sandbox:Enabled is true; set it to false in production)")]
    private partial void LogStarted(Uri address);
}
