using Ctdr.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Security;

internal static class DataProtectionRegistration
{
    /// <summary>One key ring for all nodes, kept in the database, so cookies and protected values survive restarts and load balancing.</summary>
    public static IServiceCollection AddCtdrDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("Ctdr")
            .PersistKeysToDbContext<CtdrDbContext>();
        return services;
    }
}
