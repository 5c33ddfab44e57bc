using Ctdr.Application.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ctdr.Infrastructure.Identity;

/// <summary><c>Ctdr:Bootstrap</c>: an administrator created from configuration, for automation and containers.</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Ctdr:Bootstrap";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    public string AdminDisplayName { get; set; } = "Administrator";
}

/// <summary>
/// At start, creates the administrator named in configuration if no administrator exists yet. Runs on every
/// start but acts only once: later starts find an administrator and leave everything as it is.
/// </summary>
public sealed partial class BootstrapAdministrator(FirstAdministrator first, IOptions<BootstrapOptions> options, ILogger<BootstrapAdministrator> logger)
{
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.AdminEmail))
        {
            return false;
        }

        if (!await first.IsNeededAsync(cancellationToken))
        {
            LogSkipped();
            return false;
        }

        if (string.IsNullOrEmpty(settings.AdminPassword))
        {
            throw new InvalidOperationException("Ctdr:Bootstrap:AdminEmail is set but Ctdr:Bootstrap:AdminPassword is empty.");
        }

        var result = await first.CreateAsync(settings.AdminEmail, settings.AdminDisplayName, settings.AdminPassword, Actor.System, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The bootstrap administrator from configuration (Ctdr:Bootstrap) could not be created: " + string.Join(" ", result.AllMessages()));
        }

        LogCreated(settings.AdminEmail);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An administrator exists; the bootstrap administrator from configuration is not created.")]
    private partial void LogSkipped();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap administrator {Email} from configuration.")]
    private partial void LogCreated(string email);
}
