using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ctdr.E2E.Pages;

/// <summary><c>/activation</c>: activating with or without the log access policy, metering and prices.</summary>
public sealed class ActivationPage(IPage page) : ShellPage(page)
{
    public const string Path = "/activation";

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Activation", Exact = true });

    public ILocator Choices => Page.GetByTestId("activation-choices");

    public ILocator ActivateWithPolicy => Page.GetByTestId("activate-with-policy");

    public ILocator ActivateWithoutPolicy => Page.GetByTestId("activate-without-policy");

    public ILocator Status => Page.GetByTestId("activation-status");

    /// <summary>The switch of the log access policy; its label says "Log access policy: on" or "off".</summary>
    public ILocator PolicySwitch => Page.Locator(".mud-switch").Filter(new() { Has = Page.GetByTestId("log-access-policy") });

    public ILocator MeteringDays => Page.GetByTestId("metering-day");

    /// <summary>The page is shown and interactive (its metering has loaded, which needs the circuit for its refresh).</summary>
    public async Task ExpectShownAsync()
    {
        await Expect(Page).ToHaveURLAsync(Path);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(MeteringDays).ToHaveCountAsync(14);
    }
}
