using System.Diagnostics;
using Containerize.Engine.Context;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.IO;

namespace Containerize.Engine.Tests.Context;

/// <summary>Bugs the .dockerignore robustness test found, each pinned by a focused case.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class IgnorePatternRegressionTests
{
    /// <summary>
    /// A lone surrogate in a class: the syntax check read it as the first half of a pair and
    /// skipped the character after it, while the compiler reads it as one (replacement) character,
    /// so the compiler ran past the end of the pattern (IndexOutOfRangeException). Both now see
    /// one character.
    /// </summary>
    [TestMethod]
    [DataRow("[{0}-]", 0xD800)]
    [DataRow("x[{0}-]y", 0xDBFF)]
    [DataRow("[{0}-]]", 0xDC00)]
    public void ALoneSurrogateBeforeADashInAClassIsASyntaxError(string format, int surrogate)
    {
        // Built here: a lone surrogate does not survive test data serialization.
        string pattern = string.Format(format, (char)surrogate);

        var error = Assert.ThrowsExactly<ContainerizeException>(() => DockerignoreFile.Parse("ok\n" + pattern + "\n", ".dockerignore"));

        Assert.AreEqual(ErrorCodes.InvalidIgnorePattern, error.Code);
        Assert.AreEqual(2, error.Location!.Line);
    }

    [TestMethod]
    public void ALoneSurrogateInAClassMatchesLikeOneCharacter()
    {
        var patterns = DockerignoreFile.Parse("[\uD800]]\n[\uDC00-\uDFFF]z\n", ".dockerignore");

        Assert.IsTrue(patterns.Matches("\uFFFD]"));
        Assert.IsTrue(patterns.Matches("\uD800]"));
        Assert.IsFalse(patterns.Matches("]"));
        Assert.IsTrue(patterns.Matches("\uFFFDz"), "a reversed range of replacement characters still holds U+FFFD");
    }

    [TestMethod]
    public void ASurrogatePairInAClassIsOneCharacter()
    {
        var patterns = DockerignoreFile.Parse("[😀-😎]-[\\😀]\n", ".dockerignore");

        Assert.IsTrue(patterns.Matches("😃-😀"));
        Assert.IsFalse(patterns.Matches("😏-😀"));
    }

    /// <summary>
    /// A path (or each of its parent directories) was matched against every leading run of its
    /// parent separately: quadratic in the path's depth for each pattern, so a deep tree with a
    /// few wildcard patterns took seconds per path. The leading runs are now read in one pass.
    /// </summary>
    [TestMethod]
    public void DeepPathsAreMatchedInLinearTime()
    {
        string deep = string.Concat(Enumerable.Repeat("dir/", 4000)) + "file.txt";
        var patterns = IgnorePatterns.Create(
            Enumerable.Range(0, 20).Select(i => $"**/x{i}*/*.log").Concat(["nomatch?", "a[bc]d/**", "!**/keep", "zz**", "**/q", "dir/dir/z"]));

        var clock = Stopwatch.StartNew();
        Assert.IsFalse(patterns.Matches(deep));
        Assert.IsFalse(patterns.CanSkipDirectory(deep));
        Assert.IsTrue(patterns.Matches(deep.Replace("dir/dir/dir/", "dir/x7z/a.log/")));

        Assert.IsLessThan(TimeSpan.FromSeconds(3), clock.Elapsed, $"took {clock.Elapsed}");
    }

    /// <summary>The one-pass parent match gives what matching each leading run of the parent separately gives.</summary>
    [TestMethod]
    public void TheOnePassParentMatchAgreesWithMatchingEachParent()
    {
        string[] patterns =
        [
            "**/x1*/*.log", "a[bc]d/**", "zz**", "**/q", "**", "dir/dir/z", "/a/b", "a", "*", "?/?", "**/", "a/**/b", "x*y*z",
            "[^/]*/d", "dir/*/", "\\*x", "**/**/c", "é/*", "/", "..", "../a",
        ];
        string[] paths =
        [
            "dir/x1y/a.log/deeper/file", "dir/x1y/a.txt/deeper/file", "abd/x", "abd", "zzz/a", "a/q/b", "a/qq/b", "dir/dir/z/y",
            "dir/dir/zz/y", "/a/b/c", "/x", "a", "a/b/c/d", "x1y", "a/x/b/y", "xaybzc/q", "q/d/e", "dir/sub/", "*x/y", "c/c/c",
            "é/f/g", "../a/b", "a//b/c", "./a/b", "dir/./dir/z/1",
        ];
        var failures = new List<string>();
        foreach (string pattern in patterns)
        {
            var rule = IgnorePatterns.Create([pattern]).Rules.Single();
            foreach (string path in paths)
            {
                bool expected = rule.Glob.Matches(path) || EachLeadingRun(SlashPath.Dir(path)).Any(rule.Glob.Matches);
                if (rule.MatchesOrParentMatches(path) != expected) failures.Add($"{pattern} on {path}: expected {expected}");
            }
        }
        Assert.IsEmpty(failures, string.Join("\n", failures));
    }

    private static IEnumerable<string> EachLeadingRun(string parent)
    {
        if (parent == ".") yield break;
        for (int slash = parent.IndexOf('/'); slash >= 0; slash = parent.IndexOf('/', slash + 1)) yield return parent[..slash];
        yield return parent;
    }
}
