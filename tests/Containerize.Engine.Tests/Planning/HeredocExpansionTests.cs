using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Tests.Dockerfile;
using static Containerize.Engine.Tests.Planning.Planner;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Planning;

/// <summary>
/// COPY and ADD heredoc bodies are expanded by the planner as BuildKit does it (variables
/// substituted, quotes kept, backslash escapes) unless the delimiter was quoted; RUN heredocs go to
/// the shell untouched. Scenarios follow BuildKit's heredoc integration tests.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class HeredocExpansionTests
{
    private static Dictionary<string, string> CopiedFiles(Engine.Planning.BuildPlan plan) =>
        plan.Target.Steps.Select(s => s.Instruction).OfType<CopyInstruction>()
            .ToDictionary(c => c.Files.Destination, c => c.Files.SourceContents.Single().Data);

    [TestMethod]
    public async Task TheBodyIsExpandedOnlyWhenTheDelimiterIsUnquoted()
    {
        var plan = await PlanAsync("""
            FROM scratch
            ARG name=world
            COPY <<EOF /dest/c1
            Hello ${name}!
            EOF
            COPY <<'EOF' /dest/c2
            Hello ${name}!
            EOF
            COPY <<"EOF" /dest/c3
            Hello ${name}!
            EOF
            COPY <<EOF /dest/q1
            Hello '${name}'!
            EOF
            COPY <<EOF /dest/q2
            Hello "${name}"!
            EOF
            COPY <<'EOF' /dest/qsingle1
            Hello '${name}'!
            EOF
            COPY <<"EOF" /dest/qdouble2
            Hello "${name}"!
            EOF

            """);

        var files = CopiedFiles(plan);
        Assert.AreEqual("Hello world!\n", files["/dest/c1"]);
        Assert.AreEqual("Hello ${name}!\n", files["/dest/c2"]);
        Assert.AreEqual("Hello ${name}!\n", files["/dest/c3"]);
        Assert.AreEqual("Hello 'world'!\n", files["/dest/q1"]);
        Assert.AreEqual("Hello \"world\"!\n", files["/dest/q2"]);
        Assert.AreEqual("Hello '${name}'!\n", files["/dest/qsingle1"]);
        Assert.AreEqual("Hello \"${name}\"!\n", files["/dest/qdouble2"]);
    }

    [TestMethod]
    public async Task BackslashesFollowBuildKitsSpecialSymbolsTest()
    {
        var plan = await PlanAsync("""
            FROM scratch
            COPY <<EOF slashfile1
            \
            EOF
            COPY <<EOF slashfile2
            \\
            EOF
            COPY <<EOF slashfile3
            \$
            EOF
            COPY <<"EOF" rawslashfile1
            \
            EOF
            COPY <<"EOF" rawslashfile2
            \\
            EOF
            COPY <<"EOF" rawslashfile3
            \$
            EOF

            """);

        var files = CopiedFiles(plan);
        Assert.AreEqual("\n", files["slashfile1"]);
        Assert.AreEqual("\\\n", files["slashfile2"]);
        Assert.AreEqual("$\n", files["slashfile3"]);
        Assert.AreEqual("\\\n", files["rawslashfile1"]);
        Assert.AreEqual("\\\\\n", files["rawslashfile2"]);
        Assert.AreEqual("\\$\n", files["rawslashfile3"]);
    }

    [TestMethod]
    public async Task EnvArgsAndBuildArgsAreSubstitutedInAddToo()
    {
        var plan = await PlanAsync("""
            FROM scratch
            ARG VERSION
            ENV HOME_DIR=/home/app
            ADD <<EOF /etc/app.conf
            home=$HOME_DIR
            version=${VERSION:-dev}
            missing=[$MISSING]
            EOF

            """, buildArgs: BuildArgs(("VERSION", "1.2.3")));

        var add = plan.Steps<AddInstruction>().Single();
        Assert.AreEqual("home=/home/app\nversion=1.2.3\nmissing=[]\n", add.Files.SourceContents.Single().Data);
    }

    [TestMethod]
    public async Task OneInstructionMixesExpandedAndLiteralHeredocs()
    {
        var plan = await PlanAsync("FROM scratch\nENV X=1\nCOPY <<A <<'B' /d/\na=$X\nA\nb=$X\nB\n");

        var contents = plan.Steps<CopyInstruction>().Single().Files.SourceContents;
        Assert.AreEqual("a=1\n", contents[0].Data);
        Assert.AreEqual("b=$X\n", contents[1].Data);
        Assert.IsTrue(contents[0].Expand);
        Assert.IsFalse(contents[1].Expand);
    }

    [TestMethod]
    public async Task RunHeredocsAreLeftToTheShell()
    {
        var plan = await PlanAsync("FROM scratch\nENV name=world\nRUN <<EOF\necho \"Hello ${name}!\" \\$HOME\nEOF\n");

        Assert.AreEqual("echo \"Hello ${name}!\" \\$HOME\n", plan.Steps<RunInstruction>().Single().Files.Single().Content);
    }

    [TestMethod]
    public async Task TheBacktickEscapeDirectiveDoesNotApplyToHeredocBodies()
    {
        var plan = await PlanAsync("# escape=`\nFROM scratch\nENV name=world\nCOPY <<EOF /f\n`$name \\$name C:\\dir\nEOF\n");

        Assert.AreEqual("`world $name C:dir\n", plan.Steps<CopyInstruction>().Single().Files.SourceContents.Single().Data);
    }

    [TestMethod]
    [DataRow("${NOPE:?must be set}", ErrorCodes.RequiredVariableNotSet, "NOPE: must be set")]
    [DataRow("${NOPE:-x", ErrorCodes.UnterminatedSubstitution, "missing '}'")]
    [DataRow("${}", ErrorCodes.BadSubstitution, "bad substitution")]
    public async Task ExpansionErrorsArePositionedAtTheInstruction(string line, string code, string fragment)
    {
        var error = await Assert.ThrowsExactlyAsync<ContainerizeException>(
            () => PlanAsync($"FROM scratch\nENV A=1\n\n  COPY <<EOF /f\nfirst line\n{line}\nEOF\n"));

        Assert.AreEqual(code, error.Code);
        Assert.AreEqual(new SourceLocation(DockerfileName, 4, 3), error.Location);
        StringAssert.Contains(error.Message, fragment);
    }

    [TestMethod]
    public async Task AQuotedDelimiterNeverFails()
    {
        var plan = await PlanAsync("FROM scratch\nCOPY <<'EOF' /f\n${NOPE:?must be set} ${ \\\nEOF\n");

        Assert.AreEqual("${NOPE:?must be set} ${ \\\n", plan.Steps<CopyInstruction>().Single().Files.SourceContents.Single().Data);
    }

    /// <summary>BuildKit's TestCopyHeredoc cases (buildkit-parser-extra): planning keeps every body as parsed, quotes included.</summary>
    [TestMethod]
    public async Task CopyHeredocConformanceCasesSurvivePlanning()
    {
        var cases = ExtraCases.Section("instructions", "copy_heredoc", "cases").EnumerateArray().ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var plan = await PlanAsync("FROM scratch\n" + c.GetProperty("dockerfile").GetString() + "\n");
            string expected = string.Join(",", c.GetProperty("source_contents").EnumerateArray()
                .Select(s => $"{s.GetProperty("path").GetString()}:{s.GetProperty("data").GetString()}:{s.GetProperty("expand").GetBoolean()}"));
            string actual = string.Join(",", plan.Steps<CopyInstruction>().Single().Files.SourceContents.Select(s => $"{s.Path}:{s.Data}:{s.Expand}"));
            if (expected != actual) failures.Add($"expected {expected}, got {actual}");
        }
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    /// <summary>
    /// buildkit-parser-extra/heredoc-extract: with <c>ENV NAME=me</c> in force, the COPY bodies
    /// (quotes and all) are unchanged and the RUN bodies, <c>$NAME</c> included, are untouched. Its
    /// <c>USER &lt;&lt;INVALID</c> is a parser case only (USER takes no heredoc, so the next line is an
    /// unknown instruction) and is dropped here.
    /// </summary>
    [TestMethod]
    public async Task TheHeredocExtractDockerfileKeepsItsBodies()
    {
        string text = ExtraCases.Dockerfile("heredoc-extract/Dockerfile");
        Assert.Contains("USER <<INVALID\nINVALID\n", text);
        var plan = await PlanAsync(text.Replace("USER <<INVALID\nINVALID\n", ""));

        var copies = plan.Steps<CopyInstruction>();
        var quotes = copies.Single(c => c.Files.Destination == "/quotes");
        Assert.AreEqual("\"foo\"\n'bar'\n", quotes.Files.SourceContents.Single().Data);
        Assert.IsGreaterThanOrEqualTo(4, copies.Count);
        var expandRun = plan.Steps<RunInstruction>().SelectMany(r => r.Files).Single(f => f.Name == "EXPAND");
        Assert.Contains("$NAME", expandRun.Content);
    }
}
