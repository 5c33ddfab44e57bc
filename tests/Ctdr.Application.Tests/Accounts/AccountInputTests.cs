using Ctdr.Application.Accounts;
using Ctdr.Application.LogSources;

namespace Ctdr.Application.Tests.Accounts;

public class AccountInputTests
{
    private static AccountForm Valid => new(CloudProvider.AlibabaCloud, "5000000000000001", "Shop", "cn-hangzhou, cn-shanghai", "LTAI5tExample", "secret-value", null);

    [Fact]
    public void Validate_AcceptsACompleteForm()
    {
        Assert.False(AccountInput.Validate(Valid, secretRequired: true).Any);
        Assert.Equal(["cn-hangzhou", "cn-shanghai"], AccountInput.ParseRegions(Valid.Regions));
    }

    [Fact]
    public void Validate_RequiresSecretOnlyOnOnboarding()
    {
        var withoutSecret = Valid with { AccessKeySecret = "" };

        Assert.Equal(["Enter the access key secret."], AccountInput.Validate(withoutSecret, secretRequired: true).ToResult().Errors["AccessKeySecret"]);
        Assert.False(AccountInput.Validate(withoutSecret, secretRequired: false).Any);
    }

    [Fact]
    public void Validate_ExplainsEachBadField()
    {
        var form = new AccountForm(CloudProvider.AlibabaCloud, "has space", " ", "CN Hangzhou", "key with space", "secret with space", "ftp://x");

        var errors = AccountInput.Validate(form, secretRequired: true).ToResult().Errors;

        Assert.Equal(["AccessKeyId", "AccessKeySecret", "AccountUid", "DisplayName", "Endpoint", "Regions"], errors.Keys.Order());
        Assert.Equal(["The endpoint is an http(s) address such as https://proxy.example.com, without query or credentials."], errors["Endpoint"]);
    }

    [Theory]
    [InlineData("LTAI5tExampleKeyId", "LTAI****eyId")]
    [InlineData("AKID1234", "AK****")]
    [InlineData("A", "A****")]
    public void Mask_ShowsOnlyTheEnds(string keyId, string expected)
    {
        Assert.Equal(expected, AccessKeyMask.Mask(keyId));
    }

    [Fact]
    public void CoreSources_FollowAlibabaNaming_AndPreferKnownBindings()
    {
        var account = CloudAccount.Create(CloudProvider.AlibabaCloud, "5000000000000001", "Shop", ["cn-hangzhou"], "ak", "protected", null, false, DateTimeOffset.UnixEpoch);
        ProposedSource[] known = [new(LogProduct.AlibabaActionTrail, "Trail", new LogBinding("cn-hangzhou", "trail-project", "actiontrail_main"))];

        var conventional = CoreLogSources.For(account);
        var withKnown = CoreLogSources.For(account, known);

        Assert.Equal(
            ["wafnew-project-5000000000000001-cn-hangzhou", "cloudfirewall-project-5000000000000001-cn-hangzhou", "actiontrail-5000000000000001-cn-hangzhou"],
            conventional.Select(s => s.Binding.Project));
        Assert.Equal("trail-project", withKnown.Single(s => s.Product == LogProduct.AlibabaActionTrail).Binding.Project);
        Assert.Equal(3, withKnown.Count);
    }
}
