using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ctdr.Application.Access;
using Ctdr.Application.Detection;
using Ctdr.Infrastructure.Persistence;
using Ctdr.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Web.Tests.Endpoints;

/// <summary><c>POST /api/rules/import</c>: Sigma rules become draft rules with their author; what cannot be translated is refused with its reason.</summary>
public sealed class RuleImportEndpointTests : IAsyncLifetime, IDisposable
{
    private const string GoodRule = """
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
            sc-status: 404
          condition: selection
        """;

    private const string WindowsRule = """
        title: Suspicious process
        id: 0e1c2f7e-6f7f-4a79-9d3a-1f5e3c2b1a00
        logsource:
          product: windows
          category: process_creation
        detection:
          selection:
            Image|endswith: '\cmd.exe'
          condition: selection
        """;

    private readonly CtdrWebFactory _factory = new();

    public async Task InitializeAsync() => await _factory.AdministratorAsync();

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    private async Task<CookieClient> SignInAsync(string role) => await _factory.SignInAsync(await _factory.CreateUserAsync(role));

    [Fact]
    public async Task Import_CreatesDraftRulesWithTheirAuthor_AndRefusesWithReasons_WhenAnAnalystPostsJson()
    {
        using var client = await SignInAsync(Roles.Analyst);

        using var response = await client.Http.PostAsJsonAsync("/api/rules/import", new { files = new[] { new { name = "admin-probe.yml", yaml = GoodRule }, new { name = "windows.yml", yaml = WindowsRule } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, body.GetProperty("imported").GetInt32());
        Assert.Equal(1, body.GetProperty("refused").GetInt32());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        var imported = items.Single(i => i.GetProperty("status").GetString() == "Imported");
        Assert.Equal("admin-probe.yml", imported.GetProperty("file").GetString());
        var refused = items.Single(i => i.GetProperty("status").GetString() == "Refused");
        Assert.Equal("windows.yml", refused.GetProperty("file").GetString());
        Assert.Contains("windows", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);

        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CtdrDbContext>();
        var rule = await db.DetectionRules.SingleAsync(r => r.Origin == RuleOrigin.Sigma);
        Assert.Equal(imported.GetProperty("key").GetString(), rule.Key);
        Assert.Equal(RuleState.Draft, rule.State);
        Assert.Equal("Jane Analyst", rule.Author);
        Assert.Equal("DRL-1.1", rule.License);
        Assert.Equal("5c0b7bb4-1f51-4f0c-8f6e-3d2b1b8b7e01", rule.SourceId);
        Assert.Equal("TA0001", rule.Tactic);
        Assert.Equal("T1190", rule.Technique);
    }

    [Fact]
    public async Task Import_ReportsExistingRules_WhenTheSameYamlIsPostedTwice()
    {
        using var client = await SignInAsync(Roles.Admin);
        using var first = await client.Http.PostAsync("/api/rules/import", new StringContent(GoodRule, Encoding.UTF8, "application/yaml"));
        using var second = await client.Http.PostAsync("/api/rules/import", new StringContent(GoodRule, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, body.GetProperty("imported").GetInt32());
        Assert.Equal("Exists", body.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Import_IsForbidden_ForAViewer()
    {
        using var client = await SignInAsync(Roles.Viewer);

        using var response = await client.Http.PostAsync("/api/rules/import", new StringContent(GoodRule, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Import_RefusesOtherContentTypesAndBadJson_WithAProblem()
    {
        using var client = await SignInAsync(Roles.Analyst);

        using var form = await client.Http.PostAsync("/api/rules/import", new FormUrlEncodedContent([new("yaml", GoodRule)]));
        using var bad = await client.Http.PostAsync("/api/rules/import", new StringContent("{\"files\":", Encoding.UTF8, "application/json"));
        using var empty = await client.Http.PostAsync("/api/rules/import", new StringContent("{\"files\":[]}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }
}
