using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>One line of BuildKit's <c>envVarTest</c>: platform (A, U, W), input, expected result or null for an error.</summary>
public sealed record EnvVarCase(int Line, string Platform, string Input, string? Expected);

/// <summary>One line of BuildKit's <c>wordsTest</c> with the ENV entries in force at that line.</summary>
public sealed record WordsCase(int Line, string Input, IReadOnlyList<string> Environment, IReadOnlyList<string>? ExpectedWords);

/// <summary>
/// Reads the shell-lex corpus with the line rules upstream's tests apply (see the corpus README),
/// from the verbatim files rather than their JSON renderings.
/// </summary>
public static class ShellLexCorpus
{
    public const string Folder = "shell-lex";

    /// <summary>The environment every envVarTest line runs in.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> EnvVarTestEnvironment =
    [
        new("PWD", "/home"),
        new("SHELL", "bash"),
        new("KOREAN", "한국어"),
        new("NULL", ""),
    ];

    public static IReadOnlyList<EnvVarCase> EnvVarCases()
    {
        var cases = new List<EnvVarCase>();
        string[] lines = File.ReadAllLines(ConformanceData.PathOf(Folder, "envVarTest"));
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] fields = line.Split('|');
            if (fields.Length != 3) throw new InvalidDataException($"envVarTest line {i + 1}: expected 3 fields: {line}");
            string expected = fields[2].Trim();
            cases.Add(new EnvVarCase(i + 1, fields[0].Trim(), fields[1].Trim(), expected == "error" ? null : expected));
        }
        return cases;
    }

    public static IReadOnlyList<WordsCase> WordsCases()
    {
        var cases = new List<WordsCase>();
        var environment = new List<string>();
        string[] lines = File.ReadAllLines(ConformanceData.PathOf(Folder, "wordsTest"));
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith('#')) continue;
            if (line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                environment.Add(line[3..].TrimStart(' '));
                continue;
            }
            string[] fields = line.Split('|');
            if (fields.Length != 2) throw new InvalidDataException($"wordsTest line {i + 1}: expected 2 fields: {line}");
            string expected = fields[1].TrimStart(' ');
            cases.Add(new WordsCase(i + 1, fields[0].Trim(), environment.ToList(), expected == "error" ? null : expected.Split(',')));
        }
        return cases;
    }

    public static JsonDocument LexCases() => ConformanceData.LoadJson(Folder, "lex-cases.json");
}
