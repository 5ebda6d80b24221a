namespace Containerize.EndToEnd.Tests;

/// <summary>
/// ContainerBuildParallelism reaches the engine: two stages that wait (bounded) for each other's
/// mark in a shared cache mount meet only when built at the same time; the RUN output in the build
/// log says whether they met.
/// </summary>
[TestCategory("EndToEnd")]
[TestClass]
public class BuildParallelismTests
{
    [TestMethod]
    public async Task ContainerBuildParallelismBoundsHowManyStagesBuildAtOnce()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "ParallelStages");

        await WriteDockerfileAsync(project);
        var together = (await project.BuildImageAsync(["ContainerBuildParallelism=2"])).EnsureSuccess("BuildImage with ContainerBuildParallelism=2");
        StringAssert.Contains(together.Output, "first met second", together.Output);
        StringAssert.Contains(together.Output, "second met first", together.Output);

        await WriteDockerfileAsync(project);
        var oneByOne = (await project.BuildImageAsync(["ContainerBuildParallelism=1"])).EnsureSuccess("BuildImage with ContainerBuildParallelism=1");
        StringAssert.Contains(oneByOne.Output, "first alone", oneByOne.Output);
        StringAssert.Contains(oneByOne.Output, "second met first", oneByOne.Output);

        // A changed Dockerfile, so the incremental target runs and checks the property.
        await WriteDockerfileAsync(project);
        var invalid = await project.BuildImageAsync(["ContainerBuildParallelism=many"]);
        Assert.AreNotEqual(0, invalid.ExitCode);
        StringAssert.Contains(invalid.Output, "error CTZ4020: ContainerBuildParallelism 'many'", invalid.Output);
        Assert.IsFalse(invalid.Output.Contains("   at ", StringComparison.Ordinal), "no stack trace for a user error");
    }

    /// <summary>Two meeting stages and a final one reading both; the cache mount is new for each build, so no mark is left from before.</summary>
    private static Task WriteDockerfileAsync(SampleProject project)
    {
        string cache = "meet-" + Guid.NewGuid().ToString("N");
        return File.WriteAllTextAsync(Path.Combine(project.Directory, "Dockerfile"), $"""
            FROM {EndToEndEnvironment.BusyboxImage} AS first
            {Meet("first", "second", cache)}
            FROM {EndToEndEnvironment.BusyboxImage} AS second
            {Meet("second", "first", cache)}
            FROM {EndToEndEnvironment.BusyboxImage}
            COPY --from=first /etc/passwd /first
            COPY --from=second /etc/passwd /second
            """);
    }

    /// <summary>Leaves this stage's mark, waits up to 10 s for the other's, and prints whether it came.</summary>
    private static string Meet(string me, string other, string cache) =>
        $"RUN --mount=type=cache,id={cache},target=/sync,sharing=shared touch /sync/{me} && i=0; "
        + $"while [ ! -e /sync/{other} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
        + $"if [ -e /sync/{other} ]; then echo {me} met {other}; else echo {me} alone; fi";
}
