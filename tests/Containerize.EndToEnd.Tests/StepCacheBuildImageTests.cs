using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>The step cache through MSBuild: <c>dotnet publish -t:BuildImage</c> again shows CACHED steps; PruneContainerCache empties the cache.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class StepCacheBuildImageTests
{
    [TestMethod]
    public async Task ASecondBuildImageLogsCachedStepsAndPruningByHandFreesThem()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "CachedApp");
        using var store = new TempDirectory("ctz-e2e-cache-store");
        string dockerfile = Path.Combine(project.Directory, "Dockerfile");
        await File.WriteAllTextAsync(dockerfile, $"""
            FROM {EndToEndEnvironment.BusyboxImage}
            WORKDIR /app
            COPY --from=publish . .
            RUN ls /app > /app/files.txt
            ENTRYPOINT ["dotnet", "CachedApp.dll"]
            """);
        string[] properties = [$"ContainerRegistry={EndToEndEnvironment.Registry.Host}", "ContainerRepository=cache/app", "ContainerImageTag=1", $"ContainerStorePath={store.Path}"];

        var first = (await project.BuildImageAsync(properties)).EnsureSuccess("the first BuildImage");
        StringAssert.Contains(first.Output, "3 steps run, 0 cached");

        // A touched Dockerfile makes MSBuild run the target again; its content is the same, so every step hits.
        File.SetLastWriteTimeUtc(dockerfile, DateTime.UtcNow.AddMinutes(1));
        var second = (await project.BuildImageAsync(properties)).EnsureSuccess("the second BuildImage");
        StringAssert.Contains(second.Output, "WORKDIR /app CACHED");
        StringAssert.Contains(second.Output, "COPY . . CACHED");
        StringAssert.Contains(second.Output, "RUN ls /app > /app/files.txt CACHED");
        StringAssert.Contains(second.Output, "0 steps run, 3 cached, 0 bytes pushed");
        Assert.AreEqual(SampleProject.DigestFrom(first), SampleProject.DigestFrom(second));

        var badSize = await project.BuildImageAsync([.. properties, "ContainerCacheMaxSize=lots"], target: "PruneContainerCache", command: "build");
        Assert.AreNotEqual(0, badSize.ExitCode);
        StringAssert.Contains(badSize.Output, "CTZ4010");

        var pruned = (await project.BuildImageAsync([.. properties, "ContainerCacheMaxSize=0"], target: "PruneContainerCache", command: "build")).EnsureSuccess("PruneContainerCache");
        StringAssert.Contains(pruned.Output, "removed 3 entries");
        File.SetLastWriteTimeUtc(dockerfile, DateTime.UtcNow.AddMinutes(2));
        var third = (await project.BuildImageAsync(properties)).EnsureSuccess("the BuildImage after pruning");
        StringAssert.Contains(third.Output, "3 steps run, 0 cached");
    }
}
