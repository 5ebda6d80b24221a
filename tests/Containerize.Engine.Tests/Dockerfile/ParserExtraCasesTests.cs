using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Syntax;

namespace Containerize.Engine.Tests.Dockerfile;

/// <summary>The parser sections of buildkit-parser-extra: heredocs, lines, warnings, words, JSON, directives.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class ParserExtraCasesTests
{
    [TestMethod]
    public void HeredocsAreExtracted()
    {
        var section = ExtraCases.Section("heredoc_extract");
        var syntax = DockerfileParser.Parse(ExtraCases.Dockerfile(section.GetProperty("dockerfile").GetString()!), "Dockerfile");
        var failures = new List<string>();
        var children = section.GetProperty("children").EnumerateArray().ToList();
        foreach (var child in children)
        {
            var node = syntax.Instructions[child.GetProperty("child_index").GetInt32()];
            string expected = string.Join("|", child.GetProperty("heredocs").EnumerateArray().Select(h =>
                $"{h.GetProperty("name").GetString()}:{h.GetProperty("content").GetString()}:{h.GetProperty("expand").GetBoolean()}:{h.GetProperty("chomp").GetBoolean()}:{h.GetProperty("fd").GetInt32()}"));
            string actual = string.Join("|", node.Heredocs.Select(h => $"{h.Name}:{h.Content}:{h.Expand}:{h.Chomp}:{h.FileDescriptor}"));
            if (expected != actual) failures.Add($"{node.Original}: expected {expected}, got {actual}");
        }
        ExtraCases.AssertNoFailures(failures, children.Count);
    }

    [TestMethod]
    public void JsonFormRunNeverOpensHeredoc()
    {
        var section = ExtraCases.Section("json_heredoc");
        var syntax = DockerfileParser.Parse(ExtraCases.Dockerfile(section.GetProperty("dockerfile").GetString()!), "Dockerfile");
        foreach (var index in section.GetProperty("children_without_heredocs").EnumerateArray())
            Assert.IsEmpty(syntax.Instructions[index.GetInt32()].Heredocs);
    }

    [TestMethod]
    public void ChompStripsLeadingTabs()
    {
        var section = ExtraCases.Section("heredoc_chomp");
        Assert.AreEqual(section.GetProperty("expected").GetString(), HeredocBody.StripLeadingTabs(section.GetProperty("input").GetString()!));
    }

    [TestMethod]
    public void HeredocWordsAreRecognised()
    {
        var section = ExtraCases.Section("heredoc_word");
        var failures = new List<string>();
        int total = 0;
        foreach (string word in ExtraCases.Strings(section.GetProperty("valid")))
        {
            total++;
            if (HeredocOpeners.Parse(word)?.Name != "EOF") failures.Add($"valid {word}");
        }
        foreach (string word in ExtraCases.Strings(section.GetProperty("invalid")))
        {
            total++;
            try { HeredocOpeners.Parse(word); failures.Add($"invalid {word} accepted"); }
            catch (FormatException) { }
        }
        foreach (string word in ExtraCases.Strings(section.GetProperty("not_heredoc")))
        {
            total++;
            if (HeredocOpeners.Parse(word) is not null) failures.Add($"not a heredoc {word}");
        }
        ExtraCases.AssertNoFailures(failures, total);
    }

    [TestMethod]
    public void HeredocNamesFromLine()
    {
        var cases = ExtraCases.Section("heredocs_from_line", "cases").EnumerateArray().ToList();
        var failures = cases
            .Where(c => string.Join(",", HeredocOpeners.FromLine(c.GetProperty("line").GetString()!).Select(h => h.Name))
                != string.Join(",", ExtraCases.Strings(c.GetProperty("names"))))
            .Select(c => c.GetProperty("line").GetString()!).ToList();
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    [TestMethod]
    public void LineNumbersIncludeContinuationsAndComments()
    {
        var section = ExtraCases.Section("line_info");
        var syntax = DockerfileParser.Parse(ExtraCases.Dockerfile(section.GetProperty("dockerfile").GetString()!), "Dockerfile");
        Assert.AreEqual(section.GetProperty("root_start_line").GetInt32(), syntax.StartLine);
        Assert.AreEqual(section.GetProperty("root_end_line").GetInt32(), syntax.EndLine);
        var expected = section.GetProperty("children_lines").EnumerateArray().Select(p => $"{p[0]}-{p[1]}").ToList();
        CollectionAssert.AreEqual(expected, syntax.Instructions.Select(n => $"{n.Range.StartLine}-{n.Range.EndLine}").ToList());
    }

    [TestMethod]
    public void EmptyContinuationLinesWarn()
    {
        var section = ExtraCases.Section("empty_continuation_warnings");
        var syntax = DockerfileParser.Parse(ExtraCases.Dockerfile(section.GetProperty("dockerfile").GetString()!), "Dockerfile");
        Assert.HasCount(section.GetProperty("warning_count").GetInt32(), syntax.Warnings);
        var contains = section.GetProperty("warnings_contain").EnumerateArray().ToList();
        for (int i = 0; i < contains.Count; i++)
        {
            foreach (string text in ExtraCases.Strings(contains[i])) StringAssert.Contains(syntax.Warnings[i].Short, text);
            StringAssert.Contains(syntax.Warnings[i].Detail, section.GetProperty("detail_contains").GetString()!);
        }
    }

    [TestMethod]
    public void LineLongerThanLimitFails()
    {
        var section = ExtraCases.Section("long_line");
        string value = new(section.GetProperty("label_char").GetString()![0], section.GetProperty("label_value_length").GetInt32());
        string text = section.GetProperty("dockerfile_template").GetString()!.Replace("%s", value);

        var error = Assert.ThrowsExactly<ContainerizeException>(() => DockerfileParser.Parse(text, "Dockerfile"));

        StringAssert.Contains(error.Message, section.GetProperty("expected_error").GetString()!);
        Assert.AreEqual(3, error.Location!.Line);
        Assert.AreEqual(ErrorCodes.DockerfileLineTooLong, error.Code);
    }

    [TestMethod]
    public void LineAtTheLimitIsAccepted()
    {
        string text = "FROM a\nLABEL x=" + new string('a', 65535 - "LABEL x=".Length) + "\n";

        Assert.HasCount(2, DockerfileParser.Parse(text, "Dockerfile").Instructions);
    }

    [TestMethod]
    public void WordsKeepQuotesAndEscapes()
    {
        var cases = ExtraCases.Section("parse_words", "cases").EnumerateArray().ToList();
        var failures = cases
            .Where(c => !QuotedWordSplitter.Split(c.GetProperty("input").GetString()!).SequenceEqual(ExtraCases.Strings(c.GetProperty("expected"))))
            .Select(c => c.GetProperty("input").GetString()!).ToList();
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }

    [TestMethod]
    public void JsonArraysOfStringsOnly()
    {
        var section = ExtraCases.Section("json_arrays");
        var failures = new List<string>();
        int total = 0;
        foreach (var valid in section.GetProperty("valid").EnumerateObject())
        {
            total++;
            var outcome = JsonArrayForm.TryParse(valid.Name, out var values);
            if (outcome != JsonArrayForm.Outcome.Strings || !values.SequenceEqual(ExtraCases.Strings(valid.Value))) failures.Add("valid " + valid.Name);
        }
        foreach (string invalid in ExtraCases.Strings(section.GetProperty("invalid_not_string_array")))
        {
            total++;
            if (JsonArrayForm.TryParse(invalid, out _) != JsonArrayForm.Outcome.NotStringArray) failures.Add("invalid " + invalid);
            try { DockerfileParser.Parse("CMD " + invalid, "Dockerfile"); failures.Add("CMD accepted " + invalid); }
            catch (ContainerizeException e) when (e.Code == ErrorCodes.InvalidJsonArray) { }
        }
        ExtraCases.AssertNoFailures(failures, total);
    }

    [TestMethod]
    public void NameValueChains()
    {
        var cases = ExtraCases.Section("name_value", "cases").EnumerateArray().ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            string line = c.GetProperty("instruction").GetString() + " " + c.GetProperty("args").GetString();
            try
            {
                var node = DockerfileParser.Parse(line, "Dockerfile").Instructions[0];
                if (!c.TryGetProperty("expected_nodes", out var nodes) || !node.Arguments.SequenceEqual(ExtraCases.Strings(nodes))) failures.Add(line);
            }
            catch (ContainerizeException e)
            {
                if (!c.TryGetProperty("expected_error", out var expected) || !e.Message.Contains(expected.GetString()!)) failures.Add(line + ": " + e.Message);
            }
        }
        ExtraCases.AssertNoFailures(failures, cases.Count);
    }
}
