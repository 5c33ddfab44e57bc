using Ctdr.Application.Logs;

namespace Ctdr.Application.Tests.Logs;

public class OcsfActivityTests
{
    [Theory]
    [InlineData("GET", 3)]
    [InlineData("post", 6)]
    [InlineData("PUT", 7)]
    [InlineData("DELETE", 2)]
    [InlineData("PROPFIND", 99)]
    public void FromHttpMethod_MapsToOcsfHttpActivity(string method, int expected)
    {
        Assert.Equal(expected, OcsfActivity.FromHttpMethod(method));
    }

    [Theory]
    [InlineData("CreateAccessKey", 1)]
    [InlineData("AttachPolicyToUser", 1)]
    [InlineData("DescribeInstances", 2)]
    [InlineData("ListUsers", 2)]
    [InlineData("StopLogging", 3)]
    [InlineData("ModifyDefenseRule", 3)]
    [InlineData("DeleteTrail", 4)]
    [InlineData("ConsoleSignin", 99)]
    public void FromApiOperation_MapsVerbsToOcsfApiActivity(string operation, int expected)
    {
        Assert.Equal(expected, OcsfActivity.FromApiOperation(operation));
    }
}
