using System.Net;
using System.Text.RegularExpressions;
using Ctdr.Application.Access;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Security;

/// <summary>The security headers reach every kind of response, not only pages; HSTS only outside Development.</summary>
public sealed partial class SecurityHeadersTests(SecurityHeadersTests.Host host) : IClassFixture<SecurityHeadersTests.Host>
{
    /// <summary>
    /// HSTS is never sent for localhost (HstsOptions.ExcludedHosts), so the HTTPS requests name a host of the
    /// reserved .test domain; the test server answers any host.
    /// </summary>
    private static readonly Uri HttpsBase = new("https://console.ctdr.test");

    public static TheoryData<string> Responses() =>
    [
        "sign-in page",
        "fingerprinted favicon",
        "favicon.svg",
        "app.css",
        "unknown URL",
        "error page",
        "access denied",
        "hub without a session",
    ];

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Response_CarriesSecurityHeaders_WhenServed(string kind)
    {
        var (client, path, expectedStatus) = kind switch
        {
            "sign-in page" => (host.Anonymous, "/account/login", HttpStatusCode.OK),
            "fingerprinted favicon" => (host.Anonymous, "/" + FingerprintedAsset(host.Factory.Services, FingerprintedFavicon()), HttpStatusCode.OK),
            "favicon.svg" => (host.Anonymous, "/favicon.svg", HttpStatusCode.OK),
            "app.css" => (host.Anonymous, "/app.css", HttpStatusCode.OK),
            "unknown URL" => (host.Anonymous, "/no-such-page", HttpStatusCode.NotFound),
            "error page" => (host.Anonymous, "/error/500", HttpStatusCode.OK),
            "access denied" => (host.Viewer, "/admin/users", HttpStatusCode.Forbidden),
            "hub without a session" => (host.Anonymous, "/hubs/live/negotiate?negotiateVersion=1", HttpStatusCode.Unauthorized),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        using var request = new HttpRequestMessage(
            kind == "hub without a session" ? HttpMethod.Post : HttpMethod.Get,
            new Uri(path, UriKind.Relative));
        using var response = await client.SendAsync(request);

        Assert.Equal(expectedStatus, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task UnknownUrl_ShowsTheNotFoundErrorPage_WhenRequestedByABrowser()
    {
        using var response = await host.Anonymous.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1 data-testid=\"error-title\">Page not found</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_IsSent_WhenServedOverHttpsOutsideDevelopment()
    {
        using var client = host.Factory.CreateCookieClient(HttpsBase);

        using var response = await client.Http.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["max-age=2592000"], response.Headers.GetValues("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_IsNotSent_WhenServedOverHttpInTesting()
    {
        using var response = await host.Anonymous.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_IsNotSent_WhenServedOverHttpsInDevelopment()
    {
        await using var development = new CtdrWebFactory("Development", clock: null);
        await development.AdministratorAsync();
        using var client = development.CreateCookieClient(HttpsBase);

        using var response = await client.Http.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        AssertSecurityHeaders(response);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.Contains("object-src 'none'", directives);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["strict-origin-when-cross-origin"], response.Headers.GetValues("Referrer-Policy"));
    }

    /// <summary>The fingerprinted name the build gave a static file (it changes with the file's content).</summary>
    private static string FingerprintedAsset(IServiceProvider services, Regex name) =>
        services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? string.Empty)
            .Distinct(StringComparer.Ordinal)
            .Single(name.IsMatch);

    [GeneratedRegex(@"^favicon\.[a-z0-9]+\.svg$")]
    private static partial Regex FingerprintedFavicon();

    /// <summary>One Testing host, with an anonymous client and a signed-in viewer.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private CookieClient? _anonymous;
        private CookieClient? _viewer;

        public CtdrWebFactory Factory { get; } = new();

        public HttpClient Anonymous => _anonymous!.Http;

        public HttpClient Viewer => _viewer!.Http;

        public async Task InitializeAsync()
        {
            _anonymous = Factory.CreateCookieClient();
            _viewer = await Factory.SignInAsync(await Factory.CreateUserAsync(Roles.Viewer));
        }

        public async Task DisposeAsync()
        {
            _anonymous?.Dispose();
            _viewer?.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
