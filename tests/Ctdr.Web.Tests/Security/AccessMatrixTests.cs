using Ctdr.Application.Access;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Security;

/// <summary>
/// Every routable endpoint is requested as anonymous, Viewer, Analyst and Admin, and must answer exactly as
/// <c>access-matrix.txt</c> says. A new endpoint fails the test until the matrix says who may use it.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixTests.Host host) : IClassFixture<AccessMatrixTests.Host>
{
    public static TheoryData<string, string, string> Requests()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in AccessMatrix.Rows)
        {
            foreach (var caller in AccessMatrix.Callers)
            {
                data.Add(caller, row.Method, row.Route);
            }
        }

        return data;
    }

    [Fact]
    public void Matrix_ListsExactlyTheHostsEndpoints_WhenComparedWithTheEndpointDataSources()
    {
        var routable = RoutableEndpoints(host.Factory.Services);
        var listed = AccessMatrix.Rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = routable.Where(key => !listed.Contains(key)).Order(StringComparer.Ordinal).ToList();
        var stale = listed.Where(key => !routable.Contains(key)).Order(StringComparer.Ordinal).ToList();

        Assert.True(
            missing.Count == 0 && stale.Count == 0,
            $"Endpoints missing from access-matrix.txt (say who may use them): [{string.Join(", ", missing)}]. "
            + $"Rows of access-matrix.txt the host has no endpoint for: [{string.Join(", ", stale)}].");
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Request_GetsTheMatrixOutcome_WhenSentByCaller(string caller, string method, string route)
    {
        var row = AccessMatrix.Row(method, route);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(row.Request, UriKind.Relative));
        if (method == HttpMethod.Post.Method)
        {
            request.Content = new FormUrlEncodedContent([]);
        }

        using var response = await host.ClientFor(caller).SendAsync(request);

        // The context is part of both strings so that a mismatch names the route and the caller.
        Assert.Equal(
            $"{method} {row.Request} as {caller} -> {row.Outcomes[caller]}",
            $"{method} {row.Request} as {caller} -> {ResponseOutcome.Of(response)}");
    }

    /// <summary>"METHOD pattern" of every endpoint a request can reach, framework plumbing aside.</summary>
    internal static HashSet<string> RoutableEndpoints(IServiceProvider services)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (IsFrameworkPlumbing(endpoint))
            {
                continue;
            }

            var declared = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var methods = declared is { Count: > 0 }
                ? declared.Where(m => m != HttpMethod.Head.Method)
                : [HttpMethod.Get.Method, HttpMethod.Post.Method];
            foreach (var method in methods)
            {
                keys.Add(method + " " + endpoint.RoutePattern.RawText);
            }
        }

        return keys;
    }

    /// <summary>
    /// Endpoints left out of the matrix, because they hold nothing of ours to protect:
    /// static files mapped by <c>MapStaticAssets</c> (the site's CSS, icons and the Blazor and MudBlazor
    /// scripts, public by design), and its catch-all fallback that serves files added to wwwroot since the
    /// build (present when running from build output, as tests do);
    /// <c>/_blazor</c>, <c>/_blazor/negotiate</c>, <c>/_blazor/initializers</c> and <c>/_blazor/disconnect</c>,
    /// the circuit transport of interactive server rendering (each page inside a circuit is authorised by the
    /// router, and its first request is one of the pages listed in the matrix);
    /// <c>/_framework/opaque-redirect</c>, Blazor's helper for redirects issued from enhanced navigation.
    /// </summary>
    private static bool IsFrameworkPlumbing(RouteEndpoint endpoint)
    {
        var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
        return endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null
            || (pattern == "{**path:file}" && endpoint.DisplayName == "Fallback {**path:file}")
            || pattern.StartsWith("/_blazor", StringComparison.Ordinal)
            || pattern.StartsWith("/_framework/", StringComparison.Ordinal);
    }

    /// <summary>One test host with an administrator, an analyst and a viewer, each signed in once.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly Dictionary<string, CookieClient> _clients = new(StringComparer.Ordinal);

        public CtdrWebFactory Factory { get; } = new();

        public HttpClient ClientFor(string caller) => _clients[caller].Http;

        public async Task InitializeAsync()
        {
            _clients[AccessMatrix.Anonymous] = Factory.CreateCookieClient();
            _clients[Roles.Admin] = await Factory.SignInAsync(await Factory.AdministratorAsync());
            _clients[Roles.Analyst] = await Factory.SignInAsync(await Factory.CreateUserAsync(Roles.Analyst));
            _clients[Roles.Viewer] = await Factory.SignInAsync(await Factory.CreateUserAsync(Roles.Viewer));
        }

        public async Task DisposeAsync()
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            await Factory.DisposeAsync();
        }
    }
}
