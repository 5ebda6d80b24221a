using System.Text;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// Splits expanded text into words the way BuildKit does: unquoted white space (typed or produced
/// by an unquoted expansion) ends a word; quoted text and escaped characters never split. An
/// empty quoted string opens a word but, like upstream, an empty word is never emitted.
/// </summary>
internal sealed class WordAccumulator
{
    private readonly List<string> _words = [];
    private readonly StringBuilder _word = new();
    private bool _inWord;

    public void AddSplittable(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            if (_inWord && _word.Length != 0)
            {
                _words.Add(_word.ToString());
                _word.Clear();
                _inWord = false;
            }
            return;
        }
        AddLiteral(rune);
    }

    public void AddSplittable(string text)
    {
        foreach (Rune rune in text.EnumerateRunes()) AddSplittable(rune);
    }

    public void AddLiteral(Rune rune)
    {
        _word.Append(rune.ToString());
        _inWord = true;
    }

    public void AddLiteral(string text)
    {
        _word.Append(text);
        _inWord = true;
    }

    public List<string> Finish()
    {
        if (_word.Length > 0)
        {
            _words.Add(_word.ToString());
            _word.Clear();
            _inWord = false;
        }
        return _words;
    }
}
