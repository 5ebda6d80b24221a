using System.Text.RegularExpressions;
using System.Xml.Linq;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// The targets list BuildContainerImage's parameters once, for the task and for the hash that
/// decides whether BuildImage reruns: every parameter of the task is in that list, and changing
/// the property or item it comes from changes the hash (a forgotten one would let a changed
/// setting return the old image).
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public partial class ContainerImageInputsTests
{
    /// <summary>Not settings of the image: the project's own folder (a moved project has an obj/ of its own) and the task's output marker.</summary>
    private static readonly string[] NotSettings = ["ProjectDirectory", "MarkerFile", "Parameters"];

    [TestMethod]
    public void TheTaskTakesEveryParameterFromTheOneList()
    {
        var targets = XDocument.Load(Path.Combine(RepositoryPaths.Root, "build", "Containerize.targets"));
        var task = targets.Descendants("BuildContainerImage").Single();
        CollectionAssert.AreEquivalent(new[] { "ProjectDirectory", "MarkerFile", "Parameters" }, task.Attributes().Select(a => a.Name.LocalName).ToArray(),
            "every other parameter comes from @(_ContainerizeImageParameter), the list that is hashed");
        Assert.AreEqual("@(_ContainerizeImageParameter)", task.Attribute("Parameters")!.Value);

        var listed = ListedParameters(targets).Select(p => p.Parameter).ToHashSet();
        var missing = TaskParameters().Where(p => !NotSettings.Contains(p) && !listed.Contains(p)).ToList();
        Assert.AreEqual(0, missing.Count, "parameters of BuildContainerImage missing from _ContainerizeImageParameter: " + string.Join(", ", missing));
    }

    [TestMethod]
    public async Task ChangingTheSourceOfAnyParameterChangesTheHash()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "HashedApp");
        var targets = XDocument.Load(Path.Combine(RepositoryPaths.Root, "build", "Containerize.targets"));
        var variations = ListedParameters(targets).ToList();
        Directory.CreateDirectory(Path.Combine(project.Directory, "docker"));
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "docker", "Dockerfile"), "FROM scratch\n");

        // Item sources get an item when the variation names them; property sources a global property.
        string csproj = await File.ReadAllTextAsync(project.ProjectFile);
        string items = string.Concat(variations.Where(v => v.Item is not null).Select(v =>
            $"    <{v.Item} Include=\"changed\" Value=\"changed\" Condition=\"'$(HashVariation)' == '{v.Parameter}'\" />\n"));
        await File.WriteAllTextAsync(project.ProjectFile, csproj.Replace("</Project>", $"  <ItemGroup>\n{items}  </ItemGroup>\n</Project>"));
        string calls = string.Concat(new[] { ("baseline", "") }.Concat(variations.Select(v => (v.Parameter, v.Property is null ? "" : $"{v.Property}={ChangedValue(v.Property)}")))
            .Select(v => $"""    <MSBuild Projects="{project.ProjectFile}" Targets="_ContainerizeComputeImageInputs" Properties="HashVariation={v.Item1};IntermediateOutputPath=obj/hash/{v.Item1}/;{v.Item2}" />""" + "\n"));
        string driver = Path.Combine(project.Directory, "hashes.proj");
        await File.WriteAllTextAsync(driver, $"<Project>\n  <Target Name=\"Hashes\">\n{calls}  </Target>\n</Project>\n");

        (await ProcessRunner.RunAsync("dotnet", ["restore", project.ProjectFile, "-nodeReuse:false"], project.Directory, project.Environment)).EnsureSuccess("dotnet restore");
        (await ProcessRunner.RunAsync("dotnet", ["msbuild", driver, "-t:Hashes", "-nodeReuse:false", "-v:q"], project.Directory, project.Environment, TimeSpan.FromMinutes(5)))
            .EnsureSuccess("the hash of each variation");

        string Hash(string variation) => File.ReadAllText(Path.Combine(project.Directory, "obj", "hash", variation, "HashedApp.csproj.ContainerImageInputs.cache"));
        string baseline = Hash("baseline");
        var unchanged = variations.Where(v => Hash(v.Parameter) == baseline).Select(v => $"{v.Parameter} (from {v.Property ?? v.Item})").ToList();
        Assert.AreEqual(0, unchanged.Count, "changing these left the hash as it was: " + string.Join(", ", unchanged));
    }

    /// <summary>What changes a property: an existing Dockerfile for ContainerDockerfile, true for a flag, else any new text.</summary>
    private static string ChangedValue(string property) => property switch
    {
        "ContainerDockerfile" => "docker/Dockerfile",
        "ContainerNoCache" => "true",
        _ => "changed",
    };

    /// <summary>Each entry of the list: the parameter it gives and the property (<c>$(…)</c> in Value) or item (<c>@(…)</c>, not a _private one) it comes from.</summary>
    private static IEnumerable<(string Parameter, string? Property, string? Item)> ListedParameters(XDocument targets) =>
        targets.Descendants("_ContainerizeImageParameter").Where(e => e.Attribute("Include") is not null).Select(e =>
        {
            string include = e.Attribute("Include")!.Value;
            string? itemParameter = e.Attribute("ContainerizeParameter")?.Value;
            if (itemParameter is not null)
            {
                string item = ItemReference().Matches(include).Select(m => m.Groups[1].Value).First(n => !n.StartsWith('_'));
                return (itemParameter, (string?)null, (string?)item);
            }
            return (include, PropertyReference().Matches(e.Attribute("Value")!.Value).Select(m => m.Groups[1].Value).First(), (string?)null);
        });

    /// <summary>The settable parameters of BuildContainerImage, read from its interface file.</summary>
    private static IEnumerable<string> TaskParameters() =>
        ParameterDeclaration().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Tasks", "BuildContainerImage.Interface.cs")))
            .Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"public [\w\[\]?]+ (\w+) \{ get; set; \}")]
    private static partial Regex ParameterDeclaration();

    [GeneratedRegex(@"@\((\w+)\)")]
    private static partial Regex ItemReference();

    [GeneratedRegex(@"\$\((\w+)\)")]
    private static partial Regex PropertyReference();
}
