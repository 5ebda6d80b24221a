using System.Diagnostics;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Dockerfile.Expansion;

namespace Containerize.Engine.Tests.Dockerfile.Expansion;

/// <summary>What the corpora leave out: the backtick escape, error codes and locations, patterns, limits.</summary>
[TestCategory("Unit")]
[TestClass]
public class ShellLexerBehaviorTests
{
    private static readonly DictionaryVariables Variables = new(
    [
        new("PWD", "/home"),
        new("EMPTY", ""),
        new("DOTTED", "a.b.c"),
        new("SPACED", "x  y"),
        new("EMOJI", "👽x"),
        new("LINES", "a\nx"),
        new("𝐀", "bold"),
    ]);

    private static string Expand(string word, char escape = '\\') => new ShellLexer(escape).ProcessWord(word, Variables).Result;

    [TestMethod]
    [DataRow("he`$PWD", "he$PWD")]
    [DataRow("\"a`\"b\"", "a\"b")]
    [DataRow(@"C:\Program Files\$PWD", @"C:\Program Files\/home")]
    [DataRow("a``b", "a`b")]
    [DataRow("\"C:\\dir`$PWD\"", "C:\\dir$PWD")]
    public void TheBacktickEscapeLeavesBackslashesAlone(string word, string expected) => Assert.AreEqual(expected, Expand(word, '`'));

    [TestMethod]
    [DataRow("${DOTTED%.*}", "a.b")]
    [DataRow("${DOTTED%%.*}", "a")]
    [DataRow("${DOTTED#*.}", "b.c")]
    [DataRow("${DOTTED##*.}", "c")]
    [DataRow("${DOTTED/.*./-}", "a-c")]
    [DataRow("${DOTTED//./-}", "a-b-c")]
    [DataRow("${DOTTED//[.]/-}", "a.b.c")]
    [DataRow("${EMOJI#?}", "x")]
    [DataRow("${EMOJI%?}", "👽")]
    [DataRow("${DOTTED//b/[\\$0]}", "a.[\\b].c")]
    [DataRow("${DOTTED/b/\\$0}", "a.\\$0.c")]
    [DataRow("${DOTTED//b/$$}", "a..c")]
    [DataRow("$𝐀", "bold")]
    [DataRow("${𝐀:+set}", "set")]
    public void PatternsAndNamesWorkOnWholeCharacters(string word, string expected) => Assert.AreEqual(expected, Expand(word));

    [TestMethod]
    public void StarAndQuestionMarkDoNotMatchANewlineAsInBuildKit()
    {
        Assert.AreEqual("a\nx", Expand("${LINES#*x}"));
        Assert.AreEqual("a\nx", Expand("${LINES#a?}"));
        Assert.AreEqual("\nx", Expand("${LINES#a*}"));
    }

    [TestMethod]
    [DataRow("${}", ErrorCodes.BadSubstitution)]
    [DataRow("${PWD:=x}", ErrorCodes.BadSubstitution)]
    [DataRow("${PWD:#x}", ErrorCodes.BadSubstitution)]
    [DataRow("${#PWD}", ErrorCodes.BadSubstitution)]
    [DataRow("${PWD", ErrorCodes.UnterminatedSubstitution)]
    [DataRow("${PWD:-\"x}", ErrorCodes.UnterminatedSubstitution)]
    [DataRow("${PWD/x", ErrorCodes.UnterminatedSubstitution)]
    [DataRow("${PWD/x/y", ErrorCodes.UnterminatedSubstitution)]
    [DataRow("'x", ErrorCodes.UnterminatedQuote)]
    [DataRow("\"x", ErrorCodes.UnterminatedQuote)]
    [DataRow("${UNSET?}", ErrorCodes.RequiredVariableNotSet)]
    [DataRow("${EMPTY:?}", ErrorCodes.RequiredVariableNotSet)]
    [DataRow("${PWD#\\d}", ErrorCodes.InvalidSubstitutionPattern)]
    [DataRow("${PWD/\\n/x}", ErrorCodes.InvalidSubstitutionPattern)]
    public void EveryFailureHasItsCode(string word, string code)
    {
        var error = Assert.ThrowsExactly<ContainerizeException>(() => Expand(word));
        Assert.AreEqual(code, error.Code);
        StringAssert.Contains(error.Message, $"\"{word}\"");
        Assert.IsNull(error.Location);
    }

    [TestMethod]
    public void ARequiredVariableReportsItsMessage()
    {
        var error = Assert.ThrowsExactly<ContainerizeException>(() => Expand("${UNSET:?set UNSET to the version, e.g. $PWD}"));
        StringAssert.Contains(error.Message, "UNSET: set UNSET to the version, e.g. /home");
    }

    [TestMethod]
    public void ErrorsCarryTheCallersLocation()
    {
        var at = new SourceLocation("/src/Dockerfile", 7, 12);
        var lexer = new ShellLexer();
        var fromWord = Assert.ThrowsExactly<ContainerizeException>(() => lexer.ProcessWord("${", Variables, at));
        var fromWords = Assert.ThrowsExactly<ContainerizeException>(() => lexer.ProcessWords("a 'b", Variables, at));
        Assert.AreEqual(at, fromWord.Location);
        Assert.AreEqual(at, fromWords.Location);
        StringAssert.StartsWith(fromWord.ToString(), "/src/Dockerfile(7,12): error CTZ5101");
    }

    [TestMethod]
    public void WordsAndResultComeFromTheSamePass()
    {
        ExpansionResult result = new ShellLexer().ProcessWords("$SPACED \"$SPACED\" ${NOPE:-z}", Variables);
        Assert.AreEqual("x  y x  y z", result.Result);
        CollectionAssert.AreEqual(new[] { "x", "y", "x  y", "z" }, result.Words.ToList());
        CollectionAssert.AreEquivalent(new[] { "SPACED" }, result.Matched.ToList());
        CollectionAssert.AreEquivalent(new[] { "NOPE" }, result.Unmatched.ToList());
    }

    [TestMethod]
    public void WindowsStyleLookupIgnoresCase()
    {
        var windows = new DictionaryVariables([new("Path", @"C:\bin")], ignoreCase: true);
        Assert.AreEqual(@"C:\bin", new ShellLexer('`').ProcessWord("$PATH", windows).Result);
    }

    [TestMethod]
    public void ALaterValueReplacesAnEarlierOneInPlace()
    {
        var variables = DictionaryVariables.FromKeyValueList(["A=1", "B=2", "A=3"]);
        CollectionAssert.AreEqual(new[] { "A=3", "B=2" }, variables.Entries.Select(e => $"{e.Key}={e.Value}").ToList());
    }

    [TestMethod]
    public void OnlyBackslashAndBacktickAreEscapeTokens() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ShellLexer('x'));

    [TestMethod]
    public void NestingIsBoundedInsteadOfExhaustingTheStack()
    {
        string deep = string.Concat(Enumerable.Repeat("${U:-", WordExpander.MaxNesting)) + "x" + new string('}', WordExpander.MaxNesting);
        Assert.AreEqual("x", Expand(deep));

        string tooDeep = string.Concat(Enumerable.Repeat("${U:-", 100_000));
        Assert.AreEqual(ErrorCodes.SubstitutionTooDeep, Assert.ThrowsExactly<ContainerizeException>(() => Expand(tooDeep)).Code);
        string quotedTooDeep = string.Concat(Enumerable.Repeat("\"${U:-", 100_000));
        Assert.AreEqual(ErrorCodes.SubstitutionTooDeep, Assert.ThrowsExactly<ContainerizeException>(() => Expand(quotedTooDeep)).Code);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void PatternsOnLongValuesStayLinear()
    {
        string value = string.Concat(Enumerable.Repeat("ab", 250_000)) + "c";
        string pattern = string.Concat(Enumerable.Repeat("*a", 50));
        var variables = new DictionaryVariables([new("V", value), new("P", pattern)]);
        var lexer = new ShellLexer();
        var clock = Stopwatch.StartNew();

        Assert.AreEqual("c", lexer.ProcessWord("${V##*b}", variables).Result);
        Assert.AreEqual("", lexer.ProcessWord("${V%%a*}", variables).Result);
        Assert.AreEqual(value, lexer.ProcessWord("${V#*z}", variables).Result);
        Assert.AreEqual(value, lexer.ProcessWord("${V//*z/-}", variables).Result);
        Assert.AreEqual(value.Replace("ab", "-"), lexer.ProcessWord("${V//ab/-}", variables).Result);
        Assert.AreEqual(value, lexer.ProcessWord("${V%$P*z}", variables).Result);
        Assert.AreEqual("bc", lexer.ProcessWord("${V##$P}", variables).Result);

        // Scans of half a million characters, linear in text length times pattern length; a
        // backtracking matcher would not finish the hundred-token pattern.
        Assert.IsLessThan(20_000, clock.ElapsedMilliseconds, $"took {clock.ElapsedMilliseconds} ms");
    }
}
