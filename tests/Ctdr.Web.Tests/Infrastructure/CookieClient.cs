using System.Net;
using AngleSharp.Html.Parser;

namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>An HTTP client to the test server with its own cookie jar, so tests can read the cookies it holds.</summary>
public sealed class CookieClient(HttpClient http, CookieContainer cookies) : IDisposable
{
    public const string AuthCookieName = "ctdr.auth";

    public HttpClient Http { get; } = http;

    public CookieContainer Cookies { get; } = cookies;

    /// <summary>The <c>Cookie</c> header this client sends, for clients (such as the hub client) that cannot share the jar.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(Http.BaseAddress!);

    public bool HasAuthCookie => Cookies.GetCookies(Http.BaseAddress!).Any(c => c.Name == AuthCookieName);

    /// <summary>Fills in and posts the sign-in form as a browser would: the form's antiforgery token, then the fields.</summary>
    public async Task SignInAsync(string email, string password)
    {
        using var page = await Http.GetAsync(new Uri("/account/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = ReadAntiforgeryToken(await page.Content.ReadAsStringAsync());

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var response = await Http.PostAsync(new Uri("/account/login", UriKind.Relative), form);
        Assert.True(
            response.StatusCode == HttpStatusCode.Redirect && HasAuthCookie,
            $"Signing in as {email} answered {(int)response.StatusCode} {response.Headers.Location} without the expected redirect and cookie.");
    }

    public static string ReadAntiforgeryToken(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var input = document.QuerySelector("input[name=__RequestVerificationToken]")
            ?? throw new InvalidOperationException("The page has no antiforgery token.");
        return input.GetAttribute("value") ?? throw new InvalidOperationException("The antiforgery token has no value.");
    }

    public void Dispose() => Http.Dispose();
}
