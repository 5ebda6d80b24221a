using Containerize.Engine.Context;

namespace Containerize.Engine.Tests.Context;

/// <summary>Go's filepath.Match, as COPY wildcards (one path segment) and .dockerignore syntax checks use it.</summary>
[TestCategory("Unit")]
[TestClass]
public class FilepathPatternTests
{
    [TestMethod]
    [DataRow("abc", "abc", true)]
    [DataRow("*", "abc", true)]
    [DataRow("*c", "abc", true)]
    [DataRow("a*", "a", true)]
    [DataRow("a*b*c*d*e*f", "axbxcxdxexxx", false)]
    [DataRow("*x", "xxx", true)]
    [DataRow("a?c", "abc", true)]
    [DataRow("a?c", "ac", false)]
    [DataRow("[a-c]x", "bx", true)]
    [DataRow("[^a-c]x", "bx", false)]
    [DataRow("[^a-c]x", "dx", true)]
    [DataRow("[\\-]", "-", true)]
    [DataRow("\\*", "*", true)]
    [DataRow("\\*", "x", false)]
    [DataRow(".*", ".hidden", true)]
    public void MatchesLikeGo(string pattern, string name, bool expected) =>
        Assert.AreEqual(expected, FilepathPattern.Matches(pattern, name));

    [TestMethod]
    [DataRow("[")]
    [DataRow("[^")]
    [DataRow("[^bc")]
    [DataRow("a[")]
    [DataRow("[]a]")]
    [DataRow("[-]")]
    [DataRow("[x-]")]
    [DataRow("[a-b-c]")]
    [DataRow("a\\")]
    public void BadPatternsAreRejectedEvenWithoutAMatchAttempt(string pattern) =>
        Assert.ThrowsExactly<FormatException>(() => FilepathPattern.Matches(pattern, "a"));

    [TestMethod]
    [DataRow("?", "\U0001F600", true)]
    [DataRow("??", "\U0001F600", false)]
    [DataRow("[\U0001F600]", "\U0001F600", true)]
    [DataRow("a*", "a/b", false)]
    [DataRow("a?b", "a/b", false)]
    public void CharactersAreCodePointsAndWildcardsStopAtSlashes(string pattern, string name, bool expected) =>
        Assert.AreEqual(expected, FilepathPattern.Matches(pattern, name));

    [TestMethod]
    [DataRow("a[", 1)]
    [DataRow("src/[z-", 6)]
    [DataRow("x\\", 1)]
    [DataRow("[]a]", 1)]
    [DataRow("ok", -1)]
    [DataRow("[z-a]", -1)]
    public void AnErrorNamesTheCharacterThatMakesThePatternMalformed(string pattern, int index) =>
        Assert.AreEqual(index, FilepathPattern.FindError(pattern)?.Index ?? -1);
}
