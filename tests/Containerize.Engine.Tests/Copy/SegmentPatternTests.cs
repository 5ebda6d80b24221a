using Containerize.Engine.Copy;

namespace Containerize.Engine.Tests.Copy;

/// <summary>COPY wildcards follow Go's filepath.Match within one path segment.</summary>
[TestCategory("Unit")]
[TestClass]
public class SegmentPatternTests
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
        Assert.AreEqual(expected, SegmentPattern.Matches(pattern, name));

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
        Assert.ThrowsExactly<FormatException>(() => SegmentPattern.Matches(pattern, "a"));
}
