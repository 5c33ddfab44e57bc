using Ctdr.Application.Users;

namespace Ctdr.Application.Tests.Users;

public class UserInputTests
{
    [Theory]
    [InlineData("ana@example.com", null)]
    [InlineData("first.last+soc@sub.example.org", null)]
    [InlineData("", "Enter an email address.")]
    [InlineData("   ", "Enter an email address.")]
    [InlineData("ana", "Enter a valid email address, such as name@example.com.")]
    [InlineData("ana@localhost", "Enter a valid email address, such as name@example.com.")]
    [InlineData("ana@example.", "Enter a valid email address, such as name@example.com.")]
    [InlineData("Ana <ana@example.com>", "Enter a valid email address, such as name@example.com.")]
    [InlineData("a b@example.com", "Enter a valid email address, such as name@example.com.")]
    public void CheckEmail_ReturnsMessage_WhenInvalid(string email, string? expected)
    {
        Assert.Equal(expected, UserInput.CheckEmail(email));
    }

    [Fact]
    public void CheckEmail_RefusesOverlongAddress()
    {
        var email = new string('a', 250) + "@example.com";

        Assert.Equal("The email address must be at most 256 characters.", UserInput.CheckEmail(email));
    }

    [Theory]
    [InlineData("Ana Analyst", null)]
    [InlineData("", "Enter a display name.")]
    [InlineData("bad\u0001name", "The display name must not contain control characters.")]
    public void CheckDisplayName_ReturnsMessage_WhenInvalid(string name, string? expected)
    {
        Assert.Equal(expected, UserInput.CheckDisplayName(name));
    }

    [Fact]
    public void CheckDisplayName_RefusesMoreThan100Characters()
    {
        Assert.Null(UserInput.CheckDisplayName(new string('x', 100)));
        Assert.Equal("The display name must be at most 100 characters.", UserInput.CheckDisplayName(new string('x', 101)));
    }

    [Theory]
    [InlineData("Admin", null)]
    [InlineData("Analyst", null)]
    [InlineData("Viewer", null)]
    [InlineData("viewer", "Choose a role: Admin, Analyst, Viewer.")]
    [InlineData("Owner", "Choose a role: Admin, Analyst, Viewer.")]
    public void CheckRole_AcceptsOnlyTheThreeRoles(string role, string? expected)
    {
        Assert.Equal(expected, UserInput.CheckRole(role));
    }

    [Fact]
    public void Validate_ReportsEveryInvalidField_ByName()
    {
        var errors = UserInput.Validate(new CreateUser("nope", "", "Owner", "")).ToResult();

        Assert.Equal(["DisplayName", "Email", "Password", "Role"], errors.Errors.Keys.Order());
        Assert.Equal(["Enter a password."], errors.Errors["Password"]);
    }

    [Fact]
    public void Validate_Succeeds_WhenAllFieldsValid()
    {
        Assert.True(UserInput.Validate(new CreateUser("ana@example.com", "Ana", "Analyst", "x")).ToResult().Succeeded);
    }
}
