using System.Text.RegularExpressions;
using Ctdr.Application.Common;

namespace Ctdr.Application.LogSources;

/// <summary>The log source form: product, binding, interval.</summary>
public sealed record LogSourceForm(long AccountId, LogProduct Product, string Name, LogBinding Binding, int PullIntervalSeconds);

public static partial class LogSourceInput
{
    /// <summary>Pull intervals offered; each divides a minute or an hour, so the schedule is regular.</summary>
    public static IReadOnlyList<int> PullIntervals { get; } = [2, 5, 10, 15, 30, 60, 300];

    public const int DefaultPullIntervalSeconds = 5;

    public const int MaxNameLength = 100;

    /// <summary>The name a new source is offered: the account's name and a short name of the product, e.g. "Production WAF".</summary>
    public static string SuggestedName(string accountName, LogProduct product)
    {
        var kind = product switch
        {
            LogProduct.AlibabaWaf or LogProduct.HuaweiWaf or LogProduct.TencentWaf => "WAF",
            LogProduct.AlibabaCloudFirewall => "Cloud Firewall",
            LogProduct.AlibabaActionTrail => "ActionTrail",
            _ => "logs",
        };
        var account = (accountName ?? string.Empty).Trim();
        var name = account.Length == 0 ? kind : $"{account} {kind}";
        return name.Length <= MaxNameLength ? name : string.Concat(account.AsSpan(0, MaxNameLength - kind.Length - 2), "… ", kind);
    }

    public static ValidationErrors Validate(LogSourceForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new ValidationErrors();
        if (!Enum.IsDefined(form.Product))
        {
            errors.Add(nameof(LogSourceForm.Product), "Choose a log product.");
            return errors;
        }

        if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Trim().Length > MaxNameLength || form.Name.Any(char.IsControl))
        {
            errors.Add(nameof(LogSourceForm.Name), "Enter a name of at most 100 printable characters.");
        }

        if (!PullIntervals.Contains(form.PullIntervalSeconds))
        {
            errors.Add(nameof(LogSourceForm.PullIntervalSeconds), $"Choose a pull interval of {string.Join(", ", PullIntervals)} seconds.");
        }

        var binding = form.Binding ?? LogBinding.None;
        switch (LogProducts.Of(form.Product).Binding)
        {
            case LogBindingKind.SlsLogstore:
                Require(errors, "Region", binding.Region, RegionPattern(), "Enter the SLS region, such as cn-hangzhou.");
                Require(errors, "Project", binding.Project, SlsNamePattern(), "Enter the SLS project: 3 to 63 lower-case letters, digits and '-'.");
                Require(errors, "LogStore", binding.LogStore, SlsLogstorePattern(), "Enter the logstore: 2 to 63 lower-case letters, digits, '-' and '_'.");
                break;
            case LogBindingKind.LtsStream:
                Require(errors, "Region", binding.Region, RegionPattern(), "Enter the LTS region, such as cn-north-4.");
                Require(errors, "LogGroup", binding.LogGroup, IdPattern(), "Enter the log group id.");
                Require(errors, "LogStream", binding.LogStream, IdPattern(), "Enter the log stream id.");
                break;
            case LogBindingKind.ClsTopic:
                Require(errors, "Region", binding.Region, RegionPattern(), "Enter the CLS region, such as ap-guangzhou.");
                Require(errors, "Topic", binding.Topic, IdPattern(), "Enter the topic id.");
                break;
            case LogBindingKind.Push:
                errors.Add(nameof(LogSourceForm.Product), "Pushed sources are created with a push key, not pulled.");
                break;
        }

        return errors;
    }

    private static void Require(ValidationErrors errors, string field, string? value, Regex pattern, string message)
    {
        if (string.IsNullOrWhiteSpace(value) || !pattern.IsMatch(value.Trim()))
        {
            errors.Add(field, message);
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex SlsNamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,61}[a-z0-9]$")]
    private static partial Regex SlsLogstorePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex IdPattern();
}
