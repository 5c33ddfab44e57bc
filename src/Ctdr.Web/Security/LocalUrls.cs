namespace Ctdr.Web.Security;

/// <summary>Guards redirects after sign-in and sign-out against leaving the site (open redirects).</summary>
public static class LocalUrls
{
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);

    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";
}
