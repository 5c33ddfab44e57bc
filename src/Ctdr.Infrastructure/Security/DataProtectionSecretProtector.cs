using Ctdr.Application.Common;
using Microsoft.AspNetCore.DataProtection;

namespace Ctdr.Infrastructure.Security;

/// <summary>Cloud secrets encrypted with ASP.NET Core Data Protection (the key ring lives in the database).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    // The purpose isolates these ciphertexts from cookies and other protected values.
    private readonly IDataProtector _protector = provider.CreateProtector("Ctdr.CloudAccounts.AccessKeySecret.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
