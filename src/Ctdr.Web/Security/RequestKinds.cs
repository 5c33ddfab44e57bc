namespace Ctdr.Web.Security;

internal static class RequestKinds
{
    private static readonly PathString[] MachinePaths = ["/api", "/hubs", "/health"];

    /// <summary>Requests from programs rather than from a browser navigating to a page.</summary>
    public static bool IsMachineRequest(HttpRequest request) =>
        MachinePaths.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
