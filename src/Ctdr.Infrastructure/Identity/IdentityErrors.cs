using Ctdr.Application.Common;
using Ctdr.Application.Users;
using Microsoft.AspNetCore.Identity;

namespace Ctdr.Infrastructure.Identity;

/// <summary>Turns Identity's errors into field messages the forms can show next to the right input.</summary>
internal static class IdentityErrors
{
    public static Result ToResult(IdentityResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var errors = new ValidationErrors();
        foreach (var error in result.Errors)
        {
            switch (error.Code)
            {
                case nameof(IdentityErrorDescriber.DuplicateEmail):
                case nameof(IdentityErrorDescriber.DuplicateUserName):
                    errors.Add(nameof(CreateUser.Email), "A user with this email address already exists.");
                    break;
                case nameof(IdentityErrorDescriber.InvalidEmail):
                case nameof(IdentityErrorDescriber.InvalidUserName):
                    errors.Add(nameof(CreateUser.Email), "Enter a valid email address, such as name@example.com.");
                    break;
                case var code when code.StartsWith("Password", StringComparison.Ordinal):
                    errors.Add(nameof(CreateUser.Password), error.Description);
                    break;
                default:
                    errors.Add(string.Empty, error.Description);
                    break;
            }
        }

        return errors.Any ? errors.ToResult() : Result.Invalid(string.Empty, "The change was refused.");
    }
}
