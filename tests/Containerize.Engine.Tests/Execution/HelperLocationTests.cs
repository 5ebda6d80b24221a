using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;

namespace Containerize.Engine.Tests.Execution;

/// <summary>Which helper RUN steps start: the native build on linux-x64, the dll on dotnet otherwise; both run a container.</summary>
[TestCategory("Namespaces")]
[TestClass]
public class HelperLocationTests
{
    [TestMethod]
    public void OnLinuxX64TheNativeHelperIsTheOneStarted()
    {
        Assert.AreEqual("containerize-helper-linux-x64", HelperLocation.NativeFileName, "these tests run on linux-x64");
        var command = HelperLocation.Find().Command;
        Assert.AreEqual(1, command.Count, string.Join(' ', command));
        Assert.AreEqual("containerize-helper-linux-x64", Path.GetFileName(command[0]));

        var managed = HelperLocation.FindManaged().Command;
        Assert.AreEqual(2, managed.Count);
        Assert.AreEqual("containerize-helper.dll", Path.GetFileName(managed[1]));
    }

    [TestMethod]
    public async Task TheManagedHelperRunsAStepAndReportsSetupErrorsToo()
    {
        using var f = await ContainerFixture.CreateAsync();
        var runner = new ContainerRunner(helper: HelperLocation.FindManaged());
        var lines = new List<string>();
        int code = await runner.RunAsync(ContainerFixture.Shell(f.Spec(), "echo managed; id -u; touch /made"), l => { lock (lines) lines.Add(l); }, CancellationToken.None);
        Assert.AreEqual(0, code, string.Join('\n', lines));
        CollectionAssert.AreEqual(new[] { "managed", "0" }, lines);
        Assert.IsTrue(File.Exists(Path.Combine(f.Upper, "made")));

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => runner.RunAsync(f.Spec("no-such-program"), _ => { }, CancellationToken.None));
        StringAssert.Contains(e.Message, "no-such-program");
    }

    [TestMethod]
    [DoNotParallelize] // takes the native helper's execute bit away for a moment
    public void ANativeHelperUnpackedWithoutItsExecuteBitIsMadeExecutable()
    {
        string native = HelperLocation.Find().Command[0];
        var mode = File.GetUnixFileMode(native);
        try
        {
            // NuGet extracts package files without their modes.
            File.SetUnixFileMode(native, mode & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
            Assert.AreEqual(native, HelperLocation.Find().Command[0]);
            Assert.AreNotEqual(UnixFileMode.None, File.GetUnixFileMode(native) & UnixFileMode.UserExecute);
        }
        finally
        {
            File.SetUnixFileMode(native, mode);
        }
    }
}
