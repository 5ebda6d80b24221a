using Containerize.Engine.Layers;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Layers we build and layers GNU tar builds come back out with what a user would check: content, modes, owners, links, xattrs.</summary>
[TestCategory("Unit")]
[TestClass]
public class LayerRoundTripTests
{
    private static string Stat(string path) => ExternalTool.RunChecked("stat", "-c", "%A %u:%g %h %F", path).Trim();

    [TestMethod]
    public void ABuiltLayerExtractsToTheSameTree()
    {
        using var f = new LayerFixture();
        string tool = f.WriteFile("bin/tool", "#!/bin/sh");
        ExternalTool.RunChecked("chown", "1000:2000", tool);
        ExternalTool.RunChecked("chmod", "4755", tool); // after chown, which clears setuid
        ExternalTool.RunChecked("ln", tool, f.PathIn("bin/tool-alias"));
        File.CreateSymbolicLink(f.PathIn("bin/sh"), "/bin/busybox");
        ExternalTool.RunChecked("python3", "-c", "import os,sys; os.setxattr(sys.argv[1], 'user.origin', b'test')", tool);
        string longName = string.Join('/', Enumerable.Repeat(new string('l', 150), 3));
        f.WriteFile(longName, "deep");
        f.WriteFile("données/é.txt", "utf8");
        Directory.CreateDirectory(f.PathIn("locked"));
        ExternalTool.RunChecked("chmod", "0555", f.PathIn("locked"));

        var layer = f.Build(new LayerOptions { DestinationRoot = "/app", Uid = null, Gid = null, Timestamp = DateTimeOffset.FromUnixTimeSeconds(1600000000) });
        string target = Path.Combine(f.Root, "out");
        using (var blob = f.Store.OpenRead(layer.Descriptor.Digest))
        {
            LayerExtractor.ExtractAsync(blob, target, new ExtractOptions { PreserveOwnership = true }, CancellationToken.None).GetAwaiter().GetResult();
        }

        string app = Path.Combine(target, "app");
        Assert.AreEqual("-rwsr-xr-x 1000:2000 2 regular file", Stat(Path.Combine(app, "bin", "tool")));
        Assert.AreEqual("/bin/busybox", new FileInfo(Path.Combine(app, "bin", "sh")).LinkTarget);
        Assert.AreEqual("deep", File.ReadAllText(Path.Combine(app, longName)));
        Assert.AreEqual("utf8", File.ReadAllText(Path.Combine(app, "données", "é.txt")));
        Assert.AreEqual("dr-xr-xr-x 0:0 2 directory", Stat(Path.Combine(app, "locked")));
        Assert.AreEqual("2020-09-13 12:26:40", ExternalTool.RunChecked("date", "-u", "-r", Path.Combine(app, "locked"), "+%F %T").Trim());
        Assert.AreEqual("test", ExternalTool.RunChecked("python3", "-c", "import os,sys; print(os.getxattr(sys.argv[1], 'user.origin').decode())", Path.Combine(app, "bin", "tool")).Trim());
    }

    [TestMethod]
    [DataRow("gnu")]
    [DataRow("posix")]
    public void ALayerWrittenByGnuTarExtracts(string format)
    {
        using var temp = new TempDirectory();
        string source = temp.Combine("src");
        string longName = string.Join('/', Enumerable.Repeat(new string('g', 120), 3));
        Directory.CreateDirectory(Path.Combine(source, Path.GetDirectoryName(longName)!));
        File.WriteAllText(Path.Combine(source, longName), "gnu");
        File.CreateSymbolicLink(Path.Combine(source, "link-" + new string('k', 110)), longName);
        ExternalTool.RunChecked("tar", $"--format={format}", "-czf", temp.Combine("layer.tgz"), "-C", source, ".");

        string target = temp.Combine("out");
        ExtractHelper.Extract(temp.Combine("layer.tgz"), target);

        Assert.AreEqual("gnu", File.ReadAllText(Path.Combine(target, longName)));
        Assert.AreEqual(longName, new FileInfo(Path.Combine(target, "link-" + new string('k', 110))).LinkTarget);
    }
}
