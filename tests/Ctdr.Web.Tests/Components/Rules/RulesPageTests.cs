using Bunit;
using Ctdr.Application.Access;
using Ctdr.Application.Detection;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Components.Pages.Rules;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Components.Rules;

/// <summary>The Rules page's Enabling Status switch: analysts turn predefined rules on; viewers only look.</summary>
public sealed class RulesPageTests : CtdrComponentContext
{
    private async Task<RuleState> StateAsync(string key)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CtdrDbContext>>().CreateDbContextAsync();
        return await db.DetectionRules.Where(r => r.Key == key).Select(r => r.State).SingleAsync();
    }

    [Fact]
    public async Task Switch_EnablesThePredefinedRule_WhenAnAnalystTurnsItOn()
    {
        await SignInAsAsync(Roles.Analyst);
        var page = Render<RulesPage>();
        page.WaitForElement("[data-testid=rule-switch-alibaba-waf-sqli]", HangGuard.Timeout);

        await page.Find("[data-testid=rule-switch-alibaba-waf-sqli]").ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        Assert.Equal(RuleState.Live, await StateAsync("alibaba-waf-sqli"));
        page.WaitForAssertion(() => Assert.Equal("Live", page.Find("[data-testid=rule-state-alibaba-waf-sqli]").TextContent), HangGuard.Timeout);
    }

    [Fact]
    public async Task Switches_AreDisabled_ForAViewer()
    {
        await SignInAsAsync(Roles.Viewer);

        var page = Render<RulesPage>();

        page.WaitForElement("[data-testid=rule-switch-alibaba-waf-sqli]", HangGuard.Timeout);
        Assert.True(page.Find("[data-testid=rule-switch-alibaba-waf-sqli]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=rules-new], [data-testid=rules-enable-shown]"));
    }
}
