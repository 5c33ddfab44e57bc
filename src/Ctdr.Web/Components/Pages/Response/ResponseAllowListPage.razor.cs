using Ctdr.Application.Access;
using Ctdr.Application.Common;
using Ctdr.Application.Response.AllowList;
using Ctdr.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.Response;

/// <summary>The response allow-list: manual entries to add and remove, and the automatic items, each with what it prevented.</summary>
public partial class ResponseAllowListPage
{
    /// <summary>The end choices of the add form: key, label, lifetime (null: never).</summary>
    private static readonly (string Key, string Label, TimeSpan? Lifetime)[] Lifetimes =
    [
        ("never", "Never", null),
        ("1h", "In 1 hour", TimeSpan.FromHours(1)),
        ("1d", "In 1 day", TimeSpan.FromDays(1)),
        ("7d", "In 7 days", TimeSpan.FromDays(7)),
        ("30d", "In 30 days", TimeSpan.FromDays(30)),
    ];

    private readonly FieldErrors _errors = new();
    private IReadOnlyList<ResponseAllowListRow> _rows = [];
    private ResponseAllowListOptions _options = new();
    private bool _canManage;
    private string? _value;
    private string? _reason;
    private string _lifetime = "never";

    [Inject]
    private ResponseAllowList AllowList { get; set; } = default!;

    [Inject]
    private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject]
    private IOptions<ResponseAllowListOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _options = Options.Value;
        _canManage = (await CurrentUser.GetAsync())?.Has(Permission.ManageAllowLists) == true;
        _rows = await AllowList.ListAsync();
    }

    private static string KindName(ResponseAllowListKind kind) => kind switch
    {
        ResponseAllowListKind.Ip => "IP",
        ResponseAllowListKind.Cidr => "CIDR",
        _ => "Domain",
    };

    private async Task AddAsync()
    {
        var lifetime = Lifetimes.Single(l => l.Key == _lifetime).Lifetime;
        var expiresAt = lifetime is { } span ? Clock.GetUtcNow() + span : (DateTimeOffset?)null;
        var (result, _) = await AllowList.AddAsync(new ResponseAllowListForm(_value, _reason, expiresAt));
        _errors.Set(result);
        if (result.Succeeded)
        {
            Snackbar.Add("Added. Blocks are checked against it from now on.", Severity.Success);
            _value = null;
            _reason = null;
            _lifetime = "never";
            _rows = await AllowList.ListAsync();
        }
    }

    private async Task RemoveAsync(ResponseAllowListRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Remove {row.Value}?",
            $"Blocks of {row.Value} will no longer be refused. Reason given: {row.Reason}",
            yesText: "Remove",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await AllowList.RemoveAsync(row.Id!.Value);
        Snackbar.Add(result.Succeeded ? $"Removed {row.Value}." : result.Message ?? "Refused.", result.Succeeded ? Severity.Success : Severity.Warning);
        _rows = await AllowList.ListAsync();
    }
}
