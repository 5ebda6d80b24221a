using Containerize.Engine.Copy;
using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Copy;

/// <summary>
/// ADD &lt;git ref&gt; with a hostile ref, URL or repository (served by a real git daemon): git never
/// takes a word of the Dockerfile as an option, never fetches over a transport other than http,
/// https, ssh and git (not file://, not ext::), and never reads the user's or the caller's git
/// configuration or repository. The environment is changed in some tests, so they run alone.
/// </summary>
[TestCategory("Unit")]
[TestClass]
[DoNotParallelize]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AddGitHostileSourceTests
{
    private static readonly DateTimeOffset Date = new(2021, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static LocalGitServer s_server = null!;
    private static TempDirectory s_local = null!;
    private static string s_secretRepository = null!;
    private static string s_url = null!;

    [ClassInitialize]
    public static void StartServer(TestContext _)
    {
        s_server = new LocalGitServer();
        s_local = new TempDirectory("ctz-git-hostile");
        s_secretRepository = s_local.Combine("secret");
        ExternalTool.RunChecked("git", "init", "-q", "-b", "main", s_secretRepository);
        string secretCommit = s_server.Commit(s_secretRepository, Date, ("private.key", "only on this machine"));

        // A repository whose submodule points at a repository on the machine that fetches it.
        string repo = s_server.CreateRepository("hostile");
        File.WriteAllText(Path.Combine(repo, ".gitmodules"), $"[submodule \"sub\"]\n\tpath = sub\n\turl = file://{s_secretRepository}\n");
        s_server.Commit(repo, Date, ("readme", "hello"));
        // The link is committed without a work tree folder for it (Commit's "add -A" would drop it).
        s_server.Git(repo, null, "update-index", "--add", "--cacheinfo", $"160000,{secretCommit},sub");
        s_server.Git(repo, Date, "commit", "-q", "-m", "submodule");
        s_url = s_server.Url("hostile");
    }

    [ClassCleanup]
    public static void StopServer()
    {
        s_server?.Dispose();
        s_local?.Dispose();
    }

    private static CopyRequest Add(CopyFixture f, string source) =>
        f.Request("/src/", source) with { IsAdd = true, Location = new SourceLocation("Dockerfile", 4, 1) };

    private static int TemporaryCheckouts() => Directory.GetDirectories(Path.GetTempPath(), GitSourceFetcher.TemporaryPrefix + "*").Length;

    [TestMethod]
    [Timeout(120_000)]
    [DataRow("--upload-pack=touch /tmp/ctz-pwned")]
    [DataRow("-q")]
    [DataRow("--recurse-submodules")]
    public void ARefThatLooksLikeAnOptionIsRefusedBeforeGitRuns(string reference)
    {
        using var f = new CopyFixture();
        int before = TemporaryCheckouts();
        var e = f.Fails(Add(f, s_url + "#" + reference));
        Assert.AreEqual(ErrorCodes.UnsafeGitSource, e.Code, e.Message);
        StringAssert.Contains(e.Message, reference);
        StringAssert.Contains(e.Message, s_url);
        Assert.AreEqual(new SourceLocation("Dockerfile", 4, 1), e.Location);
        Assert.AreEqual(before, TemporaryCheckouts());
    }

    [TestMethod]
    [Timeout(120_000)]
    public void ARepositoryThatLooksLikeAnOptionIsRefused()
    {
        using var f = new CopyFixture();
        var e = f.Fails(Add(f, "-oProxyCommand@127.0.0.1:repo"));
        Assert.AreEqual(ErrorCodes.UnsafeGitSource, e.Code, e.Message);
        StringAssert.Contains(e.Message, "-oProxyCommand@127.0.0.1:repo");
    }

    [TestMethod]
    [Timeout(120_000)]
    public void ASubmoduleOnAFileUrlIsNeverFetchedEvenWhenTheUsersGitConfigAllowsIt()
    {
        using var f = new CopyFixture();
        string config = f.TempPath("gitconfig");
        File.WriteAllText(config, "[protocol \"file\"]\n\tallow = always\n[protocol]\n\tallow = always\n");
        using (new EnvironmentVariable("GIT_CONFIG_GLOBAL", config))
        {
            var e = f.Fails(Add(f, s_url));
            Assert.AreEqual(ErrorCodes.GitFetchFailed, e.Code, e.Message);
            StringAssert.Contains(e.Message, "submodule");
            StringAssert.Contains(e.Message, s_url);
        }
    }

    [TestMethod]
    [Timeout(120_000)]
    public void TheCallersGitRepositoryAndConfigurationDoNotReachGit()
    {
        using var f = new CopyFixture();
        string repo = s_server.CreateRepository("plain");
        s_server.Commit(repo, Date, ("readme", "plain"));
        string callers = f.TempPath("callers-repository");
        ExternalTool.RunChecked("git", "init", "-q", "--bare", callers);
        string headBefore = File.ReadAllText(Path.Combine(callers, "HEAD"));
        // As in a git hook: the caller's repository and a config that would rewrite every URL.
        using (new EnvironmentVariable("GIT_DIR", callers))
        using (new EnvironmentVariable("GIT_CONFIG_COUNT", "1"))
        using (new EnvironmentVariable("GIT_CONFIG_KEY_0", "url.file:///nonexistent/.insteadOf"))
        using (new EnvironmentVariable("GIT_CONFIG_VALUE_0", "git://"))
        {
            var layer = f.Copy(Add(f, s_server.Url("plain")));
            Assert.AreEqual("plain", f.Content(layer, "src/readme"));
        }
        Assert.AreEqual(headBefore, File.ReadAllText(Path.Combine(callers, "HEAD")));
        Assert.IsEmpty(Directory.GetFiles(Path.Combine(callers, "objects"), "*", SearchOption.AllDirectories), "nothing was fetched into the caller's repository");
    }

    /// <summary>Sets a variable of this process for a using block, then restores it.</summary>
    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _previous;

        public EnvironmentVariable(string name, string value)
        {
            _name = name;
            _previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
    }
}
