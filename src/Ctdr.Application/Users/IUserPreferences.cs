namespace Ctdr.Application.Users;

/// <summary>Per-user console preferences, remembered across sessions and devices.</summary>
public interface IUserPreferences
{
    Task<bool> GetDarkModeAsync(string userId, CancellationToken cancellationToken = default);

    Task SetDarkModeAsync(string userId, bool darkMode, CancellationToken cancellationToken = default);
}
