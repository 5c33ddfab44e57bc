using Ctdr.CloudEmulator.Common;
using Ctdr.CloudEmulator.Faults;

namespace Ctdr.CloudEmulator.Huawei;

/// <summary>
/// Huawei Cloud IAM's KeystoneListProjects (<c>GET /v3/projects?name=&lt;region&gt;</c> on
/// <c>iam.&lt;region&gt;.myhuaweicloud.com</c>), AK/SK-signed: the project of the caller's key in that region, which is how
/// clients find the project id the regional services (LTS, WAF) put in their paths.
/// </summary>
internal sealed class IamEndpoint(SandboxState state)
{
    public async Task HandleAsync(HttpContext context, string region)
    {
        var requestId = HttpWrite.NewRequestId(32, upper: false);
        context.Response.Headers["X-Request-Id"] = requestId;
        var signed = await SignedRequest.FromHttpAsync(context.Request, context.RequestAborted);
        if (await ApigGate.AuthenticateAsync(context, state, signed, FaultSet.None, requestId) is not { } key)
        {
            return;
        }

        if (context.Request.Method != "GET" || (context.Request.Path.Value ?? "/").TrimEnd('/') != "/v3/projects")
        {
            await ApigGate.GatewayAsync(context, 404, "APIGW.0101", $"The API does not exist or has not been published in the environment: {context.Request.Method} {context.Request.Path}", requestId);
            return;
        }

        var name = signed.Query.FirstOrDefault(q => q.Key == "name").Value;
        var projects = state.LtsProjects.Values
            .Where(p => p.ProjectId == key.ProjectId && (name is null || p.Region == name) && (region.Length == 0 || p.Region == region))
            .Select(p => new Dictionary<string, object>
            {
                ["id"] = p.ProjectId,
                ["name"] = p.Region,
                ["domain_id"] = SandboxAccounts.HuaweiDomainId,
                ["parent_id"] = SandboxAccounts.HuaweiDomainId,
                ["is_domain"] = false,
                ["enabled"] = true,
                ["description"] = string.Empty,
                ["links"] = new Dictionary<string, string> { ["self"] = $"https://iam.myhuaweicloud.com/v3/projects/{p.ProjectId}" },
            }).ToArray();
        await HttpWrite.JsonAsync(context, 200, new Dictionary<string, object>
        {
            ["projects"] = projects,
            ["links"] = new Dictionary<string, object?> { ["self"] = "https://iam.myhuaweicloud.com/v3/projects", ["previous"] = null, ["next"] = null },
        });
    }
}
