using Ctdr.Application.Access;
using Ctdr.Application.Users;
using Ctdr.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Identity;

internal static class IdentityRegistration
{
    /// <summary>How often a signed-in session is checked against the store (disabled, password reset, role change).</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddCtdrIdentity(this IServiceCollection services)
    {
        services
            .AddIdentityCore<CtdrUser>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CtdrDbContext>()
            .AddSignInManager<CtdrSignInManager>()
            .AddDefaultTokenProviders();

        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = RevalidationInterval);
        services.AddScoped<AccountSignIn>();
        services.AddSingleton<FirstAdministrator>();
        services.AddSingleton<UserSessionValidator>();
        services.AddSingleton<IUserDirectory, UserDirectory>();
        services.AddSingleton<IUserPreferences, UserPreferencesStore>();
        services.AddSingleton<BootstrapAdministrator>();
        return services;
    }

    public static void ConfigureIdentity(IdentityOptions options)
    {
        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedAccount = false;
        options.SignIn.RequireConfirmedEmail = false;

        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = true;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 4;

        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    }

    /// <summary>The single role of a user, from the roles Identity reports.</summary>
    public static string PrimaryRole(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return Roles.All.FirstOrDefault(set.Contains) ?? string.Empty;
    }
}
