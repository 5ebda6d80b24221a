using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Context;

[TestCategory("Unit")]
[TestClass]
public class DockerignoreFileTests
{
    [TestMethod]
    public void AMissingFileMeansNoPatterns()
    {
        using var dir = new TempDirectory("ctz-ignore");
        Assert.IsEmpty(DockerignoreFile.Read(dir.Combine(".dockerignore")).Rules);
        Assert.IsNull(DockerignoreFile.Locate(dir.Path, "Dockerfile"));
    }

    [TestMethod]
    public void TheIgnoreFileBesideANamedDockerfileWinsOverTheContextOne()
    {
        using var dir = new TempDirectory("ctz-ignore");
        Directory.CreateDirectory(dir.Combine("build"));
        File.WriteAllText(dir.Combine(".dockerignore"), "a\n");
        Assert.AreEqual(dir.Combine(".dockerignore"), DockerignoreFile.Locate(dir.Path, "build/App.Dockerfile"));

        File.WriteAllText(dir.Combine("build", "App.Dockerfile.dockerignore"), "b\n");
        Assert.AreEqual(dir.Combine("build", "App.Dockerfile.dockerignore"), DockerignoreFile.Locate(dir.Path, "build/App.Dockerfile"));
        Assert.AreEqual(dir.Combine("build", "App.Dockerfile.dockerignore"), DockerignoreFile.Locate(dir.Path, dir.Combine("build", "App.Dockerfile")));
        Assert.AreEqual(dir.Combine(".dockerignore"), DockerignoreFile.Locate(dir.Path, "build/Other.Dockerfile"));
    }

    [TestMethod]
    [DataRow("ok\n  a[\n", 2, 4, ErrorCodes.InvalidIgnorePattern)]
    [DataRow("# comment\n\nsrc/[z-\n", 3, 7, ErrorCodes.InvalidIgnorePattern)]
    [DataRow("!x\\", 1, 3, ErrorCodes.InvalidIgnorePattern)]
    [DataRow("a\n \t!\n", 2, 3, ErrorCodes.IllegalIgnoreException)]
    [DataRow("./a/[\n", 1, 1, ErrorCodes.InvalidIgnorePattern)]
    public void BadPatternsArePositionedErrors(string text, int line, int column, string code)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => DockerignoreFile.Parse(text, "/ctx/.dockerignore"));
        Assert.AreEqual(code, e.Code);
        Assert.AreEqual(new SourceLocation("/ctx/.dockerignore", line, column), e.Location);
    }

    [TestMethod]
    public void APatternDockerOnlyRejectsWhenMatchingFailsEveryMatchAtItsLine()
    {
        var patterns = DockerignoreFile.Parse("bin\n  [z-a]\n", "/ctx/.dockerignore");
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var e = Assert.ThrowsExactly<ContainerizeException>(() => patterns.Matches("x"));
            Assert.AreEqual(new SourceLocation("/ctx/.dockerignore", 2, 3), e.Location);
        }
    }

    [TestMethod]
    public void CommentsBomCarriageReturnsAndCleaningFollowDocker()
    {
        var patterns = DockerignoreFile.Parse("\uFEFF# c\r\n  # not a comment  \r\n/a/../b/\r\n!./c/d\r\n", "f");
        CollectionAssert.AreEqual(new[] { "# not a comment", "b", "!c/d" }, patterns.Rules.Select(r => r.ToString()).ToArray());
        Assert.AreEqual(new SourceLocation("f", 3, 1), patterns.Rules[1].Location);
    }

    [TestMethod]
    public void ClassesNegateWithCaretOnlyAsInDocker()
    {
        Assert.IsFalse(IgnorePatterns.Create(["a[^b]"]).Matches("ab"));
        Assert.IsTrue(IgnorePatterns.Create(["a[!b]"]).Matches("a!"));
        Assert.IsFalse(IgnorePatterns.Create(["a[!b]"]).Matches("ac"));
    }

    [TestMethod]
    public void PathologicalPatternsMatchInLinearTime()
    {
        string pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "b";
        string path = new('a', 5000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.IsFalse(IgnorePatterns.Create([pattern, "**/**/**/**/**/**/**/**/c"]).Matches(path + "/" + path));
        Assert.IsLessThan(5000, watch.ElapsedMilliseconds);
    }
}
