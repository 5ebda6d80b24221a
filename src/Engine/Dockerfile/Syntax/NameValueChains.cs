using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Syntax;

/// <summary>
/// ENV and LABEL argument chains: triples of key, value and separator (<c>=</c> for
/// <c>key=value</c> words, empty for the legacy <c>KEY value</c> form). Values keep their quotes.
/// </summary>
internal static class NameValueChains
{
    public static List<string> Split(string rest, string keyword, char escape, Func<string, ContainerizeException> fail)
    {
        var words = QuotedWordSplitter.Split(rest, escape);
        if (words.Count == 0) return [];
        if (!words[0].Contains('='))
        {
            var parts = Whitespace.SplitAsciiRuns(rest, 2);
            if (parts.Length < 2)
                throw fail($"{keyword} must have two arguments; write {keyword} name=value.");
            return [parts[0], parts[1], ""];
        }
        var chain = new List<string>(words.Count * 3);
        foreach (string word in words)
        {
            int equals = word.IndexOf('=');
            if (equals < 0)
                throw fail($"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            chain.Add(word[..equals]);
            chain.Add(word[(equals + 1)..]);
            chain.Add("=");
        }
        return chain;
    }
}
