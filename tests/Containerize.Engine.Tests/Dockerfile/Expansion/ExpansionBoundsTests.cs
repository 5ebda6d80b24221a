using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;
using Containerize.Engine.Tests.Planning;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>
/// Hostile expansions end in a positioned error instead of a memory blow-up: a word may expand to
/// at most 1 Mi characters more than it is written, whether by repetition, replacement or a heredoc body.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class ExpansionBoundsTests
{
    private static readonly SourceLocation At = new("Dockerfile", 7, 3);

    private static DictionaryVariables Variables(params (string Name, string Value)[] entries) =>
        new(entries.Select(e => KeyValuePair.Create(e.Name, e.Value)));

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AnArgThatDoublesFortyTimesIsAnErrorAtTheLineThatPassesTheBound()
    {
        var dockerfile = new StringBuilder("FROM busybox\nARG a=x\n");
        for (int i = 0; i < 40; i++) dockerfile.Append("ARG a=$a$a\n");
        dockerfile.Append("RUN echo $a\n");

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => Planner.PlanAsync(dockerfile.ToString()));
        Assert.AreEqual(ErrorCodes.ExpansionTooLarge, e.Code, e.Message);
        Assert.AreEqual(3 + 20, e.Location!.Line, "2^20 characters still fit, the 21st doubling does not");
        Assert.AreEqual(1, e.Location.Column);
        StringAssert.Contains(e.Message, "$a");
        StringAssert.Contains(e.Message, "1 MiB");
    }

    [TestMethod]
    public void RepetitionPastTheBoundIsAPositionedError()
    {
        var variables = Variables(("big", new string('x', 600_000)));
        Assert.AreEqual(600_000, ShellLexer.ForHeredocBodies.ProcessWord("$big", variables).Result.Length);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => new ShellLexer().ProcessWord("\"$big$big\"", variables, At));
        Assert.AreEqual(ErrorCodes.ExpansionTooLarge, e.Code);
        Assert.AreEqual(At, e.Location);
        StringAssert.Contains(e.Message, "$big");
        Assert.IsLessThan(2000, e.Message.Length, "the word is quoted shortened");
    }

    [TestMethod]
    public void AReplaceAllThatMultipliesIsStoppedWhileItRuns()
    {
        var variables = Variables(("a", new string('x', 100_000)), ("b", new string('y', 100_000)));
        var e = Assert.ThrowsExactly<ContainerizeException>(() => new ShellLexer().ProcessWord("${a//?/$b}", variables, At));
        Assert.AreEqual(ErrorCodes.ExpansionTooLarge, e.Code);
        StringAssert.Contains(e.Message, "${a//…}");
    }

    [TestMethod]
    public void AHeredocBodyIsBoundedByWhatItAddsNotByItsOwnLength()
    {
        string literal = new('z', 3 << 20);
        Assert.AreEqual(literal.Length, ShellLexer.ForHeredocBodies.ProcessWord(literal, Variables()).Result.Length, "a large literal body is fine");

        var variables = Variables(("a", new string('x', 400_000)));
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ShellLexer.ForHeredocBodies.ProcessWord("$a\n$a\n$a\n", variables, At));
        Assert.AreEqual(ErrorCodes.ExpansionTooLarge, e.Code);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "in a stage")]
    [DataRow(true, DisplayName = "before the first FROM")]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task ManyLargeVariablesTogetherAreBoundedPerScope(bool global)
    {
        // a grows to 2^19 characters in 19 lines; then each line adds 2^20 more under a new name.
        var lines = new List<string> { "ARG a=x" };
        for (int i = 0; i < 19; i++) lines.Add("ARG a=$a$a");
        for (int i = 1; i <= 9; i++) lines.Add(global ? $"ARG v{i}=$a$a" : $"ENV v{i}=$a$a");
        string dockerfile = global
            ? string.Join('\n', lines) + "\nFROM busybox\n"
            : "FROM busybox\n" + string.Join('\n', lines) + "\n";

        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => Planner.PlanAsync(dockerfile));
        Assert.AreEqual(ErrorCodes.VariablesTooLarge, e.Code, e.Message);
        Assert.AreEqual((global ? 0 : 1) + 20 + 8, e.Location!.Line, "the eighth megabyte passes 8 MiB");
        StringAssert.Contains(e.Message, "8 MiB");
    }
}
