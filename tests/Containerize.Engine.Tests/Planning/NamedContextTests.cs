using Containerize.Engine.Oci;
using Containerize.Engine.Planning;
using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Planning;

[TestCategory("Unit")]
[TestClass]
public class NamedContextTests
{
    private static readonly Dictionary<string, StageBase> Contexts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["publish"] = new NamedContextBase("publish"),
        ["runtime"] = new ImageBase(ImageReference.Parse("registry.example/dotnet/runtime:10.0"), null),
    };

    [TestMethod]
    public async Task CopyFromANamedContextReadsTheContext()
    {
        var plan = await PlanAsync("FROM scratch\nCOPY --from=Publish . /app/\n", namedContexts: Contexts);

        Assert.AreEqual(new NamedContextBase("publish"), plan.Target.Steps[0].Sources["Publish"]);
        Assert.IsEmpty(plan.Target.DependsOn);
    }

    [TestMethod]
    public async Task AStageOfTheSameNameWinsOverANamedContext()
    {
        var plan = await PlanAsync("FROM scratch AS publish\nFROM scratch\nCOPY --from=publish /out /app/\n", namedContexts: Contexts);

        Assert.AreEqual(new StageReference(0), plan.Target.Steps[0].Sources["publish"]);
    }

    [TestMethod]
    public async Task AnImageContextReplacesTheNameInFromAndInCopyFrom()
    {
        var resolver = new FakeBaseImageResolver();
        var plan = await PlanAsync("FROM runtime\nCOPY --from=runtime /etc/os-release /\n", resolver, namedContexts: Contexts);

        Assert.AreEqual("registry.example/dotnet/runtime:10.0", ((ImageBase)plan.Target.Base).Reference.ToString());
        Assert.AreEqual("registry.example/dotnet/runtime:10.0", ((ImageBase)plan.Target.Steps[0].Sources["runtime"]).Reference.ToString());
        CollectionAssert.AreEqual(new[] { "registry.example/dotnet/runtime:10.0" }, resolver.Requests.Select(r => r.Reference).ToList());
    }

    [TestMethod]
    public async Task FromADirectoryContextIsAPositionedError()
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => PlanAsync("ARG X=1\n\nFROM publish\n", namedContexts: Contexts));

        Assert.AreEqual(ErrorCodes.InvalidBaseImage, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 3, 1), error.Location);
        StringAssert.Contains(error.Message, "COPY --from=publish");
    }
}
