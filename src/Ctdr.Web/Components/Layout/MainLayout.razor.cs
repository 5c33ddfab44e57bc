using Ctdr.Application.Users;
using Ctdr.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Ctdr.Web.Components.Layout;

public partial class MainLayout
{
    private bool _drawerOpen = true;
    private bool _darkMode;
    private string? _userId;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IUserPreferences Preferences { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is null)
        {
            return;
        }

        var user = CurrentUser.FromPrincipal((await AuthenticationState).User, null);
        if (user is not null)
        {
            _userId = user.UserId;
            _darkMode = await Preferences.GetDarkModeAsync(user.UserId);
        }
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleThemeAsync()
    {
        // Save first, then switch: the theme on screen is always the one the next sign-in gets (a sign-out
        // right after the click cannot overtake the save), and a failed save leaves the theme unchanged.
        var darkMode = !_darkMode;
        if (_userId is not null)
        {
            await Preferences.SetDarkModeAsync(_userId, darkMode);
        }

        _darkMode = darkMode;
    }
}
