using Ctdr.Application.Common;

namespace Ctdr.Application.Tests.Common;

public class PagingTests
{
    [Theory]
    [InlineData(0, 25, 0, 25)]
    [InlineData(3, 25, 75, 25)]
    [InlineData(-2, 25, 0, 25)]
    [InlineData(1, 0, 1, 1)]
    [InlineData(2, 10_000, 400, PageRequest.MaxPageSize)]
    public void PageRequest_ClampsToSafeBounds(int pageIndex, int pageSize, int expectedSkip, int expectedTake)
    {
        var page = new PageRequest(pageIndex, pageSize);

        Assert.Equal(expectedSkip, page.Skip);
        Assert.Equal(expectedTake, page.Take);
    }

    [Fact]
    public void Invalid_JoinsFieldMessages_IntoSummary()
    {
        var errors = new ValidationErrors();
        errors.Add("Email", "Enter an email address.");
        errors.Add("Email", "Enter an email address.");
        errors.Add("Password", "Enter a password.");

        var result = errors.ToResult();

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(["Enter an email address."], result.Errors["Email"]);
        Assert.Equal("Enter an email address. Enter a password.", result.Message);
        Assert.Equal(["Enter an email address.", "Enter a password."], result.AllMessages());
    }
}
