using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>
/// <see cref="ShellLexer.ForHeredocBodies"/>: BuildKit expands an unquoted COPY/ADD heredoc body
/// with its lexer in "skip process quotes" mode and a backslash escape. Expected values follow
/// BuildKit's heredoc integration tests (variable substitution, special symbols) and its lexer.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public class HeredocBodyExpansionTests
{
    private static readonly DictionaryVariables Variables = new(
    [
        new("name", "world"),
        new("EMPTY", ""),
        new("DOTTED", "a.b.c"),
        new("QUOTE", "it's"),
    ]);

    private static string Expand(string body) => ShellLexer.ForHeredocBodies.ProcessWord(body, Variables).Result;

    [TestMethod]
    public void TheHeredocLexerKeepsQuotesAndAlwaysUsesABackslash()
    {
        Assert.IsTrue(ShellLexer.ForHeredocBodies.QuotesAreLiteral);
        Assert.AreEqual('\\', ShellLexer.ForHeredocBodies.EscapeToken);
        Assert.IsFalse(new ShellLexer().QuotesAreLiteral);
    }

    [TestMethod]
    [DataRow("Hello ${name}!\n", "Hello world!\n")]
    [DataRow("Hello $name!\n", "Hello world!\n")]
    [DataRow("Hello '${name}'!\n", "Hello 'world'!\n")]
    [DataRow("Hello \"${name}\"!\n", "Hello \"world\"!\n")]
    [DataRow("\"quotes in file\"\n", "\"quotes in file\"\n")]
    [DataRow("don't stop at $name\n", "don't stop at world\n")]
    [DataRow("'unterminated \"both $name\n", "'unterminated \"both world\n")]
    [DataRow("echo '$name' \"$name\"\necho $name\n", "echo 'world' \"world\"\necho world\n")]
    [DataRow("$QUOTE $name\n", "it's world\n")]
    public void VariablesExpandAndQuotesStayLiteral(string body, string expected) => Assert.AreEqual(expected, Expand(body));

    [TestMethod]
    [DataRow("\\\n", "\n")]
    [DataRow("\\\\\n", "\\\n")]
    [DataRow("\\$\n", "$\n")]
    [DataRow("\\$name\n", "$name\n")]
    [DataRow("\\${name}\n", "${name}\n")]
    [DataRow("\\\\$name\n", "\\world\n")]
    [DataRow("C:\\dir\\file\n", "C:dirfile\n")]
    [DataRow("a\\'b\\\"c\n", "a'b\"c\n")]
    [DataRow("'\\$name'\n", "'$name'\n")]
    [DataRow("end\\", "end")]
    [DataRow("line one \\\nline two\n", "line one \nline two\n")]
    public void ABackslashKeepsTheNextCharacterAndIsDropped(string body, string expected) => Assert.AreEqual(expected, Expand(body));

    [TestMethod]
    [DataRow("`$name", "`world")]
    [DataRow("a``b", "a``b")]
    public void TheBacktickIsNotAnEscapeInHeredocBodies(string body, string expected) => Assert.AreEqual(expected, Expand(body));

    [TestMethod]
    [DataRow("${missing:-\"fallback\"}", "\"fallback\"")]
    [DataRow("${missing-'x y'}", "'x y'")]
    [DataRow("${EMPTY:-def}", "def")]
    [DataRow("${EMPTY-def}", "")]
    [DataRow("${name:+'set'}", "'set'")]
    [DataRow("${missing:+set}", "")]
    [DataRow("${name:-$DOTTED}", "world")]
    [DataRow("${missing:-${name}s}", "worlds")]
    [DataRow("${DOTTED%.*}", "a.b")]
    [DataRow("${DOTTED##*.}", "c")]
    [DataRow("${DOTTED//./-}", "a-b-c")]
    [DataRow("${name/o/0}", "w0rld")]
    [DataRow("${name:?needed}", "world")]
    public void ModifierFormsWork(string body, string expected) => Assert.AreEqual(expected, Expand(body));

    [TestMethod]
    public void AnUnsetVariableBecomesEmptyAndIsReportedUnmatched()
    {
        var result = ShellLexer.ForHeredocBodies.ProcessWord("a=$missing;b=${also_missing};c=$name\n", Variables);

        Assert.AreEqual("a=;b=;c=world\n", result.Result);
        CollectionAssert.AreEquivalent(new[] { "missing", "also_missing" }, result.Unmatched.ToList());
        CollectionAssert.AreEquivalent(new[] { "name" }, result.Matched.ToList());
    }

    [TestMethod]
    [DataRow("cost: $5 and $ alone\n", "cost:  and $ alone\n")]
    [DataRow("$\n", "$\n")]
    [DataRow("100%\n", "100%\n")]
    public void DollarSignsFollowTheShellGrammar(string body, string expected) => Assert.AreEqual(expected, Expand(body));

    [TestMethod]
    [DataRow("${missing:?is required}\n", ErrorCodes.RequiredVariableNotSet, "missing: is required")]
    [DataRow("${EMPTY:?}\n", ErrorCodes.RequiredVariableNotSet, "EMPTY: is not allowed to be empty")]
    [DataRow("${name:-x\n", ErrorCodes.UnterminatedSubstitution, "missing '}'")]
    [DataRow("${name", ErrorCodes.UnterminatedSubstitution, "missing '}'")]
    [DataRow("${}\n", ErrorCodes.BadSubstitution, "bad substitution")]
    [DataRow("${name:=x}\n", ErrorCodes.BadSubstitution, "unsupported modifier")]
    public void SubstitutionErrorsCarryTheLocation(string body, string code, string fragment)
    {
        var location = new SourceLocation("Dockerfile", 7, 1);
        var error = Assert.ThrowsExactly<ContainerizeException>(() => ShellLexer.ForHeredocBodies.ProcessWord(body, Variables, location));

        Assert.AreEqual(code, error.Code);
        Assert.AreEqual(location, error.Location);
        StringAssert.Contains(error.Message, fragment);
    }

    [TestMethod]
    public void ALongBodyIsShortenedInTheErrorMessage()
    {
        string body = new string('x', 5000) + "${missing:?unset}\n";

        var error = Assert.ThrowsExactly<ContainerizeException>(() => ShellLexer.ForHeredocBodies.ProcessWord(body, Variables));

        Assert.IsLessThan(1000, error.Message.Length, error.Message);
        StringAssert.Contains(error.Message, "missing: unset");
        StringAssert.Contains(error.Message, "…");
    }

    [TestMethod]
    public void ALongWordIsNotCutInsideASurrogatePair()
    {
        string body = new string('x', ShellLexer.MaxQuotedLength - 1) + "👽${missing:?unset}";

        var error = Assert.ThrowsExactly<ContainerizeException>(() => ShellLexer.ForHeredocBodies.ProcessWord(body, Variables));

        StringAssert.Contains(error.Message, new string('x', ShellLexer.MaxQuotedLength - 1) + "…");
    }

    [TestMethod]
    public void TheWordLexerStillRemovesQuotes()
    {
        // The same text through the ordinary lexer: quotes are syntax there, so the two modes differ.
        Assert.AreEqual("Hello world!", new ShellLexer().ProcessWord("Hello \"${name}\"!", Variables).Result);
        Assert.ThrowsExactly<ContainerizeException>(() => new ShellLexer().ProcessWord("don't $name", Variables));
    }
}
