using Ctdr.Application.Accounts;
using Ctdr.Application.Common;

namespace Ctdr.Application.LogSources;

/// <summary>Builds what connectors need from stored accounts and sources, decrypting the secret for the call.</summary>
public static class ConnectorAccounts
{
    public static ConnectorAccount From(CloudAccount account, ISecretProtector secrets)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(secrets);
        return new ConnectorAccount(
            account.Provider,
            account.AccountUid,
            account.RegionList,
            new CloudCredentials(account.AccessKeyId, secrets.Unprotect(account.ProtectedSecret)),
            string.IsNullOrEmpty(account.Endpoint) ? null : new Uri(account.Endpoint));
    }

    public static ConnectorSource From(LogSource source, CloudAccount account, ISecretProtector secrets)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ConnectorSource(source.Id, source.Product, source.Binding, From(account, secrets));
    }
}
