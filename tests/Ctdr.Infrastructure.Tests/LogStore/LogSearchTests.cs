using Ctdr.Application.Access;
using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.LogStore;

public class LogSearchTests
{
    private static async Task<(TestHost Host, long SourceId, DateTimeOffset Now)> SeedAsync()
    {
        var host = await TestHost.StartAsync();
        long sourceId;
        await using (var db = await host.DbAsync())
        {
            var account = CloudAccount.Create(CloudProvider.AlibabaCloud, "5000000000000001", "Shop", ["cn-hangzhou"], "ak", "protected", null, false, host.Clock.GetUtcNow());
            db.CloudAccounts.Add(account);
            await db.SaveChangesAsync();
            var source = LogSource.CreatePulled(account.Id, LogProduct.AlibabaWaf, "Shop WAF", LogBinding.AlibabaWafPayAsYouGo("5000000000000001", "cn-hangzhou"), 5, false, host.Clock.GetUtcNow());
            db.LogSources.Add(source);
            await db.SaveChangesAsync();
            sourceId = source.Id;
        }

        var now = host.Clock.GetUtcNow();
        SecurityLog[] logs =
        [
            TestLogs.Waf(sourceId, "benign-1", now.AddMinutes(-50), "198.51.100.10", "/products", "page=2"),
            TestLogs.Waf(sourceId, "benign-2", now.AddMinutes(-40), "198.51.100.11", "/cart"),
            TestLogs.Waf(sourceId, "sqli-1", now.AddMinutes(-30), "203.0.113.7", "/index.php", "id=1%20UNION%20select%201,2", 405, OcsfDisposition.Blocked, "sqlmap/1.7.2#stable"),
            TestLogs.Waf(sourceId, "sqli-2", now.AddMinutes(-20), "203.0.113.7", "/index.php", "id=2%20union%20select%20password", 405, OcsfDisposition.Blocked, "sqlmap/1.7.2#stable"),
            TestLogs.Waf(sourceId, "old", now.AddDays(-2), "203.0.113.7", "/index.php", "id=3%20union%20select"),
            TestLogs.Waf(sourceId, "xss", now.AddMinutes(-10), "203.0.113.9", "/search", "q=<script>alert(1)</script>", 403, OcsfDisposition.Blocked),
        ];
        await host.Get<ILogStore>().AppendAsync(new LogBatch(sourceId, null, null, logs, [], 0, now), CancellationToken.None);
        host.CurrentUser.User = new CurrentUserInfo("v", "viewer@example.com", [Roles.Viewer], null);
        return (host, sourceId, now);
    }

    private static LogSearchQuery Search(TestHost host) => host.Services.CreateScope().ServiceProvider.GetRequiredService<LogSearchQuery>();

    private static async Task<IReadOnlyList<string>> UidsAsync(TestHost host, LogQuery query)
    {
        var page = await Search(host).SearchAsync(query, new PageRequest(0, 50));
        var ids = new List<string>();
        foreach (var row in page.Items)
        {
            ids.Add((await Search(host).GetAsync(row.Id))!.Log.Uid);
        }

        return ids;
    }

    [Fact]
    public async Task Search_FindsTheSqlInjectionRequests_ByIpAndQueryText_NewestFirst()
    {
        var (host, _, now) = await SeedAsync();
        await using var _h = host;
        var hour = new LogQuery(now.AddHours(-1), now.AddMinutes(1));

        Assert.Equal(["sqli-2", "sqli-1"], await UidsAsync(host, hour with { Conditions = [new("src_endpoint.ip", ConditionOperator.Equals, "203.0.113.7")] }));
        Assert.Equal(["sqli-2", "sqli-1"], await UidsAsync(host, hour with { Conditions = [new("http_request.url.query_string", ConditionOperator.Contains, "UNION")] }));
        Assert.Equal(["sqli-2", "sqli-1"], await UidsAsync(host, hour with { Text = "union select" }));
        Assert.Equal(["xss", "sqli-2", "sqli-1"], await UidsAsync(host, hour with { Conditions = [new("http_response.code", ConditionOperator.GreaterThan, "399")] }));
        Assert.Equal(["xss", "sqli-2", "sqli-1"], await UidsAsync(host, hour with { Conditions = [new("disposition_id", ConditionOperator.Equals, "2")] }));
        Assert.Equal(["sqli-2", "sqli-1"], await UidsAsync(host, hour with { Conditions = [new("http_request.user_agent", ConditionOperator.StartsWith, "sqlmap")] }));
        Assert.Equal(["xss", "benign-2", "benign-1"], await UidsAsync(host, hour with { Conditions = [new("src_endpoint.ip", ConditionOperator.NotEquals, "203.0.113.7")] }));
        Assert.Equal(["benign-1"], await UidsAsync(host, hour with { Conditions = [new("time", ConditionOperator.LessThan, now.AddMinutes(-45).ToString("O"))] }));
        Assert.Equal(["sqli-2", "sqli-1", "old"], await UidsAsync(host, new LogQuery(now.AddDays(-3), now.AddMinutes(1), Conditions: [new("src_endpoint.ip", ConditionOperator.Equals, "203.0.113.7")])));
    }

    [Fact]
    public async Task Search_FiltersByScope_AndPages()
    {
        var (host, sourceId, now) = await SeedAsync();
        await using var _h = host;
        var hour = new LogQuery(now.AddHours(-1), now.AddMinutes(1));

        var firstPage = await Search(host).SearchAsync(hour with { SourceId = sourceId, Provider = CloudProvider.AlibabaCloud, Product = LogProduct.AlibabaWaf }, new PageRequest(0, 2));
        var secondPage = await Search(host).SearchAsync(hour, new PageRequest(1, 2));
        var otherProvider = await Search(host).SearchAsync(hour with { Provider = CloudProvider.HuaweiCloud }, new PageRequest(0, 2));
        var otherSource = await Search(host).SearchAsync(hour with { SourceId = sourceId + 1 }, new PageRequest(0, 2));

        Assert.Equal(5, firstPage.TotalCount);
        Assert.Equal([now.AddMinutes(-10), now.AddMinutes(-20)], firstPage.Items.Select(r => r.Time));
        Assert.Equal([now.AddMinutes(-30), now.AddMinutes(-40)], secondPage.Items.Select(r => r.Time));
        Assert.Equal(0, otherProvider.TotalCount);
        Assert.Equal(0, otherSource.TotalCount);
    }

    [Fact]
    public async Task Get_ReturnsEveryFieldAndTheRawRecord_AsStored()
    {
        var (host, _, now) = await SeedAsync();
        await using var _h = host;
        var page = await Search(host).SearchAsync(new LogQuery(now.AddHours(-1), now, Conditions: [new("metadata.uid", ConditionOperator.Equals, "xss")]), new PageRequest(0, 5));

        var details = await Search(host).GetAsync(Assert.Single(page.Items).Id);

        Assert.NotNull(details);
        Assert.Equal("Shop WAF", details.SourceName);
        Assert.Equal(now, details.ReceivedAt);
        Assert.Equal("q=<script>alert(1)</script>", details.Log.UrlQuery);
        Assert.Equal(OcsfDisposition.Blocked, details.Log.DispositionId);
        Assert.Equal(LogProduct.AlibabaWaf, details.Log.Product);
        Assert.Equal("""{"request_traceid":"xss","real_client_ip":"203.0.113.9","request_path":"/search","status":"403"}""", details.RawJson);
        Assert.Null(await Search(host).GetAsync(-1));
    }

    [Fact]
    public async Task Search_IsDenied_WhenNobodyIsSignedIn_AndRefusesBadQueries()
    {
        var (host, _, now) = await SeedAsync();
        await using var _h = host;

        var reversed = LogSearchQuery.Validate(new LogQuery(now, now.AddHours(-1)));
        var tooWide = LogSearchQuery.Validate(new LogQuery(now.AddDays(-40), now));
        host.CurrentUser.User = null;

        Assert.Equal(["The end of the time range must be after its start."], reversed.Errors["To"]);
        Assert.Equal(["Search at most 31 days at a time."], tooWide.Errors["To"]);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Search(host).SearchAsync(new LogQuery(now.AddHours(-1), now), new PageRequest(0, 5)));
    }
}
