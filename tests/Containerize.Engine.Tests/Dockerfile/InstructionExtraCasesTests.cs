using System.Text.Json;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile;
using Containerize.Engine.Dockerfile.Instructions;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>The <c>instructions</c> section of buildkit-parser-extra: syntax node to typed instruction.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class InstructionExtraCasesTests
{
    private static Instruction Single(string dockerfile) => DockerfileLoader.Load(dockerfile, "Dockerfile").Instructions[0];

    [TestMethod]
    public void ErrorCasesFailAtTheInstruction()
    {
        var cases = ExtraCases.Section("instructions", "error_cases").EnumerateArray().ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            string dockerfile = c.GetProperty("dockerfile").GetString()!;
            string expected = (c.TryGetProperty("expected_error", out var e) ? e : c.GetProperty("expected_error_contains")).GetString()!;
            try
            {
                DockerfileLoader.Load(dockerfile, "Dockerfile");
                failures.Add($"{dockerfile}: accepted");
            }
            catch (ContainerizeException error)
            {
                if (!error.Message.Contains(expected) || error.Location is not { Line: 1, Column: 1 })
                    failures.Add($"{dockerfile}: {error}");
            }
        }
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    [TestMethod]
    public void CopyHeredocSources()
    {
        var cases = ExtraCases.Section("instructions", "copy_heredoc", "cases").EnumerateArray().ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var copy = (CopyInstruction)Single(c.GetProperty("dockerfile").GetString()!);
            string expected = c.GetProperty("dest").GetString() + "|" + string.Join(",", ExtraCases.Strings(c.GetProperty("source_paths"))) + "|"
                + string.Join(",", c.GetProperty("source_contents").EnumerateArray().Select(s => $"{s.GetProperty("path").GetString()}:{s.GetProperty("data").GetString()}:{s.GetProperty("expand").GetBoolean()}"));
            string actual = copy.Files.Destination + "|" + string.Join(",", copy.Files.SourcePaths) + "|"
                + string.Join(",", copy.Files.SourceContents.Select(s => $"{s.Path}:{s.Data}:{s.Expand}"));
            if (expected != actual) failures.Add($"expected {expected}, got {actual}");
        }
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    [TestMethod]
    public void RunHeredocFiles()
    {
        var cases = ExtraCases.Section("instructions", "run_heredoc", "cases").EnumerateArray().ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var run = (RunInstruction)Single(c.GetProperty("dockerfile").GetString()!);
            string expected = $"{c.GetProperty("prepend_shell").GetBoolean()}|{string.Join(",", ExtraCases.Strings(c.GetProperty("cmdline")))}|"
                + string.Join(",", c.GetProperty("files").EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}:{f.GetProperty("data").GetString()}:{f.GetProperty("chomp").GetBoolean()}"));
            string actual = $"{run.Command.IsShellForm}|{string.Join(",", run.Command.Arguments)}|"
                + string.Join(",", run.Files.Select(f => $"{f.Name}:{f.Content}:{f.Chomp}"));
            if (expected != actual) failures.Add($"expected {expected}, got {actual}");
        }
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    [TestMethod]
    public void HealthcheckShellCommand()
    {
        var section = ExtraCases.Section("instructions", "healthcheck_cmd");
        var health = (HealthcheckInstruction)Single(section.GetProperty("dockerfile").GetString()!);
        CollectionAssert.AreEqual(ExtraCases.Strings(section.GetProperty("expected_test")), health.Test.ToList());
    }

    [TestMethod]
    public void HealthcheckIntervalMinimum()
    {
        var cases = ExtraCases.Section("instructions", "healthcheck_interval", "cases").EnumerateArray().ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            string value = c.GetProperty("value").GetString()!;
            try
            {
                Single($"HEALTHCHECK --interval={value} CMD true");
                if (!c.TryGetProperty("ok", out _)) failures.Add($"{value} accepted");
            }
            catch (ContainerizeException e)
            {
                if (!c.TryGetProperty("error_contains", out var text) || !e.Message.Contains(text.GetString()!)) failures.Add($"{value}: {e.Message}");
            }
        }
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    [TestMethod]
    public void RunMountFlagIsParsed()
    {
        var section = ExtraCases.Section("instructions", "run_flags_used");
        var run = (RunInstruction)Single(section.GetProperty("dockerfile").GetString()!);
        Assert.AreEqual("mount", ExtraCases.Strings(section.GetProperty("flags_used")).Single());
        var tmpfs = (TmpfsMount)run.Mounts.Single();
        Assert.AreEqual("/foo/", tmpfs.Target);
    }

    [TestMethod]
    public void DocumentationComments()
    {
        var section = ExtraCases.Section("instructions", "doc_comments");
        var expected = section.GetProperty("expected");
        var loaded = DockerfileLoader.Load(section.GetProperty("dockerfile").GetString()!, "Dockerfile");
        var nodes = loaded.Syntax.Instructions;
        var from = (FromInstruction)loaded.Instructions[1];

        Assert.AreEqual(expected.GetProperty("stage0_doc").GetString(), DocComments.For(nodes[1].Comments, from.StageName!));
        AssertDoc(expected.GetProperty("meta_arg0"), nodes[0], ((ArgInstruction)loaded.Instructions[0]).Args[0]);
        AssertDoc(expected.GetProperty("stage0_cmd0_arg0"), nodes[2], ((ArgInstruction)loaded.Instructions[2]).Args[0]);
        var args = ((ArgInstruction)loaded.Instructions[3]).Args;
        var pairs = expected.GetProperty("stage0_cmd1_args").EnumerateArray().ToList();
        for (int i = 0; i < pairs.Count; i++) AssertDoc(pairs[i], nodes[3], args[i]);
    }

    private static void AssertDoc(JsonElement pair, InstructionNode node, ArgDeclaration arg)
    {
        Assert.AreEqual(pair[0].GetString(), arg.Name);
        Assert.AreEqual(pair[1].GetString(), DocComments.For(node.Comments, arg.Name));
    }
}
