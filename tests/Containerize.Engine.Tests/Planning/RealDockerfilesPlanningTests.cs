using Containerize.Engine.Dockerfile;
using Containerize.Engine.Errors;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Planning;

/// <summary>
/// Every real Dockerfile either plans or fails with a positioned <see cref="ContainerizeException"/>
/// (base images resolve to empty configs); never another exception.
/// </summary>
[TestClass]
public sealed class RealDockerfilesPlanningTests
{
    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(ConformanceData.PathOf("real-dockerfiles"), "Dockerfile", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ConformanceData.Root, f))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public async Task PlansOrFailsWithAPositionedError(string relativePath)
    {
        var loaded = DockerfileLoader.Load(File.ReadAllText(ConformanceData.PathOf(relativePath)), relativePath);
        var request = new PlanRequest(loaded, relativePath, new Dictionary<string, string>(), null,
            Platform.Parse("linux/amd64"), Platform.Parse("linux/amd64"));

        try
        {
            var plan = await BuildPlanner.PlanAsync(request, new EmptyConfigResolver(), new RecordingBuildLog(), CancellationToken.None);
            Assert.AreSame(plan.Target, plan.Stages[^1]);
        }
        catch (ContainerizeException e)
        {
            Assert.IsNotNull(e.Location, e.ToString());
            Assert.IsGreaterThan(0, e.Location.Line, e.ToString());
        }
    }

    private sealed class EmptyConfigResolver : IBaseImageResolver
    {
        public Task<ImageConfig?> GetConfigAsync(string reference, Platform platform, CancellationToken ct) =>
            Task.FromResult<ImageConfig?>(new ImageConfig { Architecture = platform.Architecture, Os = platform.Os, RootFs = new RootFs { DiffIds = [] } });
    }
}
