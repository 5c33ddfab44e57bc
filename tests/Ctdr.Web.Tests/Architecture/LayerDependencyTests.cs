using System.Reflection;
using System.Xml.Linq;

namespace Ctdr.Web.Tests.Architecture;

/// <summary>
/// Dependencies point inwards: Web → Infrastructure → Application, and Application references nothing of ours
/// nor anything that ties it to a host, a job system or a database provider. Checked twice: in the compiled
/// assemblies (what the code really uses) and in the project files (what a later change could start using).
/// </summary>
public sealed class LayerDependencyTests
{
    /// <summary>The projects of ours each project may reference. Every project under src/ must be listed.</summary>
    private static readonly Dictionary<string, string[]> AllowedReferences = new(StringComparer.Ordinal)
    {
        ["Ctdr.Application"] = [],
        ["Ctdr.Infrastructure"] = ["Ctdr.Application"],
        // The composition root also hosts the sandbox cloud in-process (Sandbox:Enabled); only it may reference it.
        ["Ctdr.Web"] = ["Ctdr.Application", "Ctdr.CloudEmulator", "Ctdr.Infrastructure"],

        // The sandbox cloud stands in for the outside world; sharing code with the connectors would hide their bugs.
        ["Ctdr.CloudEmulator"] = [],
    };

    /// <summary>Assemblies and packages that would tie the Application layer to a host, a job system or a provider.</summary>
    private static readonly string[] ForbiddenInApplication =
    [
        "Microsoft.AspNetCore.*",
        "Hangfire*",
        "Microsoft.EntityFrameworkCore.Sqlite",
        "Microsoft.EntityFrameworkCore.SqlServer",
        "Microsoft.Data.Sqlite",
        "Microsoft.Data.SqlClient",
    ];

    public static TheoryData<string> CompiledProjects() => ["Ctdr.Application", "Ctdr.Infrastructure", "Ctdr.Web"];

    public static TheoryData<string> ProjectFiles()
    {
        var data = new TheoryData<string>();
        foreach (var project in SourceProjects())
        {
            data.Add(Path.GetFileNameWithoutExtension(project));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CompiledProjects))]
    public void Assembly_ReferencesOnlyAllowedProjects_WhenCompiled(string project)
    {
        var ours = AssemblyOf(project).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(IsOurs)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(AllowedReferences[project], ours);
    }

    [Fact]
    public void ApplicationAssembly_ReferencesNoHostJobSystemOrProvider_WhenCompiled()
    {
        var forbidden = AssemblyOf("Ctdr.Application").GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(IsForbiddenInApplication)
            .ToList();

        Assert.Empty(forbidden);
    }

    [Theory]
    [MemberData(nameof(ProjectFiles))]
    public void ProjectFile_ReferencesOnlyAllowedProjects_WhenRead(string project)
    {
        Assert.True(AllowedReferences.ContainsKey(project), $"{project} has no layer rule; add it to {nameof(AllowedReferences)}.");

        var referenced = Items(project, "ProjectReference")
            .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(AllowedReferences[project], referenced);
    }

    [Fact]
    public void ApplicationProjectFile_ReferencesNoHostJobSystemOrProvider_WhenRead()
    {
        var forbidden = Items("Ctdr.Application", "PackageReference")
            .Concat(Items("Ctdr.Application", "FrameworkReference"))
            .Where(IsForbiddenInApplication)
            .ToList();

        Assert.Empty(forbidden);
        Assert.Equal("Microsoft.NET.Sdk", XDocument.Load(ProjectFile("Ctdr.Application")).Root!.Attribute("Sdk")!.Value);
    }

    private static Assembly AssemblyOf(string project) => project switch
    {
        "Ctdr.Application" => typeof(Application.DependencyInjection).Assembly,
        "Ctdr.Infrastructure" => typeof(Ctdr.Infrastructure.DependencyInjection).Assembly,
        "Ctdr.Web" => typeof(Program).Assembly,
        _ => throw new ArgumentOutOfRangeException(nameof(project), project, null),
    };

    private static bool IsOurs(string name) => name.StartsWith("Ctdr.", StringComparison.Ordinal);

    private static bool IsForbiddenInApplication(string name) =>
        ForbiddenInApplication.Any(pattern => pattern.EndsWith('*')
            ? name.StartsWith(pattern.TrimEnd('*'), StringComparison.OrdinalIgnoreCase)
            : string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> Items(string project, string itemType) =>
        XDocument.Load(ProjectFile(project))
            .Descendants(itemType)
            .Select(item => item.Attribute("Include")?.Value)
            .OfType<string>();

    private static string ProjectFile(string project) =>
        SourceProjects().Single(path => Path.GetFileNameWithoutExtension(path) == project);

    private static string[] SourceProjects() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories);

    /// <summary>The folder holding <c>Ctdr.Web.sln</c>, found by walking up from the test output.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ctdr.Web.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Ctdr.Web.sln above {AppContext.BaseDirectory}.");
    }
}
