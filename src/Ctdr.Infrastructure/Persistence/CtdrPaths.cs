namespace Ctdr.Infrastructure.Persistence;

/// <summary>
/// Where Ctdr keeps its files: <c>Ctdr:DataDirectory</c> when configured (absolute, or relative to the
/// content root), otherwise <c>App_Data</c> under the content root.
/// </summary>
public sealed class CtdrPaths
{
    public const string DefaultFolderName = "App_Data";

    public CtdrPaths(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
    }

    public string DataDirectory { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, "ctdr.db");

    public string JobsDatabaseFile => Path.Combine(DataDirectory, "ctdr-jobs.db");

    public static CtdrPaths Resolve(string? configuredDirectory, string contentRootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentRootPath);
        var directory = string.IsNullOrWhiteSpace(configuredDirectory)
            ? Path.Combine(contentRootPath, DefaultFolderName)
            : Path.IsPathRooted(configuredDirectory) ? configuredDirectory : Path.Combine(contentRootPath, configuredDirectory);
        return new CtdrPaths(directory);
    }

    public void EnsureExists() => Directory.CreateDirectory(DataDirectory);
}
