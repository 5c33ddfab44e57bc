using Bunit;
using Ctdr.Web.Components.Pages.Response;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Ctdr.Web.Tests.Components;

/// <summary>The automatic response rules page over the real use case: a new rule runs the WAF IP-blocking playbook by default; problems are named.</summary>
public sealed class ResponseRulesPageTests : CtdrComponentContext
{
    [Fact]
    public async Task NewRule_IsListedWithItsAction_WhenSaved()
    {
        var page = Render<ResponseRulesPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=response-rules-empty]"), HangGuard.Timeout);

        await page.Find("[data-testid=response-rule-new]").ClickAsync(new MouseEventArgs());
        await page.Find("[data-testid=rule-save]").ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => Assert.Contains("Give the rule a name of at most 100 characters.", page.Find("[data-testid=response-rule-form]").TextContent, StringComparison.Ordinal), HangGuard.Timeout);

        await page.Find("input[data-testid=rule-name]").ChangeAsync(new ChangeEventArgs { Value = "Block <i>web</i> attackers" });
        await page.Find("[data-testid=rule-save]").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["Block <i>web</i> attackers"], page.FindAll("[data-testid=response-rule-name]").Select(e => e.TextContent)), HangGuard.Timeout);
        Assert.Equal(["run Block the attacker IP on the WAF"], page.FindAll("[data-testid=response-rule-actions]").Select(e => e.TextContent));
        Assert.Equal(["0"], page.FindAll("[data-testid=response-rule-fired]").Select(e => e.TextContent));
        Assert.Empty(page.FindAll("[data-testid=response-rules] i"));
        Assert.Empty(page.FindAll("[data-testid=response-rule-form]"));
    }
}
