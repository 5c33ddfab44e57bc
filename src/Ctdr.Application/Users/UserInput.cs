using System.Net.Mail;
using Ctdr.Application.Access;
using Ctdr.Application.Common;

namespace Ctdr.Application.Users;

/// <summary>
/// Rules for the fields of user management forms, shared by the forms (immediate feedback) and the use cases
/// (the authority). The password policy itself is Identity's; see <see cref="IUserDirectory"/>.
/// </summary>
public static class UserInput
{
    public const int MaxEmailLength = 256;
    public const int MaxDisplayNameLength = 100;

    public static string? CheckEmail(string? email)
    {
        var value = email?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return "Enter an email address.";
        }

        if (value.Length > MaxEmailLength)
        {
            return $"The email address must be at most {MaxEmailLength} characters.";
        }

        if (!MailAddress.TryCreate(value, out var parsed)
            || !string.Equals(parsed.Address, value, StringComparison.Ordinal)
            || !parsed.Host.Contains('.', StringComparison.Ordinal)
            || parsed.Host.EndsWith('.'))
        {
            return "Enter a valid email address, such as name@example.com.";
        }

        return null;
    }

    public static string? CheckDisplayName(string? displayName)
    {
        var value = displayName?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return "Enter a display name.";
        }

        if (value.Length > MaxDisplayNameLength)
        {
            return $"The display name must be at most {MaxDisplayNameLength} characters.";
        }

        if (value.Any(char.IsControl))
        {
            return "The display name must not contain control characters.";
        }

        return null;
    }

    public static string? CheckRole(string? role) =>
        Roles.IsKnown(role) ? null : $"Choose a role: {string.Join(", ", Roles.All)}.";

    public static string? CheckPasswordPresent(string? password) =>
        string.IsNullOrEmpty(password) ? "Enter a password." : null;

    public static ValidationErrors Validate(CreateUser command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new ValidationErrors();
        AddIf(errors, nameof(CreateUser.Email), CheckEmail(command.Email));
        AddIf(errors, nameof(CreateUser.DisplayName), CheckDisplayName(command.DisplayName));
        AddIf(errors, nameof(CreateUser.Role), CheckRole(command.Role));
        AddIf(errors, nameof(CreateUser.Password), CheckPasswordPresent(command.Password));
        return errors;
    }

    private static void AddIf(ValidationErrors errors, string field, string? message)
    {
        if (message is not null)
        {
            errors.Add(field, message);
        }
    }
}
