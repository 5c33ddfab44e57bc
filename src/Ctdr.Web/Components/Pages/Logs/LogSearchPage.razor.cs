using System.Globalization;
using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.Logs;
using Ctdr.Application.LogSources;
using Ctdr.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Ctdr.Web.Components.Pages.Logs;

/// <summary>
/// Log search. The search lives in the address (<c>?range=1h&amp;q=…&amp;where=…</c>), so a search can be linked,
/// bookmarked and gone back to; Search writes the form into the address, and the address drives the results.
/// </summary>
public partial class LogSearchPage
{
    public const string CustomRange = "custom";
    public const string DefaultRange = "1h";

    internal static readonly (string Key, string Label, TimeSpan Span)[] QuickRanges =
    [
        ("15m", "15 min", TimeSpan.FromMinutes(15)),
        ("1h", "1 h", TimeSpan.FromHours(1)),
        ("24h", "24 h", TimeSpan.FromHours(24)),
        ("7d", "7 d", TimeSpan.FromDays(7)),
    ];

    private const string ConditionsExample = "src_endpoint.ip = 203.0.113.7\nhttp_response.code > 399\nhttp_request.url.path contains /admin";

    private static readonly string[] TimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss", "O"];

    private readonly FieldErrors _errors = new();
    private MudDataGrid<LogRowSummary>? _grid;
    private IReadOnlyList<LogSourceRow> _sources = [];
    private IReadOnlyList<(long Id, string Name)> _accounts = [];
    private string[] _conditionErrors = [];
    private LogQuery? _query;
    private string _range = DefaultRange;
    private string? _fromText;
    private string? _toText;
    private CloudProvider? _provider;
    private long? _accountId;
    private long? _sourceId;
    private LogProduct? _product;
    private string? _text;
    private string? _conditionsText;
    private bool _fieldsOpen;

    [SupplyParameterFromQuery(Name = "range")]
    public string? RangeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? FromParameter { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? ToParameter { get; set; }

    [SupplyParameterFromQuery(Name = "provider")]
    public string? ProviderParameter { get; set; }

    [SupplyParameterFromQuery(Name = "account")]
    public long? AccountParameter { get; set; }

    [SupplyParameterFromQuery(Name = "source")]
    public long? SourceParameter { get; set; }

    [SupplyParameterFromQuery(Name = "product")]
    public string? ProductParameter { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? TextParameter { get; set; }

    [SupplyParameterFromQuery(Name = "where")]
    public string? ConditionsParameter { get; set; }

    [Inject]
    private LogSearchQuery Search { get; set; } = default!;

    [Inject]
    private LogSourceAdministration LogSources { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    internal static string PathAndQuery(LogRowSummary row) =>
        string.IsNullOrEmpty(row.UrlQuery) ? row.UrlPath ?? string.Empty : $"{row.UrlPath}?{row.UrlQuery}";

    protected override async Task OnInitializedAsync()
    {
        _sources = await LogSources.ListAsync();
        _accounts = [.. _sources.Where(s => s.AccountId is not null)
            .GroupBy(s => s.AccountId!.Value)
            .Select(g => (g.Key, g.First().AccountName ?? $"#{g.Key}"))
            .OrderBy(a => a.Item2, StringComparer.Ordinal)];
    }

    protected override async Task OnParametersSetAsync()
    {
        FormFromAddress();
        await RunAsync();
    }

    private static string KindOf(LogFieldKind kind) => kind switch
    {
        LogFieldKind.Number => "number",
        LogFieldKind.IpAddress => "IP address",
        LogFieldKind.Time => "time (UTC)",
        _ => "text",
    };

    private void FormFromAddress()
    {
        var hasCustom = FromParameter is not null || ToParameter is not null;
        _range = hasCustom ? CustomRange : QuickRanges.Any(r => r.Key == RangeParameter) ? RangeParameter! : DefaultRange;
        _fromText = FromParameter;
        _toText = ToParameter;
        _provider = Enum.TryParse<CloudProvider>(ProviderParameter, out var provider) && Enum.IsDefined(provider) ? provider : null;
        _accountId = AccountParameter;
        _sourceId = SourceParameter;
        _product = Enum.TryParse<LogProduct>(ProductParameter, out var product) && Enum.IsDefined(product) ? product : null;
        _text = TextParameter;
        _conditionsText = ConditionsParameter;
    }

    /// <summary>Builds the query from the form; null (with the messages shown) when the form has mistakes.</summary>
    private LogQuery? BuildQuery()
    {
        var errors = new ValidationErrors();
        var (conditions, parseErrors) = LogQueryParser.Parse(_conditionsText);
        _conditionErrors = parseErrors.ToResult().Errors.GetValueOrDefault("Conditions") ?? [];

        var now = Clock.GetUtcNow();
        DateTimeOffset from, to;
        if (_range == CustomRange)
        {
            from = ParseTime(_fromText, "From", errors) ?? now.AddHours(-1);
            to = string.IsNullOrWhiteSpace(_toText) ? now : ParseTime(_toText, "To", errors) ?? now;
        }
        else
        {
            var span = QuickRanges.Single(r => r.Key == _range).Span;
            (from, to) = (now - span, now);
        }

        var query = new LogQuery(from, to, _provider, _accountId, _sourceId, _product, conditions, string.IsNullOrWhiteSpace(_text) ? null : _text.Trim());
        foreach (var (field, messages) in LogSearchQuery.Validate(query).Errors.Where(e => e.Key != "Conditions"))
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        _errors.Set(errors.ToResult());
        return errors.Any || _conditionErrors.Length > 0 ? null : query;
    }

    private static DateTimeOffset? ParseTime(string? text, string field, ValidationErrors errors)
    {
        if (DateTimeOffset.TryParseExact(text?.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.Add(field, "Write a UTC time such as 2026-11-28 08:00:00.");
        return null;
    }

    private async Task RunAsync()
    {
        _query = BuildQuery();
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<GridData<LogRowSummary>> LoadAsync(GridState<LogRowSummary> state, CancellationToken cancellationToken)
    {
        if (_query is null)
        {
            return new GridData<LogRowSummary> { Items = [], TotalItems = 0 };
        }

        var page = await Search.SearchAsync(_query, new PageRequest(state.Page, state.PageSize), cancellationToken);
        return new GridData<LogRowSummary> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private void ChooseRange(string range)
    {
        if (range == CustomRange && _range != CustomRange && _query is not null)
        {
            // Start the custom range from the range shown.
            _fromText = _query.From.UtcDateTime.ToString(TimeFormats[0], CultureInfo.InvariantCulture);
            _toText = _query.To.UtcDateTime.ToString(TimeFormats[0], CultureInfo.InvariantCulture);
        }

        _range = range;
    }

    private void ChangeConditions(string? text)
    {
        _conditionsText = text;
        var (_, errors) = LogQueryParser.Parse(text);
        _conditionErrors = errors.ToResult().Errors.GetValueOrDefault("Conditions") ?? [];
    }

    private void AddField(LogField field)
    {
        var text = (_conditionsText ?? string.Empty).TrimEnd('\n', '\r', ' ');
        ChangeConditions((text.Length == 0 ? string.Empty : text + "\n") + field.Path + " = ");
        _fieldsOpen = false;
    }

    private async Task SearchAsync()
    {
        if (BuildQuery() is null)
        {
            return;
        }

        var address = Address();
        if (string.Equals(Navigation.ToAbsoluteUri(address).AbsoluteUri, Navigation.Uri, StringComparison.Ordinal))
        {
            // The same search again: the address does not change, so run it here (a quick range moves on to now).
            await RunAsync();
        }
        else
        {
            Navigation.NavigateTo(address);
        }
    }

    private async Task ClearAsync()
    {
        if (Navigation.ToBaseRelativePath(Navigation.Uri) == "logs")
        {
            _range = DefaultRange;
            (_fromText, _toText, _provider, _accountId, _sourceId, _product, _text, _conditionsText) = (null, null, null, null, null, null, null, null);
            await RunAsync();
        }
        else
        {
            Navigation.NavigateTo("/logs");
        }
    }

    /// <summary>The address of the search in the form.</summary>
    private string Address()
    {
        var parameters = new Dictionary<string, object?>
        {
            ["range"] = _range == CustomRange || _range == DefaultRange ? null : _range,
            ["from"] = _range == CustomRange ? IsoOf(_fromText) : null,
            ["to"] = _range == CustomRange ? IsoOf(_toText) : null,
            ["provider"] = _provider?.ToString(),
            ["account"] = _accountId,
            ["source"] = _sourceId,
            ["product"] = _product?.ToString(),
            ["q"] = string.IsNullOrWhiteSpace(_text) ? null : _text.Trim(),
            ["where"] = string.IsNullOrWhiteSpace(_conditionsText) ? null : _conditionsText.Trim(),
        };
        return Navigation.GetUriWithQueryParameters("/logs", parameters);

        static string? IsoOf(string? text) =>
            DateTimeOffset.TryParseExact(text?.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
                : null;
    }

    private Task OpenRowAsync(DataGridRowClickEventArgs<LogRowSummary> click) => OpenAsync(click.Item.Id);

    private async Task OpenAsync(long id)
    {
        var parameters = new DialogParameters<LogRecordDialog> { { d => d.LogId, id } };
        await Dialogs.ShowAsync<LogRecordDialog>("Log record", parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
    }
}
