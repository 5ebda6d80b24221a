using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>
/// The repository's URL and revision reach an image only when the project opts in with
/// <c>PublishRepositoryUrl</c>, as the SDK's PublishContainer has it: a private repository's
/// address must not leak into every image pushed.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class RepositoryLabelTests
{
    private const string Source = "org.opencontainers.image.source";
    private const string Revision = "org.opencontainers.image.revision";

    private static readonly string[] SourceControl =
    [
        "PrivateRepositoryUrl=https://git.example.com/private/app.git",
        "RepositoryUrl=https://git.example.com/private/app.git",
        "RepositoryType=git",
        "SourceRevisionId=0123abc",
        // The project folder is no repository: keep the values above as given.
        "EnableSourceControlManagerQueries=false",
    ];

    [TestMethod]
    public async Task TheRepositoryReachesTheImageOnlyWithPublishRepositoryUrlAsInTheSdk()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "PrivateRepo");

        var withoutOptIn = await LabelsAsync(project, "ours-default", []);
        Assert.IsFalse(withoutOptIn.ContainsKey(Source), "no source URL without PublishRepositoryUrl=true");
        Assert.IsFalse(withoutOptIn.ContainsKey(Revision), "no revision without PublishRepositoryUrl=true");

        var ours = await LabelsAsync(project, "ours-opt-in", ["PublishRepositoryUrl=true"]);
        Assert.AreEqual("https://git.example.com/private/app", ours[Source], "the URL without .git, as the SDK writes it");
        Assert.AreEqual("0123abc", ours[Revision]);

        var sdk = await LabelsAsync(project, "sdk-opt-in", ["PublishRepositoryUrl=true", "EnableSdkContainerSupport=true"], target: "PublishContainer");
        Assert.AreEqual(sdk[Source], ours[Source], "the same source label as the SDK's PublishContainer");
        Assert.AreEqual(sdk[Revision], ours[Revision], "the same revision label as the SDK's PublishContainer");

        var sourceOff = await LabelsAsync(project, "ours-no-source", ["PublishRepositoryUrl=true", "ContainerGenerateLabelsImageSource=false"]);
        Assert.IsFalse(sourceOff.ContainsKey(Source), "ContainerGenerateLabelsImageSource=false leaves the source out, as in the SDK");
        Assert.AreEqual("0123abc", sourceOff[Revision]);
    }

    private static async Task<Dictionary<string, string>> LabelsAsync(SampleProject project, string repository, string[] properties, string target = "BuildImage")
    {
        string registry = EndToEndEnvironment.Registry.Host;
        var build = await project.BuildImageAsync([
            $"ContainerRegistry={registry}",
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
            $"ContainerRepository=labels/{repository}",
            "ContainerImageTag=1",
            .. SourceControl,
            .. properties,
        ], new Dictionary<string, string?> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry }, target: target);
        build.EnsureSuccess($"dotnet publish -t:{target} ({repository})");
        var config = (await Skopeo.InspectAsync($"docker://{registry}/labels/{repository}:1", config: true)).GetProperty("config");
        return config.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            ? labels.EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString() ?? "")
            : [];
    }
}
