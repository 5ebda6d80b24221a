using System.Text;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// One expansion of one word: a recursive-descent reading of BuildKit's shell-word grammar. It
/// holds the reading position and the names looked up, so it lives for a single call.
/// </summary>
internal sealed class WordExpander
{
    /// <summary>
    /// Nesting of <c>${…}</c> allowed; far beyond real Dockerfiles, and low enough that hostile
    /// input ends in an error instead of exhausting the thread's stack.
    /// </summary>
    public const int MaxNesting = 256;

    /// <summary>
    /// How much longer than the word itself its expansion may grow (1 Mi characters): <c>ARG a=$a$a</c>
    /// repeated doubles the value on every line, and 40 lines would ask for a terabyte.
    /// </summary>
    public const int MaxGrowth = 1 << 20;

    private readonly RuneReader _reader;
    private readonly IVariableLookup _variables;
    private readonly int _escapeToken;
    private readonly bool _quotesAreLiteral;
    private readonly int _maxLength;
    private bool _rawEscapes;
    private int _nesting;
    private string _lastVariable = "";

    /// <param name="quotesAreLiteral">
    /// True for BuildKit's "skip process quotes" mode: <c>'</c> and <c>"</c> are ordinary characters
    /// (kept, and <c>$</c> expands between them); the escape token and <c>$</c> work as usual.
    /// </param>
    public WordExpander(string word, IVariableLookup variables, char escapeToken, bool quotesAreLiteral = false)
    {
        _reader = new RuneReader(word);
        _variables = variables;
        _escapeToken = escapeToken;
        _quotesAreLiteral = quotesAreLiteral;
        _maxLength = word.Length + MaxGrowth;
    }

    public HashSet<string> Matched { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Unmatched { get; } = new(StringComparer.Ordinal);

    public (string Result, List<string> Words) Expand() => ProcessUntil(RuneReader.End, rawEscapes: false);

    /// <summary>
    /// Reads up to <paramref name="stop"/> (consumed) or the end of the word. With raw escapes the
    /// escape token is kept in the output: patterns and replacements interpret it themselves.
    /// </summary>
    private (string Result, List<string> Words) ProcessUntil(int stop, bool rawEscapes)
    {
        bool outerRawEscapes = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            var result = new StringBuilder();
            var words = new WordAccumulator();
            while (!_reader.AtEnd)
            {
                int ch = _reader.Peek();
                if (stop != RuneReader.End && ch == stop)
                {
                    _reader.Next();
                    return (result.ToString(), words.Finish());
                }
                switch (ch)
                {
                    case '$':
                        string expanded = ProcessDollar();
                        result.Append(expanded);
                        CheckLength(result.Length);
                        words.AddSplittable(expanded);
                        continue;
                    case '\'' when !_quotesAreLiteral:
                        string singleQuoted = ProcessSingleQuote();
                        result.Append(singleQuoted);
                        words.AddLiteral(singleQuoted);
                        continue;
                    case '"' when !_quotesAreLiteral:
                        string doubleQuoted = ProcessDoubleQuote();
                        result.Append(doubleQuoted);
                        words.AddLiteral(doubleQuoted);
                        continue;
                }

                ch = _reader.Next();
                if (ch == _escapeToken)
                {
                    if (_rawEscapes)
                    {
                        words.AddLiteral(new Rune(ch));
                        RuneReader.Append(result, ch);
                    }
                    ch = _reader.Next();
                    // An escape token ending the word is dropped.
                    if (ch == RuneReader.End) break;
                    words.AddLiteral(new Rune(ch));
                }
                else
                {
                    words.AddSplittable(new Rune(ch));
                }
                RuneReader.Append(result, ch);
            }
            if (stop != RuneReader.End)
                throw new ExpansionFailure(ErrorCodes.UnterminatedSubstitution, $"unexpected end of statement while looking for matching {(char)stop}");
            return (result.ToString(), words.Finish());
        }
        finally
        {
            _rawEscapes = outerRawEscapes;
        }
    }

    /// <summary>Everything up to the next single quote is literal; a single quote cannot be escaped inside.</summary>
    private string ProcessSingleQuote()
    {
        _reader.Next();
        var result = new StringBuilder();
        while (true)
        {
            int ch = _reader.Next();
            if (ch == RuneReader.End)
                throw new ExpansionFailure(ErrorCodes.UnterminatedQuote, "unexpected end of statement while looking for matching single-quote");
            if (ch == '\'') return result.ToString();
            RuneReader.Append(result, ch);
        }
    }

    /// <summary>
    /// Literal up to the next unescaped double quote, except that <c>$</c> expands; the escape token
    /// escapes only <c>"</c>, <c>$</c> and itself and is kept before anything else.
    /// </summary>
    private string ProcessDoubleQuote()
    {
        _reader.Next();
        var result = new StringBuilder();
        while (true)
        {
            int ch = _reader.Peek();
            if (ch == RuneReader.End)
                throw new ExpansionFailure(ErrorCodes.UnterminatedQuote, "unexpected end of statement while looking for matching double-quote");
            if (ch == '"')
            {
                _reader.Next();
                return result.ToString();
            }
            if (ch == '$')
            {
                result.Append(ProcessDollar());
                CheckLength(result.Length);
                continue;
            }
            ch = _reader.Next();
            if (ch == _escapeToken)
            {
                if (_rawEscapes) RuneReader.Append(result, ch);
                int escaped = _reader.Peek();
                // An escape token right before the end is dropped; the missing quote is reported next.
                if (escaped == RuneReader.End) continue;
                if (escaped == '"' || escaped == '$' || escaped == _escapeToken) ch = _reader.Next();
            }
            RuneReader.Append(result, ch);
        }
    }

    private string ProcessDollar()
    {
        _reader.Next();
        if (_reader.Peek() != '{')
        {
            string name = ReadName();
            if (name.Length == 0) return "$";
            Lookup(name, out string value);
            return value;
        }

        _reader.Next();
        switch (_reader.Peek())
        {
            case RuneReader.End:
                throw MissingBrace();
            case '{' or '}' or ':':
                throw new ExpansionFailure(ErrorCodes.BadSubstitution, "syntax error: bad substitution");
        }
        if (++_nesting > MaxNesting)
            throw new ExpansionFailure(ErrorCodes.SubstitutionTooDeep, $"more than {MaxNesting} nested ${{…}} substitutions");
        try
        {
            return ProcessBraced();
        }
        finally
        {
            _nesting--;
        }
    }

    /// <summary>After <c>${</c>: a name, then <c>}</c> or a modifier and its word.</summary>
    private string ProcessBraced()
    {
        string name = ReadName();
        int modifier = _reader.Next();
        string modifierText = Describe(modifier);
        bool emptyIsUnset = false;
        switch (modifier)
        {
            case '}':
                Lookup(name, out string plain);
                return plain;
            case RuneReader.End:
                throw MissingBrace();
            case '/':
                return ProcessReplacement(name);
            case ':':
                emptyIsUnset = true;
                modifier = _reader.Next();
                modifierText += Describe(modifier);
                if (modifier is '#' or '%') throw UnsupportedModifier(modifierText);
                break;
            case '+' or '-' or '?' or '#' or '%':
                break;
            default:
                throw UnsupportedModifier(modifierText);
        }

        bool patternOperation = modifier is '#' or '%';
        string word = ProcessUntilClosingBrace(rawEscapes: patternOperation);
        bool set = Lookup(name, out string value);
        bool absent = !set || (emptyIsUnset && value.Length == 0);
        switch (modifier)
        {
            case '-':
                return absent ? word : value;
            case '+':
                return absent ? "" : word;
            case '?':
                if (!set)
                    throw new ExpansionFailure(ErrorCodes.RequiredVariableNotSet, $"{name}: {(word.Length != 0 ? word : "is not allowed to be unset")}");
                if (absent)
                    throw new ExpansionFailure(ErrorCodes.RequiredVariableNotSet, $"{name}: {(word.Length != 0 ? word : "is not allowed to be empty")}");
                return value;
            case '#' or '%':
                // A doubled operator (## or %%) asks for the longest match.
                bool longest = word.Length > 0 && word[0] == modifier;
                ShellPattern pattern = ShellPattern.Parse(longest ? word[1..] : word);
                return modifier == '#' ? pattern.RemovePrefix(value, longest) : pattern.RemoveSuffix(value, longest);
            default:
                throw UnsupportedModifier(modifierText);
        }
    }

    private string ProcessReplacement(string name)
    {
        bool all = _reader.Peek() == '/';
        if (all) _reader.Next();
        string pattern;
        try
        {
            pattern = ProcessUntil('/', rawEscapes: true).Result;
        }
        catch (ExpansionFailure) when (_reader.AtEnd)
        {
            throw new ExpansionFailure(ErrorCodes.UnterminatedSubstitution, "syntax error: missing '/' in ${}");
        }
        string replacement = ProcessUntilClosingBrace(rawEscapes: true);
        Lookup(name, out string value);
        ShellPattern parsed = ShellPattern.Parse(pattern);
        string? replaced = all ? parsed.ReplaceAll(value, replacement, _maxLength) : parsed.ReplaceFirst(value, replacement);
        if (replaced is null || replaced.Length > _maxLength) throw TooLarge($"${{{name}//…}}");
        return replaced;
    }

    private void CheckLength(int length)
    {
        if (length > _maxLength) throw TooLarge("$" + _lastVariable);
    }

    private static ExpansionFailure TooLarge(string what) =>
        new(ErrorCodes.ExpansionTooLarge, $"expanding {what} makes the word more than {MaxGrowth} characters (1 MiB) longer than it is written");

    private string ProcessUntilClosingBrace(bool rawEscapes)
    {
        try
        {
            return ProcessUntil('}', rawEscapes).Result;
        }
        catch (ExpansionFailure) when (_reader.AtEnd)
        {
            // Upstream reports any failure that ran to the end of the word as the missing brace.
            throw MissingBrace();
        }
    }

    /// <summary>
    /// A run of letters, digits and underscores; or a run of digits (positional parameter); or one
    /// special parameter character. Positional and special parameters are simply never set.
    /// </summary>
    private string ReadName()
    {
        var name = new StringBuilder();
        while (!_reader.AtEnd)
        {
            int ch = _reader.Peek();
            if (name.Length == 0 && IsDigit(ch))
            {
                while (!_reader.AtEnd && IsDigit(_reader.Peek())) RuneReader.Append(name, _reader.Next());
                return name.ToString();
            }
            if (name.Length == 0 && IsSpecialParameter(ch))
            {
                RuneReader.Append(name, _reader.Next());
                return name.ToString();
            }
            if (!IsLetter(ch) && !IsDigit(ch) && ch != '_') break;
            RuneReader.Append(name, _reader.Next());
        }
        return name.ToString();
    }

    private bool Lookup(string name, out string value)
    {
        _lastVariable = name;
        if (_variables.TryGet(name, out string? found))
        {
            Matched.Add(name);
            value = found ?? "";
            return true;
        }
        Unmatched.Add(name);
        value = "";
        return false;
    }

    private static bool IsDigit(int ch) => Rune.IsDigit(new Rune(ch));

    private static bool IsLetter(int ch) => Rune.IsLetter(new Rune(ch));

    private static bool IsSpecialParameter(int ch) => ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0';

    private static string Describe(int rune) => rune == RuneReader.End ? "" : new Rune(rune).ToString();

    private static ExpansionFailure MissingBrace() => new(ErrorCodes.UnterminatedSubstitution, "syntax error: missing '}'");

    private static ExpansionFailure UnsupportedModifier(string modifier) =>
        new(ErrorCodes.BadSubstitution, $"unsupported modifier ({modifier}) in substitution");
}
