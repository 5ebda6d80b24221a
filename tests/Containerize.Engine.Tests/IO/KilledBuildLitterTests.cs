using System.Diagnostics;
using Containerize.Engine.Archives;
using Containerize.Engine.Builders;
using Containerize.Engine.Caching;
using Containerize.Engine.IO;
using Containerize.Engine.IO.Native;
using Containerize.Engine.Steps;
using Containerize.Engine.Store;
using Containerize.Engine.Tests.Store;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.IO;

/// <summary>
/// What a killed build leaves (partial blobs and records in the store, scratch folders in the temp
/// folder, a partial archive) carries its process in its name and goes when the next build opens
/// the store or starts; what a running build uses stays. Litter is made here as a dead process
/// would leave it: named with the id of a process that has exited, or with a live id and another
/// start time (a recycled id).
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public sealed class KilledBuildLitterTests
{
    private static uint s_otherUid;

    [ClassInitialize]
    public static async Task CreateUser(TestContext _) => s_otherUid = await OtherUser.EnsureAsync();

    /// <summary>The id of a process that ran and exited.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>A name as <see cref="TemporaryName.Create"/> makes it, for a process that is gone.</summary>
    private static string DeadName(string prefix) => $"{prefix}{DeadProcessId()}-{OwningProcess.Current.StartTime}-{Guid.NewGuid():N}";

    /// <summary>A name with this process's id but another start time: what an earlier owner of the id left.</summary>
    private static string RecycledName(string prefix) => $"{prefix}{Environment.ProcessId}-{OwningProcess.Current.StartTime + 1}-{Guid.NewGuid():N}";

    [TestMethod]
    public void ATemporaryNameCarriesThisProcessAndItsStartTime()
    {
        string name = TemporaryName.Create("partial-");
        StringAssert.StartsWith(name, $"partial-{Environment.ProcessId}-");
        Assert.AreEqual(OwningProcess.Current, TemporaryName.OwnerOf(name));
        Assert.IsTrue(OwningProcess.Current.IsAlive);
        Assert.AreNotEqual(0UL, OwningProcess.Current.StartTime);
        string stat = File.ReadAllText("/proc/self/stat");
        Assert.AreEqual(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], OwningProcess.Current.StartTime.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void AnOwnerIsGoneWhenItsProcessExitedOrItsIdNowBelongsToAnotherProcess()
    {
        Assert.IsFalse(TemporaryName.OwnerOf(DeadName("x-"))!.Value.IsAlive);
        Assert.IsFalse(TemporaryName.OwnerOf(RecycledName("x-"))!.Value.IsAlive);
    }

    [TestMethod]
    [DataRow("0123456789abcdef0123456789abcdef.partial")]
    [DataRow("aaaa.1234.0123456789abcdef0123456789abcdef")]
    [DataRow("ctz-run-0123456789abcdef0123456789abcdef")]
    [DataRow("builds.lock")]
    [DataRow("partial-12x-34-0123456789abcdef0123456789abcdef")]
    [DataRow("partial12-34-0123456789abcdef0123456789abcdef")]
    public void NamesNotMadeAsTemporaryNamesHaveNoOwnerAndAreNeverRemoved(string name)
    {
        Assert.IsNull(TemporaryName.OwnerOf(name));
    }

    [TestMethod]
    public void AScratchFolderNameOutsideTheKnownPrefixesIsRefused()
    {
        // The cleanup of killed builds looks only at these names in the shared temp folder.
        Assert.ThrowsExactly<ArgumentException>(() => ScratchDirectory.CreatePrivate("build-"));
    }

    [TestMethod]
    public void PartialBlobsOfKilledBuildsGoWhenTheStoreIsOpened()
    {
        using var dir = new TempDirectory("ctz-litter-store");
        var store = new BlobStore(dir.Path);
        string tmp = dir.Combine("tmp");
        string dead = Path.Combine(tmp, DeadName("partial-"));
        string recycled = Path.Combine(tmp, RecycledName("headers-"));
        string live = Path.Combine(tmp, TemporaryName.Create("partial-"));
        string unnamed = Path.Combine(tmp, "left-by-hand");
        foreach (string file in new[] { dead, recycled, live, unnamed }) File.WriteAllText(file, "half a blob");

        using (var writing = store.CreateWriter())
        {
            writing.Write("in progress"u8);
            _ = new BlobStore(dir.Path);
            Assert.HasCount(1, Directory.GetFiles(tmp).Where(f => f.Contains("/partial-" + Environment.ProcessId + "-", StringComparison.Ordinal) && f != live),
                "the blob this build is writing stays");
        }

        Assert.IsFalse(File.Exists(dead));
        Assert.IsFalse(File.Exists(recycled));
        Assert.IsTrue(File.Exists(live));
        Assert.IsTrue(File.Exists(unnamed), "only names that carry an owner are removed");
    }

    [TestMethod]
    public void TemporaryRecordsOfKilledBuildsGoWhenTheStepCacheIsOpened()
    {
        using var dir = new TempDirectory("ctz-litter-cache");
        var cache = new StepCache(new BlobStore(dir.Path));
        string dead = Path.Combine(cache.TempDirectory, DeadName("record-"));
        string live = Path.Combine(cache.TempDirectory, TemporaryName.Create("record-"));
        File.WriteAllText(dead, "{");
        File.WriteAllText(live, "{");

        _ = new StepCache(cache.Blobs);

        Assert.IsFalse(File.Exists(dead));
        Assert.IsTrue(File.Exists(live));
    }

    [TestMethod]
    [DoNotParallelize] // the temp folder is everyone's: other tests count their folders there
    public void ScratchFoldersOfKilledBuildsOfThisUserGoWhenABuildStarts()
    {
        string temp = Path.GetTempPath();
        string dead = Path.Combine(temp, DeadName("containerize-build-"));
        Directory.CreateDirectory(Path.Combine(dead, "stage", "ro"));
        File.WriteAllText(Path.Combine(dead, "stage", "ro", "file"), "x");
        File.SetUnixFileMode(Path.Combine(dead, "stage", "ro"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        string recycled = Path.Combine(temp, RecycledName("ctz-userns-"));
        Directory.CreateDirectory(recycled);
        string othersDead = Path.Combine(temp, DeadName("containerize-run-"));
        Directory.CreateDirectory(othersDead);
        LibC.Lchown(othersDead, s_otherUid, s_otherUid);
        string foreign = Path.Combine(temp, DeadName("someone-else-"));
        Directory.CreateDirectory(foreign);
        using var live = new ScratchDirectory("containerize-run");
        try
        {
            using var context = new TempDirectory("ctz-litter-context");
            File.WriteAllText(context.Combine("Dockerfile"), "FROM scratch\nCOPY a.txt /\n");
            File.WriteAllText(context.Combine("a.txt"), "a");
            var request = new DockerfileImageRequest { DockerfilePath = context.Combine("Dockerfile"), ContextDirectory = context.Path };
            var outputs = new ImageOutputs { RepositoryName = "litter", Tags = ["latest"], ArchivePath = context.Combine("image.tar") };
            DockerfileImageBuilder.BuildAsync(request, outputs, new BuildSettings { Store = new BlobStore(context.Combine("store")) }, CancellationToken.None)
                .GetAwaiter().GetResult();

            Assert.IsFalse(Directory.Exists(dead), "a dead build's scratch folder goes, read-only folders in it too");
            Assert.IsFalse(Directory.Exists(recycled));
            Assert.IsTrue(Directory.Exists(live.Path), "a running build's scratch folder stays");
            Assert.IsTrue(Directory.Exists(othersDead), "another user's folders are not this build's to remove");
            Assert.IsTrue(Directory.Exists(foreign), "only names scratch folders have are looked at");
        }
        finally
        {
            foreach (string left in new[] { dead, recycled, othersDead, foreign }) ScratchDirectory.DeleteTree(left);
        }
    }

    [TestMethod]
    public async Task APartialArchiveOfAKilledBuildGoesWhenTheArchiveIsWrittenAgain()
    {
        using var dir = new TempDirectory("ctz-litter-archive");
        string dead = dir.Combine(DeadName(".image.tar."));
        string live = dir.Combine(TemporaryName.Create(".image.tar."));
        string otherArchive = dir.Combine(DeadName(".other.tar."));
        foreach (string file in new[] { dead, live, otherArchive }) File.WriteAllText(file, "half an archive");

        await DeterministicArchive.WriteAsync(dir.Combine("image.tar"), [ArchiveFile.FromBytes("index.json", "{}"u8.ToArray())], CancellationToken.None);

        Assert.IsFalse(File.Exists(dead));
        Assert.IsTrue(File.Exists(live));
        Assert.IsTrue(File.Exists(otherArchive), "only what belongs beside this archive is looked at");
        Assert.IsTrue(File.Exists(dir.Combine("image.tar")));
    }
}
