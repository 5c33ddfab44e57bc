using System.Net.Http.Json;
using System.Text.Json;
using Ctdr.Application.LogSources;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Sandbox;

/// <summary>Reads the sandbox cloud's accounts from its control API (<c>GET /_sandbox/accounts</c>).</summary>
internal sealed class SandboxDirectory(IHttpClientFactory http, IOptions<SandboxSettings> settings, SandboxEndpoint endpoint) : ISandboxDirectory
{
    public const string HttpClientName = "sandbox-control";

    public bool IsEnabled => settings.Value.Enabled && endpoint.Address is not null;

    public async Task<IReadOnlyList<SandboxAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        var address = endpoint.Address ?? throw new InvalidOperationException("The sandbox cloud is not running.");
        using var client = http.CreateClient(HttpClientName);
        using var response = await client.GetAsync(new Uri(address, "/_sandbox/accounts"), cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return SandboxAccountsReader.Read(document.RootElement, address);
    }
}

/// <summary>Maps the sandbox's account description to what Ctdr onboards.</summary>
internal static class SandboxAccountsReader
{
    public static IReadOnlyList<SandboxAccount> Read(JsonElement root, Uri endpoint)
    {
        throw new NotSupportedException("Aligned with the sandbox's control API when it lands.");
    }
}
