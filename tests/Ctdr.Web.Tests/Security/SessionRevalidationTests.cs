using Ctdr.Application.Access;
using Ctdr.Application.Users;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ctdr.Web.Tests.Security;

/// <summary>
/// A signed-in browser session ends within a minute of the user being disabled or having the password reset:
/// the cookie's security stamp is checked again once 30 seconds have passed. Time is a fake clock given to
/// the host, so the test advances it instead of waiting.
/// </summary>
public sealed class SessionRevalidationTests
{
    private static readonly TimeSpan PastTheRevalidationInterval = TimeSpan.FromSeconds(31);

    [Fact]
    public async Task Console_RedirectsToSignIn_WhenTheUserWasDisabled()
    {
        await using var factory = new CtdrWebFactory("Testing", new FakeTimeProvider(DateTimeOffset.UtcNow));
        var analyst = await factory.CreateUserAsync(Roles.Analyst);
        using var browser = await factory.SignInAsync(analyst);
        Assert.Equal("200", await OutcomeOfHomeAsync(browser));

        var result = await factory.Services.GetRequiredService<IUserDirectory>().SetDisabledAsync(analyst.Id, disabled: true);
        factory.Clock!.Advance(PastTheRevalidationInterval);

        Assert.True(result.Succeeded);
        Assert.Equal("302->/account/login", await OutcomeOfHomeAsync(browser));
        Assert.False(browser.HasAuthCookie);
    }

    [Fact]
    public async Task Console_RedirectsToSignIn_WhenThePasswordWasReset()
    {
        await using var factory = new CtdrWebFactory("Testing", new FakeTimeProvider(DateTimeOffset.UtcNow));
        var analyst = await factory.CreateUserAsync(Roles.Analyst);
        using var browser = await factory.SignInAsync(analyst);
        Assert.Equal("200", await OutcomeOfHomeAsync(browser));

        var result = await factory.Services.GetRequiredService<IUserDirectory>().ResetPasswordAsync(analyst.Id, "Another-Passw0rd-77");
        factory.Clock!.Advance(PastTheRevalidationInterval);

        Assert.True(result.Succeeded);
        Assert.Equal("302->/account/login", await OutcomeOfHomeAsync(browser));
        Assert.False(browser.HasAuthCookie);
    }

    [Fact]
    public async Task Console_StaysSignedIn_WhenNothingChangedAndTheClockPassesTheInterval()
    {
        await using var factory = new CtdrWebFactory("Testing", new FakeTimeProvider(DateTimeOffset.UtcNow));
        var analyst = await factory.CreateUserAsync(Roles.Analyst);
        using var browser = await factory.SignInAsync(analyst);
        Assert.Equal("200", await OutcomeOfHomeAsync(browser));

        factory.Clock!.Advance(PastTheRevalidationInterval);

        Assert.Equal("200", await OutcomeOfHomeAsync(browser));
        Assert.True(browser.HasAuthCookie);
    }

    private static async Task<string> OutcomeOfHomeAsync(CookieClient browser)
    {
        using var response = await browser.Http.GetAsync(new Uri("/", UriKind.Relative));
        return ResponseOutcome.Of(response);
    }
}
