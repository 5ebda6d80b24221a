using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>
/// Word expansion as BuildKit's Dockerfile shell lexer does it: <c>$VAR</c>, <c>${VAR}</c>, the
/// <c>-</c>, <c>+</c>, <c>?</c> modifiers with and without <c>:</c>, the pattern forms <c>#</c>,
/// <c>##</c>, <c>%</c>, <c>%%</c>, <c>/</c>, <c>//</c>, single and double quotes and the escape
/// token. Nothing else — no command substitution, arithmetic, globbing or <c>${#VAR}</c>.
/// Every failure is a <see cref="ContainerizeException"/> with a 51xx code. Stateless: one
/// instance can serve any number of threads.
/// </summary>
public sealed class ShellLexer
{
    /// <summary>Words longer than this are shortened in error messages (heredoc bodies can be whole files).</summary>
    internal const int MaxQuotedLength = 200;

    /// <param name="escapeToken">The Dockerfile's escape token: a backslash or a backtick.</param>
    /// <param name="quotesAreLiteral">See <see cref="QuotesAreLiteral"/>.</param>
    public ShellLexer(char escapeToken = '\\', bool quotesAreLiteral = false)
    {
        if (escapeToken is not ('\\' or '`'))
            throw new ArgumentOutOfRangeException(nameof(escapeToken), escapeToken, "The escape token is a backslash or a backtick.");
        EscapeToken = escapeToken;
        QuotesAreLiteral = quotesAreLiteral;
    }

    /// <summary>
    /// The lexer BuildKit expands <c>COPY</c>/<c>ADD</c> heredoc bodies with (unquoted delimiter
    /// only): quotes are literal text, <c>$</c> substitutions work everywhere, including between
    /// quotes, and the escape token is always a backslash, whatever the Dockerfile's
    /// <c># escape=</c> directive says. A backslash keeps the next character literally and is
    /// dropped (<c>\$</c> → <c>$</c>, <c>\\</c> → <c>\</c>, backslash-newline → newline); one at
    /// the very end is dropped.
    /// </summary>
    public static ShellLexer ForHeredocBodies { get; } = new('\\', quotesAreLiteral: true);

    public char EscapeToken { get; }

    /// <summary>
    /// True for BuildKit's <c>SkipProcessQuotes</c> mode: <c>'</c> and <c>"</c> are ordinary
    /// characters, kept in the result and never grouping anything.
    /// </summary>
    public bool QuotesAreLiteral { get; }

    /// <summary>Expands one word: quotes removed, escapes applied, variables substituted (<see cref="ExpansionResult.Result"/>).</summary>
    public ExpansionResult ProcessWord(string word, IVariableLookup variables) => Process(word, variables, null);

    /// <inheritdoc cref="ProcessWord(string, IVariableLookup)"/>
    /// <param name="location">Where the word is in the Dockerfile; errors carry it.</param>
    public ExpansionResult ProcessWord(string word, IVariableLookup variables, SourceLocation? location) =>
        Process(word, variables, location);

    /// <summary>
    /// Expands text and splits it into words on unquoted white space, including white space that an
    /// unquoted expansion produces (<see cref="ExpansionResult.Words"/>).
    /// </summary>
    public ExpansionResult ProcessWords(string text, IVariableLookup variables) => Process(text, variables, null);

    /// <inheritdoc cref="ProcessWords(string, IVariableLookup)"/>
    /// <param name="location">Where the text is in the Dockerfile; errors carry it.</param>
    public ExpansionResult ProcessWords(string text, IVariableLookup variables, SourceLocation? location) =>
        Process(text, variables, location);

    private ExpansionResult Process(string word, IVariableLookup variables, SourceLocation? location)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(variables);
        var expander = new WordExpander(word, variables, EscapeToken, QuotesAreLiteral);
        try
        {
            var (result, words) = expander.Expand();
            return new ExpansionResult(result, words, expander.Matched, expander.Unmatched);
        }
        catch (ExpansionFailure failure)
        {
            string message = $"failed to process \"{Shorten(word)}\": {failure.Message}. {HintFor(failure.Code)}";
            throw location is null
                ? new ContainerizeException(failure.Code, message)
                : new ContainerizeException(failure.Code, message, location);
        }
    }

    private static string Shorten(string word)
    {
        if (word.Length <= MaxQuotedLength) return word;
        int length = char.IsHighSurrogate(word[MaxQuotedLength - 1]) ? MaxQuotedLength - 1 : MaxQuotedLength;
        return string.Concat(word.AsSpan(0, length), "…");
    }

    private string HintFor(string code) => code switch
    {
        ErrorCodes.BadSubstitution =>
            "Supported forms are $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word}, ${VAR+word}, ${VAR:?message}, ${VAR?message}, "
            + "${VAR#pattern}, ${VAR##pattern}, ${VAR%pattern}, ${VAR%%pattern}, ${VAR/pattern/replacement} and ${VAR//pattern/replacement}; "
            + $"write {EscapeToken}$ for a literal dollar.",
        ErrorCodes.UnterminatedSubstitution => $"Close the ${{…}} substitution, or write {EscapeToken}$ for a literal dollar.",
        ErrorCodes.UnterminatedQuote => $"Close the quote, or escape it with {EscapeToken} to keep it literally.",
        ErrorCodes.RequiredVariableNotSet => "Set the variable (ENV, ARG or a build argument) before this instruction.",
        ErrorCodes.InvalidSubstitutionPattern => "In patterns, * matches any string, ? one character, and \\ makes the next punctuation character literal.",
        ErrorCodes.ExpansionTooLarge =>
            "A variable that repeats itself (ARG a=$a$a) doubles on every line; keep large data in files (COPY) instead of variables.",
        _ => "Simplify the substitution.",
    };
}
