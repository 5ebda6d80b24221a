using System.Text.RegularExpressions;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// A fresh project made by <c>dotnet new</c> outside this repository that references our
/// package from the folder feed, the way a user's project does.
/// </summary>
public sealed partial class SampleProject : IDisposable
{
    private readonly TempDirectory _root;
    private readonly PackedFeed _feed;

    private SampleProject(TempDirectory root, PackedFeed feed, string name)
    {
        _root = root;
        _feed = feed;
        Name = name;
        Directory = root.Combine(name);
    }

    public string Name { get; }

    public string Directory { get; }

    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    public string PublishDirectory => Path.Combine(Directory, "bin", "Release", "net10.0", "publish");

    public enum Reference
    {
        /// <summary>A PackageReference to Containerize.</summary>
        Package,

        /// <summary><c>&lt;Sdk Name="Containerize.Sdk" /&gt;</c> beside Microsoft.NET.Sdk.</summary>
        Sdk,

        /// <summary><c>&lt;Project Sdk="Containerize.Sdk/version"&gt;</c> alone, bringing Microsoft.NET.Sdk with it.</summary>
        SdkAlone,
    }

    public static async Task<SampleProject> CreateConsoleAsync(Reference reference = Reference.Package, string name = "HelloApp")
    {
        var feed = await PackageFeed.GetAsync();
        var root = new TempDirectory("ctz-sample");
        var project = new SampleProject(root, feed, name);
        (await ProcessRunner.RunAsync("dotnet", ["new", "console", "-n", name, "-o", project.Directory, "--no-restore"],
            environment: project.Environment)).EnsureSuccess("dotnet new console");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Program.cs"), "Console.WriteLine(\"Hello from a container\");\n");
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="containerize" value="{feed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        if (reference != Reference.Package)
        {
            string csproj = await File.ReadAllTextAsync(project.ProjectFile);
            await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("<Project Sdk=\"Microsoft.NET.Sdk\">", reference == Reference.Sdk
                ? $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <Sdk Name=\"Containerize.Sdk\" Version=\"{feed.Version}\" />"
                : $"<Project Sdk=\"Containerize.Sdk/{feed.Version}\">"));
        }
        else
        {
            (await ProcessRunner.RunAsync("dotnet", ["add", project.ProjectFile, "package", "Containerize", "--version", feed.Version],
                project.Directory, project.Environment)).EnsureSuccess("dotnet add package Containerize");
        }
        return project;
    }

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = _feed.PackagesDirectory,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["SOURCE_DATE_EPOCH"] = null,
        // A store of the project's own: no step cache or layer shared with other tests or earlier runs.
        [Engine.Store.BlobStore.RootEnvironmentVariable] = System.IO.Path.Combine(_root.Path, "store"),
    };

    /// <summary>Runs <c>dotnet publish -t:BuildImage</c> with the given properties.</summary>
    public Task<ProcessResult> BuildImageAsync(IEnumerable<string> properties, IReadOnlyDictionary<string, string?>? extraEnvironment = null, string target = "BuildImage",
        string command = "publish", string verbosity = "n", IEnumerable<string>? switches = null)
    {
        var environment = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string?>()) environment[key] = value;
        string[] arguments = [command, ProjectFile, "-c", "Release", $"-t:{target}", "-nodeReuse:false", $"-v:{verbosity}", .. switches ?? [], .. properties.Select(p => "-p:" + p)];
        return ProcessRunner.RunAsync("dotnet", arguments, Directory, environment, TimeSpan.FromMinutes(5));
    }

    /// <summary>The digest the build logged for the image it made.</summary>
    public static string DigestFrom(ProcessResult result)
    {
        var match = BuiltImagePattern().Match(result.Output);
        if (!match.Success) Assert.Fail($"The build did not report an image digest:\n{result.Output}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"Built image (sha256:[0-9a-f]{64})")]
    private static partial Regex BuiltImagePattern();

    public void Dispose() => _root.Dispose();
}
