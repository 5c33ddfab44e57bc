using Ctdr.Application.Common;

namespace Ctdr.Web.Components.Shared;

/// <summary>Validation messages of a form, by field, from a use case's <see cref="Result"/>.</summary>
public sealed class FieldErrors
{
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? Of(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Messages not tied to a field (shown above the form).</summary>
    public IEnumerable<string> General => _errors.TryGetValue(string.Empty, out var messages) ? messages : [];

    public void Clear() => _errors = new Dictionary<string, string[]>();

    public void Set(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _errors = result.Errors.Count > 0 || result.Succeeded
            ? result.Errors
            : new Dictionary<string, string[]> { [string.Empty] = [result.Message ?? "The change was refused."] };
    }
}
