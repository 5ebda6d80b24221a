using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Planning;

/// <summary>
/// Every real Dockerfile either plans or fails with a positioned <see cref="ContainerizeException"/>
/// (base images resolve to empty configs); never another exception.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class RealDockerfilesPlanningTests
{
    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(ConformanceData.PathOf("real-dockerfiles"), "Dockerfile", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ConformanceData.Root, f))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public async Task PlansOrFailsWithAPositionedError(string relativePath)
    {
        var error = await PlanAsync(relativePath);

        if (error is not null)
        {
            Assert.IsNotNull(error.Location, error.ToString());
            Assert.IsGreaterThan(0, error.Location.Line, error.ToString());
        }
    }

    [TestMethod]
    public async Task ReportsHowManyPlan()
    {
        var errors = new List<ContainerizeException>();
        int planned = 0;
        foreach (var testCase in Cases())
        {
            if (await PlanAsync((string)testCase[0]) is { } error) errors.Add(error);
            else planned++;
        }

        TestContext.WriteLine($"planned {planned}, positioned errors {errors.Count}");
        foreach (var error in errors) TestContext.WriteLine(error.ToString());
        Assert.AreEqual(280, planned + errors.Count);
    }

    private static async Task<ContainerizeException?> PlanAsync(string relativePath)
    {
        var loaded = DockerfileLoader.Load(File.ReadAllText(ConformanceData.PathOf(relativePath)), relativePath);
        var request = new PlanRequest(loaded, relativePath, new Dictionary<string, string>(), null,
            Platform.Parse("linux/amd64"), Platform.Parse("linux/amd64"));
        try
        {
            var plan = await BuildPlanner.PlanAsync(request, new EmptyConfigResolver(), new RecordingBuildLog(), CancellationToken.None);
            Assert.AreSame(plan.Target, plan.Stages[^1]);
            return null;
        }
        catch (ContainerizeException e)
        {
            return e;
        }
    }

    private sealed class EmptyConfigResolver : IBaseImageResolver
    {
        public Task<ImageConfig?> GetConfigAsync(string reference, Platform platform, CancellationToken ct) =>
            Task.FromResult<ImageConfig?>(new ImageConfig { Architecture = platform.Architecture, Os = platform.Os, RootFs = new RootFs { DiffIds = [] } });
    }
}
