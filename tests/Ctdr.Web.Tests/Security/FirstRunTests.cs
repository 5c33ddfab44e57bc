using Ctdr.Web.Tests.Infrastructure;

namespace Ctdr.Web.Tests.Security;

/// <summary>Until an administrator exists, everyone is sent to the first-run page; afterwards it is gone.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task SignInPage_RedirectsToSetup_WhenNoAdministratorExists()
    {
        await using var factory = new CtdrWebFactory();
        using var browser = factory.CreateCookieClient();

        using var response = await browser.Http.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal("302->/setup", ResponseOutcome.Of(response));
    }

    [Fact]
    public async Task SetupPage_IsServedThenGone_WhenTheFirstAdministratorIsCreated()
    {
        await using var factory = new CtdrWebFactory();
        using var browser = factory.CreateCookieClient();

        using var before = await browser.Http.GetAsync(new Uri("/setup", UriKind.Relative));
        await factory.AdministratorAsync();
        using var after = await browser.Http.GetAsync(new Uri("/setup", UriKind.Relative));

        Assert.Equal("200", ResponseOutcome.Of(before));
        Assert.Equal("404", ResponseOutcome.Of(after));
    }
}
