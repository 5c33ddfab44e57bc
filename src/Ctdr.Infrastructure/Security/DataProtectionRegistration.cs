using System.Security.Cryptography.X509Certificates;
using Ctdr.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Security;

internal static class DataProtectionRegistration
{
    /// <summary>
    /// One key ring for all nodes, kept in the database, so cookies and protected values (cloud secrets) survive
    /// restarts and load balancing. With <c>Ctdr:DataProtection:CertificatePath</c> the keys themselves are
    /// encrypted with that certificate, so a copy of the database alone does not reveal the cloud secrets.
    /// </summary>
    public static IServiceCollection AddCtdrDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddDataProtection()
            .SetApplicationName("Ctdr")
            .PersistKeysToDbContext<CtdrDbContext>();
        var path = configuration["Ctdr:DataProtection:CertificatePath"];
        if (!string.IsNullOrWhiteSpace(path))
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Ctdr:DataProtection:CertificatePath names '{path}', which does not exist.");
            }

            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Ctdr:DataProtection:CertificatePassword"], X509KeyStorageFlags.EphemeralKeySet);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"The certificate at '{path}' has no private key; the key ring could not be read back.");
            }

            builder.ProtectKeysWithCertificate(certificate);
        }

        return services;
    }
}
