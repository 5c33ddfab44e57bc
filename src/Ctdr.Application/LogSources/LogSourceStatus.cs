namespace Ctdr.Application.LogSources;

/// <summary>
/// Draft → Validating → Active ⇄ Paused; Active → Failing (after repeated errors) → Active. Stored by name.
/// </summary>
public enum LogSourceStatus
{
    /// <summary>Saved, never validated successfully; not pulled.</summary>
    Draft,

    /// <summary>Check Validity is running.</summary>
    Validating,

    /// <summary>Pulled on its interval (or accepting pushes).</summary>
    Active,

    /// <summary>Stopped by a user; keeps its checkpoint.</summary>
    Paused,

    /// <summary>Repeated pull errors; retried with backoff, back to Active on the next success.</summary>
    Failing,
}
