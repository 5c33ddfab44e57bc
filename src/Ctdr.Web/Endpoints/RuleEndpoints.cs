using System.Text;
using System.Text.Json;
using Ctdr.Application.Access;
using Ctdr.Application.Detection;
using Ctdr.Application.Detection.Sigma;

namespace Ctdr.Web.Endpoints;

/// <summary>
/// <c>POST /api/rules/import</c>: Sigma rules for programs, with the console session of an Analyst or Admin. The body
/// is YAML (<c>application/yaml</c>, one file, several documents allowed) or JSON
/// (<c>{"files":[{"name":"a.yml","yaml":"…"}]}</c>). Both content types make browsers ask first (CORS), so another
/// site cannot post here with the user's cookie.
/// </summary>
internal static class RuleEndpoints
{
    private const long MaxBodyBytes = RuleImport.MaxFiles * (long)RuleImport.MaxFileBytes;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapRuleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/rules/import", ImportAsync)
            .RequireAuthorization(Policies.EditDetectionRules)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpContext context, RuleImport import, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: "The request is larger than 100 MB.");
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        List<SigmaFile> files;
        switch (mediaType)
        {
            case "application/yaml" or "application/x-yaml" or "text/yaml":
                using (var reader = new StreamReader(request.Body, Encoding.UTF8))
                {
                    var yaml = await ReadLimitedAsync(reader, RuleImport.MaxFileBytes, cancellationToken);
                    if (yaml is null)
                    {
                        return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: "A Sigma file has at most 1 MB.");
                    }

                    var name = request.Headers["X-File-Name"].FirstOrDefault() ?? "request.yml";
                    files = [new SigmaFile(name, yaml)];
                }

                break;
            case "application/json":
                ImportRequest? body;
                try
                {
                    body = await JsonSerializer.DeserializeAsync<ImportRequest>(request.Body, Json, cancellationToken);
                }
                catch (JsonException exception)
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"The body is not the expected JSON: {exception.Message}");
                }

                if (body?.Files is not { Count: > 0 } list || list.Any(f => f.Yaml is null))
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "Send {\"files\":[{\"name\":\"rule.yml\",\"yaml\":\"…\"}]}.");
                }

                files = [.. list.Select((f, i) => new SigmaFile(string.IsNullOrWhiteSpace(f.Name) ? $"file-{i + 1}.yml" : f.Name, f.Yaml!))];
                break;
            default:
                return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: "Send application/yaml (one file) or application/json ({\"files\":[…]}).");
        }

        var (result, outcome) = await import.ImportSigmaAsync(files, cancellationToken);
        if (!result.Succeeded)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: result.Message);
        }

        return Results.Ok(new
        {
            imported = outcome!.Imported,
            refused = outcome.Refused,
            items = outcome.Items.Select(i => new { file = i.File, title = i.Title, status = i.Status.ToString(), reason = i.Reason, ruleId = i.RuleId, key = i.Key }),
        });
    }

    private static async Task<string?> ReadLimitedAsync(StreamReader reader, int maxChars, CancellationToken cancellationToken)
    {
        var buffer = new char[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > maxChars)
            {
                return null;
            }
        }

        return text.ToString();
    }

    private sealed record ImportRequest(List<ImportFile>? Files);

    private sealed record ImportFile(string? Name, string? Yaml);
}
