using System.Security.Cryptography;
using Ctdr.Application.Accounts;
using Ctdr.Application.Common;
using Ctdr.Application.Logs;

namespace Ctdr.Application.LogSources;

/// <summary>The outcome of Check Validity: every step, and whether none failed.</summary>
public sealed record ValidityOutcome(bool Passed, IReadOnlyList<ValidityStep> Steps)
{
    public ValidityStep? FailedStep => Steps.FirstOrDefault(s => s.Status == ValidityStepStatus.Failed);
}

/// <summary>
/// Check Validity: the connector verifies the binding step by step (credentials → project → logstore → read
/// permission) and reads a few recent records; then the product's normaliser must parse them.
/// </summary>
public sealed class ValidityChecker(ILogConnectors connectors, ILogNormalizers normalizers, ISecretProtector secrets)
{
    public const string CredentialsStep = "Credentials";
    public const string SampleStep = "Sample record parses";

    public async Task<ValidityOutcome> CheckAsync(CloudAccount account, long sourceId, LogProduct product, LogBinding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var connector = connectors.For(account.Provider);
        if (connector is null)
        {
            return Fail(CredentialsStep, $"Ctdr cannot pull {CloudProviders.DisplayName(account.Provider)} logs; push them instead.", null);
        }

        if (account.IsDisabled)
        {
            return Fail(CredentialsStep, "The cloud account is disabled.", null);
        }

        ConnectorSource source;
        try
        {
            source = new ConnectorSource(sourceId, product, binding, ConnectorAccounts.From(account, secrets));
        }
        catch (CryptographicException)
        {
            return Fail(CredentialsStep, "The stored secret cannot be decrypted (the key ring changed); enter the secret again.", null);
        }

        ValidityProbe probe;
        try
        {
            probe = await connector.ProbeAsync(source, cancellationToken);
        }
        catch (CloudApiException failure)
        {
            return Fail(CredentialsStep, failure.Message, failure.ErrorCode);
        }

        var steps = probe.Steps.ToList();
        if (!probe.Passed)
        {
            steps.Add(new ValidityStep(SampleStep, ValidityStepStatus.Skipped, "Skipped: an earlier step failed."));
            return new ValidityOutcome(false, steps);
        }

        steps.Add(CheckSample(product, source, probe.Sample));
        return new ValidityOutcome(steps.All(s => s.Status != ValidityStepStatus.Failed), steps);
    }

    private ValidityStep CheckSample(LogProduct product, ConnectorSource source, IReadOnlyList<RawRecord> sample)
    {
        if (sample.Count == 0)
        {
            return new ValidityStep(SampleStep, ValidityStepStatus.Warning, "No recent record to try; records are parsed as they arrive.");
        }

        var normalizer = normalizers.For(product);
        var context = new LogContext(source.SourceId, source.Account.Provider, source.Account.AccountUid, source.Binding.Region, source.Binding.LogStore ?? source.Binding.LogStream ?? source.Binding.Topic);
        var parsed = 0;
        string? firstRejection = null;
        foreach (var record in sample)
        {
            if (normalizer.TryNormalize(record, context, out _, out var rejection))
            {
                parsed++;
            }
            else
            {
                firstRejection ??= rejection;
            }
        }

        return parsed > 0
            ? new ValidityStep(SampleStep, ValidityStepStatus.Passed, $"{parsed} of {sample.Count} sample records parsed as {LogProducts.Of(product).DisplayName}.")
            : new ValidityStep(SampleStep, ValidityStepStatus.Failed, $"None of {sample.Count} sample records parsed: {firstRejection}", "ParseFailed");
    }

    private static ValidityOutcome Fail(string step, string detail, string? code) =>
        new(false, [new ValidityStep(step, ValidityStepStatus.Failed, detail, code)]);
}
