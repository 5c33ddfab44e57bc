namespace Ctdr.Application.Common;

/// <summary>The user on whose behalf the current request or circuit runs.</summary>
public interface ICurrentUser
{
    /// <summary>The signed-in user as an actor; null when nobody is signed in.</summary>
    ValueTask<CurrentUserInfo?> GetAsync(CancellationToken cancellationToken = default);
}

public sealed record CurrentUserInfo(string UserId, string Name, IReadOnlyList<string> Roles, string? IpAddress)
{
    public Actor AsActor() => new(UserId, Name, IpAddress);
}
