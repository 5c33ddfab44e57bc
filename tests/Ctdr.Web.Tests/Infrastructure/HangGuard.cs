namespace Ctdr.Web.Tests.Infrastructure;

/// <summary>
/// How long a test waits for something that must happen before it gives up. It only keeps a broken test from
/// hanging the run: no assertion depends on how fast anything happens.
/// </summary>
public static class HangGuard
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
}
