namespace Ctdr.Application.Users;

public sealed record UserRow(
    string Id,
    string Email,
    string DisplayName,
    string Role,
    bool IsDisabled,
    bool IsLockedOut,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt);

public sealed record CreateUser(string Email, string DisplayName, string Role, string Password);

public sealed record ChangeUserRole(string UserId, string Role);

public sealed record SetUserDisabled(string UserId, bool Disabled);

public sealed record ResetUserPassword(string UserId, string NewPassword);
