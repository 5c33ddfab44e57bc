using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.LogSources;

public partial class AddLogSourcePage
{
    private readonly FieldErrors _errors = new();
    private readonly List<BreadcrumbItem> _breadcrumbs = [new("Log sources", "/log-sources"), new("Add a log source", null, disabled: true)];
    private IReadOnlyList<CloudAccountRow>? _accounts;
    private long? _accountId;
    private LogProduct? _product;
    private bool _wafSubscription;
    private LogBinding _binding = LogBinding.None;
    private LogBinding _suggested = LogBinding.None;
    private string _name = string.Empty;
    private string _suggestedName = string.Empty;
    private int _interval = LogSourceInput.DefaultPullIntervalSeconds;
    private ValidityOutcome? _outcome;
    private bool _checking;
    private bool _saving;

    /// <summary>The account to start with (from an account's "Add log source").</summary>
    [SupplyParameterFromQuery(Name = "account")]
    public long? InitialAccountId { get; set; }

    [Inject]
    private CloudAccountAdministration Accounts { get; set; } = default!;

    [Inject]
    private LogSourceAdministration LogSources { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private CloudAccountRow? Account => _accounts?.FirstOrDefault(a => a.Id == _accountId);

    private string BindingWords => _product is { } product ? LogProducts.Of(product).Binding switch
    {
        LogBindingKind.SlsLogstore => "SLS project and logstore",
        LogBindingKind.LtsStream => "LTS log group and stream",
        LogBindingKind.ClsTopic => "CLS topic",
        _ => "binding",
    } : "binding";

    protected override async Task OnInitializedAsync()
    {
        _accounts = [.. (await Accounts.ListAsync()).Where(a => CloudProviders.Of(a.Provider).SupportsPull)];
        var initial = _accounts.FirstOrDefault(a => a.Id == InitialAccountId) ?? (_accounts.Count == 1 ? _accounts[0] : null);
        if (initial is not null)
        {
            SelectAccount(initial.Id);
        }
    }

    /// <summary>The products an account's provider writes that Ctdr pulls (pushed products are added differently).</summary>
    private static IEnumerable<LogProductInfo> Products(CloudProvider provider) =>
        LogProducts.For(provider).Where(p => p.Binding != LogBindingKind.Push);

    private static string? DefaultRegion(CloudAccountRow account) => account.Regions is [var first, ..] ? first : null;

    private static string AccountLabel(CloudAccountRow account) =>
        $"{account.DisplayName} ({CloudProviders.DisplayName(account.Provider)} {account.AccountUid}){(account.IsDisabled ? " — disabled" : string.Empty)}";

    private void SelectAccount(long? accountId)
    {
        _accountId = accountId;
        if (Account is not { } account)
        {
            return;
        }

        // A new account: its first region, and its provider's first product unless the chosen one still applies.
        _binding = _binding with { Region = DefaultRegion(account) };
        var products = Products(account.Provider).Select(p => p.Product).ToList();
        _product = _product is { } current && products.Contains(current) ? current : products.FirstOrDefault();
        Suggest();
    }

    private void SelectProduct(LogProduct? product)
    {
        _product = product;
        Suggest();
    }

    private void SelectWafEdition(bool subscription)
    {
        _wafSubscription = subscription;
        Suggest();
    }

    private void ChangeBinding(LogBinding binding)
    {
        var regionChanged = binding.Region != _binding.Region;
        _binding = binding;
        if (regionChanged)
        {
            // The conventional names contain the region.
            Suggest();
        }
        else
        {
            Changed();
        }
    }

    private void ChangeName(string name)
    {
        _name = name;
        Changed();
    }

    private void ChangeInterval(int seconds)
    {
        _interval = seconds;
        Changed();
    }

    /// <summary>
    /// Fills in the conventional binding and name of the chosen account, product and region. A field is replaced only
    /// while it still holds the previous suggestion (or nothing), so what the administrator typed is kept.
    /// </summary>
    private void Suggest()
    {
        if (Account is not { } account || _product is not { } product)
        {
            Changed();
            return;
        }

        var region = _binding.Region ?? DefaultRegion(account) ?? string.Empty;
        var suggested = product switch
        {
            LogProduct.AlibabaWaf => _wafSubscription ? LogBinding.AlibabaWafSubscription(account.AccountUid, region) : LogBinding.AlibabaWafPayAsYouGo(account.AccountUid, region),
            LogProduct.AlibabaCloudFirewall => LogBinding.AlibabaCloudFirewall(account.AccountUid, region),
            _ => new LogBinding(region),
        };
        _binding = new LogBinding(
            region,
            Keep(_binding.Project, _suggested.Project, suggested.Project),
            Keep(_binding.LogStore, _suggested.LogStore, suggested.LogStore),
            Keep(_binding.LogGroup, _suggested.LogGroup, suggested.LogGroup),
            Keep(_binding.LogStream, _suggested.LogStream, suggested.LogStream),
            Keep(_binding.Topic, _suggested.Topic, suggested.Topic));
        _suggested = suggested;

        var name = LogSourceInput.SuggestedName(account.DisplayName, product);
        _name = string.IsNullOrWhiteSpace(_name) || _name == _suggestedName ? name : _name;
        _suggestedName = name;
        Changed();

        static string? Keep(string? current, string? previousSuggestion, string? suggestion) =>
            string.IsNullOrWhiteSpace(current) || current == previousSuggestion ? suggestion : current;
    }

    /// <summary>Any change makes the last Check Validity stale.</summary>
    private void Changed()
    {
        _outcome = null;
        _errors.Clear();
    }

    private LogSourceForm Form() => new(_accountId ?? 0, _product ?? default, _name, _binding, _interval);

    private async Task CheckAsync()
    {
        _checking = true;
        _outcome = null;
        try
        {
            var (result, outcome) = await LogSources.CheckValidityAsync(Form());
            _errors.Set(result);
            _outcome = outcome;
        }
        finally
        {
            _checking = false;
        }
    }

    private async Task SaveAsync()
    {
        _saving = true;
        try
        {
            var (result, id, outcome) = await LogSources.AddAsync(Form());
            _errors.Set(result);
            _outcome = outcome ?? _outcome;
            if (!result.Succeeded || id is not { } sourceId || outcome is null)
            {
                return;
            }

            if (outcome.Passed)
            {
                Snackbar.Add($"Saved {_name.Trim()}: Check Validity passed, and it is pulled every {Formats.Interval(_interval)}.", Severity.Success);
            }
            else
            {
                Snackbar.Add($"Saved {_name.Trim()} as a draft: {outcome.FailedStep?.Name} failed. It is not pulled until Check Validity passes.", Severity.Warning);
            }

            Navigation.NavigateTo($"/log-sources/{sourceId}");
        }
        finally
        {
            _saving = false;
        }
    }
}
