using Ctdr.Application.LogSources;

namespace Ctdr.Infrastructure.Clouds;

/// <summary>
/// Runs Check Validity steps in order: each passes (or warns) with a detail, or fails with the provider's error
/// code; once one fails the remaining steps are reported as skipped.
/// </summary>
internal sealed class ConnectorProbe(IReadOnlyList<string> stepNames)
{
    private readonly List<ValidityStep> _steps = [];

    public bool Failed { get; private set; }

    public List<RawRecord> Sample { get; } = [];

    /// <summary>Runs the next step unless an earlier one failed. The action returns the detail to show (and may set a warning).</summary>
    public async Task<bool> RunAsync(string name, Func<Task<(ValidityStepStatus Status, string Detail)>> step, Func<CloudApiException, (string Detail, bool Fails)>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (Failed)
        {
            return false;
        }

        try
        {
            var (status, detail) = await step();
            _steps.Add(new ValidityStep(name, status, detail));
            Failed = status == ValidityStepStatus.Failed;
        }
        catch (CloudApiException exception)
        {
            var (detail, fails) = onError?.Invoke(exception) ?? (Describe(exception), true);
            _steps.Add(new ValidityStep(name, fails ? ValidityStepStatus.Failed : ValidityStepStatus.Passed, detail, fails ? exception.ErrorCode : null));
            Failed = fails;
        }

        return !Failed;
    }

    public ValidityProbe ToValidityProbe()
    {
        foreach (var name in stepNames.Skip(_steps.Count))
        {
            _steps.Add(new ValidityStep(name, ValidityStepStatus.Skipped, "Skipped: an earlier step failed."));
        }

        return new ValidityProbe(_steps, Sample);
    }

    public static string Describe(CloudApiException exception) =>
        exception.HttpStatus == 0
            ? $"{exception.ErrorCode}: {exception.ProviderMessage}"
            : $"{exception.ErrorCode} (HTTP {exception.HttpStatus}): {exception.ProviderMessage}";
}
