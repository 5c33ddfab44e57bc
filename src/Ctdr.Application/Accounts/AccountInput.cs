using System.Text.RegularExpressions;
using Ctdr.Application.Common;

namespace Ctdr.Application.Accounts;

/// <summary>The fields of the cloud account form and their rules.</summary>
public sealed record AccountForm(
    CloudProvider Provider,
    string AccountUid,
    string DisplayName,
    string Regions,
    string AccessKeyId,
    string? AccessKeySecret,
    string? Endpoint);

public static partial class AccountInput
{
    public const int MaxSecretLength = 256;

    public static IReadOnlyList<string> ParseRegions(string? regions) =>
        [.. (regions ?? string.Empty).Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>Checks the form; <paramref name="secretRequired"/> on onboarding (an edit may keep the stored secret).</summary>
    public static ValidationErrors Validate(AccountForm form, bool secretRequired)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new ValidationErrors();
        if (!Enum.IsDefined(form.Provider))
        {
            errors.Add(nameof(AccountForm.Provider), "Choose a provider.");
        }

        if (string.IsNullOrWhiteSpace(form.AccountUid))
        {
            errors.Add(nameof(AccountForm.AccountUid), "Enter the account id.");
        }
        else if (!AccountUidPattern().IsMatch(form.AccountUid.Trim()))
        {
            errors.Add(nameof(AccountForm.AccountUid), "The account id has 1 to 64 letters, digits, '-', '_' or '.'.");
        }

        if (string.IsNullOrWhiteSpace(form.DisplayName))
        {
            errors.Add(nameof(AccountForm.DisplayName), "Enter a display name.");
        }
        else if (form.DisplayName.Trim().Length > 100 || form.DisplayName.Any(char.IsControl))
        {
            errors.Add(nameof(AccountForm.DisplayName), "The display name has at most 100 printable characters.");
        }

        var regions = ParseRegions(form.Regions);
        if (regions.Count == 0)
        {
            errors.Add(nameof(AccountForm.Regions), "Enter at least one region, such as cn-hangzhou.");
        }
        else if (regions.Count > 30 || regions.Any(r => !RegionPattern().IsMatch(r)))
        {
            errors.Add(nameof(AccountForm.Regions), "Regions are ids such as cn-hangzhou or ap-southeast-1, separated by commas (at most 30).");
        }

        if (string.IsNullOrWhiteSpace(form.AccessKeyId))
        {
            errors.Add(nameof(AccountForm.AccessKeyId), "Enter the access key id.");
        }
        else if (!KeyIdPattern().IsMatch(form.AccessKeyId.Trim()))
        {
            errors.Add(nameof(AccountForm.AccessKeyId), "The access key id has 1 to 128 characters without spaces.");
        }

        if (string.IsNullOrEmpty(form.AccessKeySecret))
        {
            if (secretRequired)
            {
                errors.Add(nameof(AccountForm.AccessKeySecret), "Enter the access key secret.");
            }
        }
        else if (form.AccessKeySecret.Length > MaxSecretLength || form.AccessKeySecret.Any(char.IsWhiteSpace))
        {
            errors.Add(nameof(AccountForm.AccessKeySecret), $"The access key secret has at most {MaxSecretLength} characters without spaces.");
        }

        if (!string.IsNullOrWhiteSpace(form.Endpoint)
            && (!Uri.TryCreate(form.Endpoint.Trim(), UriKind.Absolute, out var endpoint)
                || endpoint.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(endpoint.Query)
                || !string.IsNullOrEmpty(endpoint.UserInfo)))
        {
            errors.Add(nameof(AccountForm.Endpoint), "The endpoint is an http(s) address such as https://proxy.example.com, without query or credentials.");
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex AccountUidPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^\S{1,128}$")]
    private static partial Regex KeyIdPattern();
}
