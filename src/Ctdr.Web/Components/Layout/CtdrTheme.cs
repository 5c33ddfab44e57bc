using MudBlazor;

namespace Ctdr.Web.Components.Layout;

/// <summary>The console's colours: calm blues for the frame, strong colours kept for severities.</summary>
public static class CtdrTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fa8",
            Secondary = "#5c6b7a",
            AppbarBackground = "#15314f",
            AppbarText = "#ffffff",
            Background = "#f5f7fa",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5aa2f0",
            Secondary = "#9aa9b8",
            AppbarBackground = "#0f1b2a",
            Background = "#121821",
            Surface = "#1a2230",
            DrawerBackground = "#161e2a",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
