using Containerize.Engine.Diagnostics;
using Containerize.Engine.Execution;
using Containerize.HelperProtocol;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// The spec the engine writes is the spec the helper reads: encoded as the launcher does
/// (<see cref="ContainerSpecEncoding"/>) and decoded by the helper's own code (the protocol files
/// are compiled into both), every field arrives whole and the layers keep their order.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class HelperSpecRoundTripTests
{
    private static ContainerSpec OverlaySpec() => new()
    {
        LowerDirectoriesBottomFirst = ["/store/base", "/store/middle", "/store/top"],
        UpperDirectory = "/scratch/upper",
        OverlayWorkDirectory = "/scratch/work",
        Command = ["/bin/sh", "-c", "echo a=b\nnetwork\nhost"],
        Environment = ["PATH=/usr/bin", "EVIL=x\nreadonly\n1", "EMPTY="],
        WorkingDirectory = "/w ork",
        User = "app:staff",
        Hostname = "buildkitsandbox",
        Network = ContainerNetwork.None,
        ReadOnlyRoot = true,
        Mounts = [ContainerMount.Bind("/host/cache", "/root/.cache", readOnly: false), ContainerMount.Tmpfs("/tmp"), ContainerMount.Bind("/host/secret", "/run/secrets/s")],
    };

    [TestMethod]
    public void AnOverlaySpecArrivesWholeWithItsLayersBottomFirst()
    {
        var spec = OverlaySpec();

        var read = HelperRunSpecFormat.Decode(ContainerSpecEncoding.Encode(spec, "/scratch/root", resolvConf: "/scratch/resolv.conf", userXattr: true));

        CollectionAssert.AreEqual(new[] { "/store/base", "/store/middle", "/store/top" }, read.LowerDirectoriesBottomFirst, "the image's order, bottom first");
        Assert.AreEqual(("/scratch/upper", "/scratch/work", "/scratch/root", ""), (read.UpperDirectory, read.WorkDirectory, read.MountPoint, read.CopiedRoot));
        CollectionAssert.AreEqual(spec.Command.ToArray(), read.Arguments);
        CollectionAssert.AreEqual(spec.Environment.ToArray(), read.Environment);
        Assert.AreEqual(("/w ork", "app:staff", "buildkitsandbox", HelperNetwork.None), (read.WorkingDirectory, read.User, read.Hostname, read.Network));
        Assert.AreEqual(("/scratch/resolv.conf", true, true, true), (read.ResolvConf, read.AwaitNetwork, read.ReadOnlyRoot, read.UserXattr));
        CollectionAssert.AreEqual(new[]
        {
            new HelperMount(HelperMountKind.Bind, "/root/.cache", "/host/cache", ReadOnly: false),
            new HelperMount(HelperMountKind.Tmpfs, "/tmp"),
            new HelperMount(HelperMountKind.Bind, "/run/secrets/s", "/host/secret", ReadOnly: true),
        }, read.Mounts);
    }

    [TestMethod]
    public void ACopiedRootArrivesWithoutLayersAndTheDefaultsStay()
    {
        var spec = new ContainerSpec { RootDirectory = "/scratch/rootfs", Command = ["true"], Network = ContainerNetwork.Host };

        var read = HelperRunSpecFormat.Decode(ContainerSpecEncoding.Encode(spec, "/scratch/root", resolvConf: null, userXattr: false));

        Assert.AreEqual("/scratch/rootfs", read.CopiedRoot);
        Assert.IsEmpty(read.LowerDirectoriesBottomFirst);
        Assert.AreEqual(("", "", HelperNetwork.Host, "/", ""), (read.UpperDirectory, read.WorkDirectory, read.Network, read.WorkingDirectory, read.ResolvConf));
        Assert.IsFalse(read.AwaitNetwork || read.ReadOnlyRoot || read.UserXattr);
        Assert.IsEmpty(read.Mounts);
    }

    [TestMethod]
    public async Task AValueWithANulIsRefusedBeforeTheSpecIsWritten()
    {
        var spec = OverlaySpec() with { Environment = ["EVIL=a\0awaitnetwork\01"] };

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => new ContainerRunner().RunToExitAsync(spec, _ => { }, CancellationToken.None));

        Assert.AreEqual(ErrorCodes.NulInContainerSpec, e.Code);
        StringAssert.Contains(e.Message, "Env entry 'EVIL'");
        var direct = Assert.ThrowsExactly<ArgumentException>(() => ContainerSpecEncoding.Encode(spec, "/scratch/root", null, false));
        StringAssert.Contains(direct.Message, "NUL", "the wire format refuses it too");
    }

    [TestMethod]
    public void TheHelperRefusesAKeyItDoesNotKnow()
    {
        byte[] data = System.Text.Encoding.UTF8.GetBytes("lower\0/l\0arg\0true\0privileged\01\0");

        var e = Assert.ThrowsExactly<InvalidDataException>(() => HelperRunSpecFormat.Decode(data));

        Assert.AreEqual("unknown spec key 'privileged'", e.Message);
    }
}
