namespace Ctdr.Application.Access;

/// <summary>Thrown by a use case when the current user lacks the permission it requires.</summary>
public sealed class AccessDeniedException : Exception
{
    public AccessDeniedException()
    {
    }

    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static AccessDeniedException For(Permission permission) =>
        new($"This action requires the permission '{permission}'.");
}
