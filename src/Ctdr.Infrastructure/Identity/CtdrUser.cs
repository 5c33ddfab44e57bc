using Microsoft.AspNetCore.Identity;

namespace Ctdr.Infrastructure.Identity;

/// <summary>A console user. The user name is the email address; each user holds exactly one role.</summary>
public sealed class CtdrUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>A disabled user cannot sign in, and open sessions end at the next revalidation.</summary>
    public bool IsDisabled { get; set; }

    public bool PrefersDarkMode { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}
