using System.Diagnostics;
using System.Text;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>Random and mutated words: each one expands or fails with a 51xx code, quickly.</summary>
[TestCategory("Unit")]
[TestClass]
public class ShellLexerFuzzTests
{
    private static readonly string[] Alphabet =
        ["$", "$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "\\", "'", "\"", "`", "*", "a", "b", "A", "_", "1", " ", "\n", "é", "👽"];

    private static readonly DictionaryVariables Variables = new(
    [
        new("a", "x y"),
        new("b", ""),
        new("A", "*?\\"),
        new("_", "$a}"),
        new("1", "one"),
    ]);

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void RandomWordsExpandOrFailWithACode()
    {
        var random = new Random(20240611);
        var clock = Stopwatch.StartNew();
        int failures = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var word = new StringBuilder();
            int length = random.Next(0, 48);
            for (int j = 0; j < length; j++) word.Append(Alphabet[random.Next(Alphabet.Length)]);
            if (!ExpandsOrFailsWithACode(word.ToString(), i % 2 == 0 ? '\\' : '`')) failures++;
        }
        Assert.IsLessThan(30_000, clock.ElapsedMilliseconds, $"took {clock.ElapsedMilliseconds} ms");
        Assert.IsGreaterThan(0, failures, "the alphabet should also produce errors");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void MutatedCorpusWordsExpandOrFailWithACode()
    {
        var random = new Random(7);
        var inputs = ShellLexCorpus.EnvVarCases().Select(c => c.Input).ToList();
        for (int i = 0; i < 20_000; i++)
        {
            var word = new StringBuilder(inputs[random.Next(inputs.Count)]);
            for (int edits = random.Next(1, 4); edits > 0; edits--)
            {
                int at = random.Next(word.Length + 1);
                if (random.Next(3) == 0 && at < word.Length) word.Remove(at, 1);
                else word.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
            }
            ExpandsOrFailsWithACode(word.ToString(), '\\');
        }
    }

    /// <summary>True when the word expanded; false when it failed properly; any other exception fails the test.</summary>
    private static bool ExpandsOrFailsWithACode(string word, char escape)
    {
        var lexer = new ShellLexer(escape);
        try
        {
            lexer.ProcessWord(word, Variables);
            lexer.ProcessWords(word, Variables);
            return true;
        }
        catch (ContainerizeException error)
        {
            StringAssert.StartsWith(error.Code, "CTZ51", word);
            return false;
        }
        catch (Exception other)
        {
            Assert.Fail($"{other.GetType().Name} for {System.Text.Json.JsonSerializer.Serialize(word)}: {other.Message}");
            return false;
        }
    }
}
