using Ctdr.Application.Access;
using Ctdr.Application.Audit;
using Ctdr.Application.Common;
using Ctdr.Application.Response.AllowList;
using Ctdr.Infrastructure.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Response.AllowList;

/// <summary>The response allow-list use case over real SQLite: validation and its messages, audit, the compiled matcher, prevented counts.</summary>
public sealed class ResponseAllowListTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> BackToOrigin = new()
    {
        ["Response:BackToOriginRanges:AlibabaCloud:0"] = "192.0.2.248/29",
        ["Response:BackToOriginRanges:AlibabaCloud:1"] = "2001:db8:a11::/48",
        ["Response:BackToOriginRanges:TencentCloud:0"] = "2001:db8:7c::/48",
    };

    private static async Task<TestHost> StartAsync(string role = Roles.Analyst, IDictionary<string, string?>? settings = null)
    {
        var host = await TestHost.StartAsync(settings ?? BackToOrigin, Now);
        var email = role.ToLowerInvariant() + "@example.com";
        host.SignInAs(await host.CreateUserAsync(email, role), email, role);
        return host;
    }

    private static ResponseAllowList AllowList(TestHost host) =>
        host.Services.CreateScope().ServiceProvider.GetRequiredService<ResponseAllowList>();

    private static async Task<List<AuditEntry>> AuditAsync(TestHost host)
    {
        await using var db = await host.DbAsync();
        return await db.AuditEntries.Where(a => a.Action == AuditAction.ResponseAllowListEntryAdded || a.Action == AuditAction.ResponseAllowListEntryRemoved).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task Add_StoresTheNormalisedEntryAndAuditsIt_WhenTheValueIsValid()
    {
        await using var host = await StartAsync();

        var (outcome, id) = await AllowList(host).AddAsync(new ResponseAllowListForm(" 198.51.100.77/24 ", " Partner's scanner ", Now.AddDays(7)));

        Assert.True(outcome.Succeeded, outcome.Message);
        await using var db = await host.DbAsync();
        var entry = await db.ResponseAllowList.SingleAsync();
        Assert.Equal(id, entry.Id);
        Assert.Equal((ResponseAllowListKind.Cidr, "198.51.100.0/24", "Partner's scanner", "analyst@example.com", Now, (DateTimeOffset?)Now.AddDays(7), 0L), (entry.Kind, entry.Value, entry.Reason, entry.CreatedBy, entry.CreatedAt, entry.ExpiresAt, entry.PreventedCount));
        var audit = Assert.Single(await AuditAsync(host));
        Assert.Equal(AuditAction.ResponseAllowListEntryAdded, audit.Action);
        Assert.Equal("analyst@example.com", audit.ActorName);
        Assert.Equal(id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), audit.TargetId);
        Assert.Equal("198.51.100.0/24", audit.TargetName);
        Assert.Equal("Cidr 198.51.100.0/24 until 2026-12-05 08:00 UTC: Partner's scanner", audit.Details);
    }

    [Theory]
    [InlineData("10.1", "Value", "'10.1' is not an IP address (IPv4 as four numbers 0–255 such as 203.0.113.7, or IPv6 such as 2001:db8::7).")]
    [InlineData("203.0.113.0/33", "Value", "'203.0.113.0/33' has no valid prefix length: after the slash give a number from 0 to 32.")]
    [InlineData("44.0.0.0/7", "Value", "44.0.0.0/7 is too broad: an IPv4 entry may cover at most a /8, or most of the internet would become unblockable. Add narrower networks.")]
    [InlineData("0.0.0.0/0", "Value", "0.0.0.0/0 is too broad: an IPv4 entry may cover at most a /8, or most of the internet would become unblockable. Add narrower networks.")]
    [InlineData("2400::/31", "Value", "2400::/31 is too broad: an IPv6 entry may cover at most a /32, or most of the internet would become unblockable. Add narrower networks.")]
    [InlineData("10.1.2.3", "Value", "10.1.2.3 is already never blocked: it lies in 10.0.0.0/8 (Private network (RFC 1918)).")]
    [InlineData("fd00:1234::/48", "Value", "fd00:1234::/48 is already never blocked: it lies in fc00::/7 (Unique local addresses (RFC 4193)).")]
    [InlineData("*.com", "Value", "'*.com' is too broad: a wildcard needs at least two labels after '*.', e.g. *.example.com.")]
    [InlineData("", "Value", "Give an IP address, a CIDR network or a domain name.")]
    public async Task Add_RefusesWithAMessage_WhenTheValueIsWrong(string value, string field, string message)
    {
        await using var host = await StartAsync();

        var (outcome, id) = await AllowList(host).AddAsync(new ResponseAllowListForm(value, "reason"));

        Assert.Equal(ResultStatus.Invalid, outcome.Status);
        Assert.Null(id);
        Assert.Equal([field], outcome.Errors.Keys);
        Assert.Equal([message], outcome.Errors[field]);
        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.ResponseAllowList.CountAsync());
        Assert.Empty(await AuditAsync(host));
    }

    [Fact]
    public async Task Add_RefusesReasonAndEnd_WhenMissingOrPast()
    {
        await using var host = await StartAsync();

        var (outcome, _) = await AllowList(host).AddAsync(new ResponseAllowListForm("203.0.113.9", "  ", Now));

        Assert.Equal(["ExpiresAt", "Reason"], outcome.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Say why this must never be blocked."], outcome.Errors["Reason"]);
        Assert.Equal(["The end must be in the future; leave it empty for an entry that does not expire."], outcome.Errors["ExpiresAt"]);
    }

    [Fact]
    public async Task Add_RefusesADuplicate_WhenTheSameValueIsListedInAnotherForm()
    {
        await using var host = await StartAsync();
        Assert.True((await AllowList(host).AddAsync(new ResponseAllowListForm("2001:db8::7", "office v6"))).Outcome.Succeeded);

        var (outcome, _) = await AllowList(host).AddAsync(new ResponseAllowListForm("2001:DB8:0::7/128", "again"));

        Assert.Equal(["2001:db8::7 is already on the allow-list (added by analyst@example.com)."], outcome.Errors["Value"]);
    }

    [Fact]
    public async Task AddAndRemove_AreRefused_WhenTheUserIsAViewer()
    {
        await using var host = await StartAsync(Roles.Viewer);

        await Assert.ThrowsAsync<AccessDeniedException>(() => AllowList(host).AddAsync(new ResponseAllowListForm("203.0.113.9", "office")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AllowList(host).RemoveAsync(1));
        Assert.Equal(21 + 3, (await AllowList(host).ListAsync()).Count);
    }

    [Fact]
    public async Task Remove_DeletesTheEntryAndAuditsIt_WhenItExists()
    {
        await using var host = await StartAsync();
        var (_, id) = await AllowList(host).AddAsync(new ResponseAllowListForm("shop.example.com", "our storefront"));

        var outcome = await AllowList(host).RemoveAsync(id!.Value);
        var again = await AllowList(host).RemoveAsync(id.Value);

        Assert.True(outcome.Succeeded);
        Assert.Equal(ResultStatus.NotFound, again.Status);
        Assert.Equal("The allow-list entry does not exist (it may have been removed already).", again.Message);
        Assert.Equal(
            [(AuditAction.ResponseAllowListEntryAdded, "shop.example.com", "Domain shop.example.com: our storefront"), (AuditAction.ResponseAllowListEntryRemoved, "shop.example.com", "Domain shop.example.com (was: our storefront; prevented 0 blocks)")],
            (await AuditAsync(host)).Select(a => (a.Action, a.TargetName, a.Details)));
        await using var db = await host.DbAsync();
        Assert.Equal(0, await db.ResponseAllowList.CountAsync());
    }

    [Fact]
    public async Task Current_FollowsAddRemoveAndExpiry_WithoutWaitingForTheRefresh()
    {
        await using var host = await StartAsync();
        var allowList = AllowList(host);
        Assert.Null((await allowList.CurrentAsync()).Match("203.0.113.0/24"));

        var (_, office) = await allowList.AddAsync(new ResponseAllowListForm("203.0.113.9", "office"));
        var (_, lab) = await allowList.AddAsync(new ResponseAllowListForm("203.0.113.128/25", "lab, this week", Now.AddHours(1)));
        var withBoth = await allowList.CurrentAsync();
        await allowList.RemoveAsync(office!.Value);
        var withLab = await allowList.CurrentAsync();
        host.Clock.Advance(TimeSpan.FromHours(1));
        var withNone = await allowList.CurrentAsync();

        Assert.Equal((AllowListSource.Manual, office, "office"), (withBoth.Match("203.0.113.9")!.Source, withBoth.Match("203.0.113.9")!.EntryId, withBoth.Match("203.0.113.9")!.Reason));
        Assert.Equal(lab, withBoth.Match("203.0.113.200")!.EntryId);
        Assert.Null(withLab.Match("203.0.113.9"));
        Assert.Equal(lab, withLab.Match("203.0.113.0/24")!.EntryId);
        Assert.Null(withNone.Match("203.0.113.0/24"));
        Assert.Same(withNone, await allowList.CurrentAsync());
    }

    [Fact]
    public async Task Current_HoldsReservedAndBackToOriginRanges_FromConfiguration()
    {
        await using var host = await StartAsync();

        var matcher = await AllowList(host).CurrentAsync();

        Assert.Equal(AllowListSource.ReservedRange, matcher.Match("192.168.10.1")!.Source);
        var origin = matcher.Match("192.0.2.250")!;
        Assert.Equal((AllowListSource.BackToOrigin, "192.0.2.248/29", "Alibaba Cloud WAF back-to-origin range (configuration)"), (origin.Source, origin.Item.Value, origin.Reason));
        Assert.Equal("Tencent Cloud WAF back-to-origin range (configuration)", matcher.Match("2001:db8:7c::1")!.Reason);
        Assert.Null(matcher.Match("192.0.2.50"));
        Assert.Null(matcher.Match("203.0.113.7"));
    }

    [Fact]
    public async Task Host_RefusesToStart_WhenABackToOriginRangeIsInvalid()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = await StartAsync(settings: new Dictionary<string, string?> { ["Response:BackToOriginRanges:AlibabaCloud:0"] = "47.0.0/24" });
            host.Get<Microsoft.Extensions.Options.IOptions<ResponseAllowListOptions>>().Value.ToString();
        });

        Assert.Contains("Response:AllowList or Response:BackToOriginRanges is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordPrevented_CountsOnTheEntryOrTheAutomaticItem_WhenABlockIsRefused()
    {
        await using var host = await StartAsync();
        var allowList = AllowList(host);
        var (_, id) = await allowList.AddAsync(new ResponseAllowListForm("203.0.113.9", "office"));
        var matcher = await allowList.CurrentAsync();

        await allowList.RecordPreventedAsync(matcher.Match("203.0.113.0/24")!);
        host.Clock.Advance(TimeSpan.FromMinutes(3));
        await allowList.RecordPreventedAsync(matcher.Match("203.0.113.9")!);
        await allowList.RecordPreventedAsync(matcher.Match("10.9.9.9")!);

        var rows = await allowList.ListAsync();
        var manual = rows.Single(r => r.Id == id);
        Assert.Equal((2L, (DateTimeOffset?)Now.AddMinutes(3)), (manual.PreventedCount, manual.LastPreventedAt));
        var privateRange = rows.Single(r => r.Value == "10.0.0.0/8");
        Assert.Equal((AllowListSource.ReservedRange, true, 1L, (DateTimeOffset?)Now.AddMinutes(3)), (privateRange.Source, privateRange.IsAutomatic, privateRange.PreventedCount, privateRange.LastPreventedAt));
        Assert.Equal(0, rows.Where(r => r.Id != id && r.Value != "10.0.0.0/8").Sum(r => r.PreventedCount));
    }

    [Fact]
    public async Task List_ShowsManualEntriesFirstThenEveryAutomaticItem()
    {
        await using var host = await StartAsync();
        await AllowList(host).AddAsync(new ResponseAllowListForm("203.0.113.9", "office"));
        await AllowList(host).AddAsync(new ResponseAllowListForm("*.shop.example.com", "storefronts", Now.AddMinutes(30)));
        host.Clock.Advance(TimeSpan.FromHours(1));

        var rows = await AllowList(host).ListAsync();

        Assert.Equal(
            [("*.shop.example.com", "manual", true), ("203.0.113.9", "manual", false)],
            rows.Take(2).Select(r => (r.Value, r.SourceName, r.Expired)));
        Assert.Equal(ReservedRanges.All.Select(r => r.Value), rows.Where(r => r.Source == AllowListSource.ReservedRange).Select(r => r.Value));
        Assert.Equal(["192.0.2.248/29", "2001:db8:a11::/48", "2001:db8:7c::/48"], rows.Where(r => r.Source == AllowListSource.BackToOrigin).Select(r => r.Value));
        Assert.All(rows.Skip(2), r => Assert.Null(r.Id));
    }
}
