using System.Net.Http.Json;
using System.Text.Json;
using Ctdr.Application.Accounts;
using Ctdr.CloudEmulator;

namespace Ctdr.Infrastructure.Tests.Support;

/// <summary>
/// The sandbox cloud on a free port, on the test host's clock, without background traffic: tests put exactly the
/// records they need through its control API. Its seeded Alibaba account and full-access key are what the
/// product onboards in these tests.
/// </summary>
public sealed class TestSandbox : IAsyncDisposable
{
    private readonly SandboxCloud _cloud;

    private TestSandbox(SandboxCloud cloud)
    {
        _cloud = cloud;
        Control = new HttpClient { BaseAddress = cloud.BaseAddress };
    }

    public Uri Address => _cloud.BaseAddress;

    public HttpClient Control { get; }

    public static async Task<TestSandbox> StartAsync(TimeProvider clock, int seed = 11) =>
        new(await SandboxCloud.StartAsync(new SandboxOptions { Url = "http://127.0.0.1:0", Clock = clock, Seed = seed, GenerateTraffic = false, ScenarioEvery = TimeSpan.Zero }));

    /// <summary>The onboarding form of the sandbox's Alibaba account (full-access key) at the sandbox's address.</summary>
    public AccountForm AlibabaForm(string displayName = "Sandbox Alibaba") =>
        new(CloudProvider.AlibabaCloud, SandboxAccounts.AliUid, displayName, SandboxAccounts.AlibabaRegion,
            SandboxAccounts.Alibaba.FullAccess.AccessKeyId, SandboxAccounts.Alibaba.FullAccess.AccessKeySecret, Address.ToString());

    /// <summary>Appends exactly <paramref name="count"/> generated records to a stream (e.g. "alibaba-waf").</summary>
    public async Task<JsonElement> GenerateAsync(string stream, int count, string? scenario = null)
    {
        using var response = await Control.PostAsJsonAsync("/_sandbox/generate", new { stream, count, scenario });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task InjectFaultAsync(string kind, string? api = null, int? times = null)
    {
        using var response = await Control.PostAsJsonAsync("/_sandbox/faults", new { kind, provider = "alibaba", api, times });
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await _cloud.DisposeAsync();
    }
}
