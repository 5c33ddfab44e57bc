using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Sigma;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Detection;

/// <summary>Sigma import stores draft rules that keep their author; those rules run and their alerts carry the author.</summary>
public sealed class RuleImportTests
{
    private const string Rule = """
        title: Probe for the admin console
        id: 5c0b7bb4-1f51-4f0c-8f6e-3d2b1b8b7e01
        status: test
        author: Jane Analyst
        license: DRL-1.1
        level: medium
        tags:
          - attack.initial-access
          - attack.t1190
        logsource:
          category: webserver
        detection:
          selection:
            cs-uri-stem|startswith: '/admin'
          condition: selection
        """;

    [Fact]
    public async Task Import_StoresADraftWithItsAuthor_AndReportsItExistsTheSecondTime()
    {
        await using var host = await TestHost.StartAsync();
        host.CurrentUser.User = TestCurrentUser.Admin();
        using var scope = host.Services.CreateScope();
        var import = scope.ServiceProvider.GetRequiredService<RuleImport>();

        var (first, outcome) = await import.ImportSigmaAsync([new SigmaFile("probe.yml", Rule)]);
        var (second, again) = await import.ImportSigmaAsync([new SigmaFile("probe.yml", Rule)]);

        Assert.True(first.Succeeded, first.Message);
        var item = Assert.Single(outcome!.Items);
        Assert.Equal(RuleImportStatus.Imported, item.Status);
        Assert.True(second.Succeeded, second.Message);
        Assert.Equal(RuleImportStatus.Exists, Assert.Single(again!.Items).Status);
        await using var db = await host.DbAsync();
        var rule = await db.DetectionRules.SingleAsync(r => r.Origin == RuleOrigin.Sigma);
        Assert.Equal(("Jane Analyst", "DRL-1.1", RuleState.Draft), (rule.Author, rule.License, rule.State));
    }
}
