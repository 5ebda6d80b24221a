using System.Diagnostics;
using Containerize.Engine.Builders;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;
using Containerize.Engine.Oci;
using Containerize.Engine.Run;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.IO;

/// <summary>
/// Every entry point (the Dockerfile build, the build from project properties, <c>containerize
/// run</c>) starts by removing what killed builds left: their scratch folders in the temp folder and
/// the temporaries of the store, the step cache and the unpacked layers; a running build's stay.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
[DoNotParallelize] // the temp folder is everyone's: other tests count their folders there
public sealed class EntryPointLitterTests
{
    /// <summary>A name as a process that has exited would have made it.</summary>
    private static string DeadName(string prefix)
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return $"{prefix}{process.Id}-{OwningProcess.Current.StartTime}-{Guid.NewGuid():N}";
    }

    [TestMethod]
    [Timeout(300_000)]
    [DataRow("dockerfile build")]
    [DataRow("build from project properties")]
    [DataRow("containerize run")]
    public async Task TheEntryPointRemovesWhatKilledBuildsLeftAndKeepsWhatRunningOnesUse(string entryPoint)
    {
        using var work = new TempDirectory("ctz-entry-litter");
        string storeRoot = work.Combine("store");
        var litter = new Litter(storeRoot);
        try
        {
            var settings = new BuildSettings { Store = new BlobStore(storeRoot) };
            switch (entryPoint)
            {
                case "dockerfile build":
                    File.WriteAllText(work.Combine("Dockerfile"), "FROM scratch\nCOPY a.txt /\n");
                    File.WriteAllText(work.Combine("a.txt"), "a");
                    await DockerfileImageBuilder.BuildAsync(new DockerfileImageRequest { DockerfilePath = work.Combine("Dockerfile"), ContextDirectory = work.Path },
                        new ImageOutputs { RepositoryName = "litter", Tags = ["latest"], ArchivePath = work.Combine("image.tar") }, settings, CancellationToken.None);
                    break;
                case "build from project properties":
                    Directory.CreateDirectory(work.Combine("publish"));
                    File.WriteAllText(work.Combine("publish", "app.dll"), "app");
                    await GeneratedImageBuilder.BuildAsync(new GeneratedImageRequest { PublishDirectory = work.Combine("publish"), BaseImage = "scratch" },
                        new ImageOutputs { RepositoryName = "litter", Tags = ["latest"], ArchivePath = work.Combine("image.tar") }, settings, CancellationToken.None);
                    break;
                default:
                    // Nothing listens on port 1: the run fails after it starts, and cleans up first.
                    var request = new RunImageRequest { Image = ImageReference.Parse("127.0.0.1:1/none:latest") };
                    await Assert.ThrowsExactlyAsync<ContainerizeException>(() => ImageRunner.RunAsync(request, settings, _ => { }, CancellationToken.None));
                    break;
            }
            litter.AssertDeadGoneAndLiveKept();
        }
        finally
        {
            litter.Dispose();
        }
    }

    /// <summary>What a killed build leaves, and what a running one uses, in each place litter can be.</summary>
    private sealed class Litter : IDisposable
    {
        private readonly List<string> _dead = [];
        private readonly List<string> _live = [];

        public Litter(string storeRoot)
        {
            string temp = Path.GetTempPath();
            foreach (string prefix in new[] { "containerize-build-", "containerize-run-", "ctz-run-", "ctz-http-", "ctz-git-" })
            {
                _dead.Add(Directory.CreateDirectory(Path.Combine(temp, DeadName(prefix))).FullName);
                File.WriteAllText(Path.Combine(_dead[^1], "half"), "x");
            }
            _live.Add(ScratchDirectory.CreatePrivate("containerize-build-"));
            foreach (string folder in new[] { "tmp", "cache/tmp", "unpacked/tmp", "unpacked-userxattr/tmp" })
            {
                string directory = Directory.CreateDirectory(Path.Combine(storeRoot, folder)).FullName;
                File.WriteAllText(Path.Combine(directory, DeadName("partial-")), "half a blob");
                _dead.Add(Path.Combine(directory, Directory.GetFiles(directory).Single()));
                _live.Add(Path.Combine(directory, TemporaryName.Create("partial-")));
                File.WriteAllText(_live[^1], "in use");
            }
            string unpacking = Directory.CreateDirectory(Path.Combine(storeRoot, "unpacked", "tmp", DeadName("layer-"), "usr")).Parent!.FullName;
            _dead.Add(unpacking);
        }

        public void AssertDeadGoneAndLiveKept()
        {
            foreach (string path in _dead) Assert.IsFalse(Path.Exists(path), $"{path} of a killed build is removed");
            foreach (string path in _live) Assert.IsTrue(Path.Exists(path), $"{path} of a running build stays");
        }

        public void Dispose()
        {
            foreach (string path in _dead.Concat(_live).Where(p => p.StartsWith(Path.GetTempPath(), StringComparison.Ordinal))) ScratchDirectory.DeleteTree(path);
        }
    }
}
