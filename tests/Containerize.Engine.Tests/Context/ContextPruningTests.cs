using Containerize.Engine.Context;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Context;

/// <summary>
/// An excluded tree costs nothing: the walker never lists it from disk, unless an exception could
/// take something below it back. Evidence is the directories actually read, not timing; the tests
/// run as root, so an unreadable directory would prove nothing.
/// </summary>
[TestCategory("Stress")]
[TestClass]
public class ContextPruningTests
{
    private const int PackageCount = 200;
    private const int FilesPerPackage = 100;

    private static readonly Lazy<TempDirectory> Project = new(CreateProject);

    [ClassCleanup]
    public static void RemoveProject()
    {
        if (Project.IsValueCreated) Project.Value.Dispose();
    }

    [TestMethod]
    public void ExcludedNodeModulesIsNeverRead()
    {
        var (entries, directoriesRead) = Walk("node_modules\n");

        CollectionAssert.AreEqual(new[] { "", "src" }, directoriesRead.ToArray());
        CollectionAssert.AreEqual(new[] { ".dockerignore", "Dockerfile", "src", "src/app.js" }, entries.Select(e => e.RelativePath).ToArray());
    }

    [TestMethod]
    public void AnExceptionBelowTheExcludedTreeIsTakenBackReadingOnlyTheDirectoriesLeadingToIt()
    {
        var (entries, directoriesRead) = Walk("node_modules\n!node_modules/keep.txt\n");

        CollectionAssert.AreEqual(new[] { "", "node_modules", "src" }, directoriesRead.ToArray());
        CollectionAssert.AreEqual(new[] { ".dockerignore", "Dockerfile", "node_modules", "node_modules/keep.txt", "src", "src/app.js" },
            entries.Select(e => e.RelativePath).ToArray());
    }

    [TestMethod]
    public void AWildcardExceptionMakesTheWalkReadOnlyTheDirectoriesItCouldMatchIn()
    {
        var (entries, directoriesRead) = Walk("node_modules\n!node_modules/pkg-7/*.json\n");

        // Only the package the exception can reach is read, not its 199 siblings.
        CollectionAssert.AreEqual(new[] { "", "node_modules", "node_modules/pkg-7", "src" }, directoriesRead.ToArray());
        CollectionAssert.AreEqual(new[] { ".dockerignore", "Dockerfile", "node_modules", "node_modules/pkg-7", "node_modules/pkg-7/package.json", "src", "src/app.js" },
            entries.Select(e => e.RelativePath).ToArray());
    }

    [TestMethod]
    public void DirectorySkippingFollowsTheOrderOfExceptions()
    {
        var exceptionFirst = IgnorePatterns.Create(["!node_modules/keep.txt", "node_modules"]);
        var exceptionLast = IgnorePatterns.Create(["node_modules", "!node_modules/keep.txt"]);
        var unrelatedException = IgnorePatterns.Create(["node_modules", "!src/keep.txt"]);

        Assert.IsTrue(exceptionFirst.CanSkipDirectory("node_modules"));
        Assert.IsFalse(exceptionLast.CanSkipDirectory("node_modules"));
        Assert.IsTrue(unrelatedException.CanSkipDirectory("node_modules"));
        Assert.IsFalse(unrelatedException.CanSkipDirectory("src"));
        Assert.IsFalse(IgnorePatterns.Create(["**/node_modules", "!**/*.md"]).CanSkipDirectory("a/node_modules"));
    }

    private static (IReadOnlyList<ContextEntry> Entries, List<string> DirectoriesRead) Walk(string dockerignore)
    {
        string root = Project.Value.Path;
        var read = new List<string>();
        var entries = ContextWalker.Walk(root, DockerignoreFile.Parse(dockerignore, ".dockerignore"), includes: null, read.Add, CancellationToken.None);
        return (entries, read);
    }

    private static TempDirectory CreateProject()
    {
        var dir = new TempDirectory("ctz-prune");
        File.WriteAllText(dir.Combine(".dockerignore"), "");
        File.WriteAllText(dir.Combine("Dockerfile"), "FROM scratch\nCOPY . .\n");
        Directory.CreateDirectory(dir.Combine("src"));
        File.WriteAllText(dir.Combine("src", "app.js"), "console.log(1)\n");
        Directory.CreateDirectory(dir.Combine("node_modules"));
        File.WriteAllText(dir.Combine("node_modules", "keep.txt"), "kept\n");
        for (int p = 0; p < PackageCount; p++)
        {
            string package = dir.Combine("node_modules", $"pkg-{p}");
            Directory.CreateDirectory(package);
            File.WriteAllText(Path.Combine(package, "package.json"), "{}");
            for (int f = 1; f < FilesPerPackage; f++) File.WriteAllText(Path.Combine(package, $"f{f}.js"), "x");
        }
        return dir;
    }
}
