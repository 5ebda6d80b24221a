using Containerize.Engine.Copy;

namespace Containerize.Engine.Tests.Copy;

/// <summary>Which ADD words are git repositories, which are URLs and which are local paths (BuildKit's rules).</summary>
[TestCategory("Unit")]
[TestClass]
public class RemoteSourceTests
{
    [TestMethod]
    [DataRow("git@github.com:moby/buildkit.git", "git@github.com:moby/buildkit.git", null, null)]
    [DataRow("git@github.com:moby/buildkit.git#v0.12:docs/dev", "git@github.com:moby/buildkit.git", "v0.12", "docs/dev")]
    [DataRow("git://example.com/repo", "git://example.com/repo", null, null)]
    [DataRow("git://example.com/repo#main", "git://example.com/repo", "main", null)]
    [DataRow("ssh://git@example.com/repo.git#:sub", "ssh://git@example.com/repo.git", null, "sub")]
    [DataRow("https://github.com/moby/buildkit.git", "https://github.com/moby/buildkit.git", null, null)]
    [DataRow("https://github.com/moby/buildkit.git#refs/pull/1/head", "https://github.com/moby/buildkit.git", "refs/pull/1/head", null)]
    [DataRow("HTTP://example.com/x.git#a:b/c", "HTTP://example.com/x.git", "a", "b/c")]
    public void GitReferences(string word, string remote, string? reference, string? subdirectory)
    {
        var git = RemoteSource.TryParse(word) as GitSource;
        Assert.IsNotNull(git, word);
        Assert.AreEqual(remote, git.Remote);
        Assert.AreEqual(reference, git.Ref);
        Assert.AreEqual(subdirectory, git.SubDirectory);
    }

    [TestMethod]
    [DataRow("https://example.com/files/app.tar.gz", "app.tar.gz")]
    [DataRow("http://example.com/a%20b.txt?x=1", "a b.txt")]
    [DataRow("http://example.com/dir/", "dir")]
    [DataRow("http://example.com/", "__unnamed__")]
    [DataRow("http://example.com", "__unnamed__")]
    [DataRow("https://example.com/repo.git/raw/file", "file")]
    public void UrlsAreNamedAfterTheirLastPathSegment(string word, string fileName)
    {
        var http = RemoteSource.TryParse(word) as HttpSource;
        Assert.IsNotNull(http, word);
        Assert.AreEqual(fileName, http.FileName);
    }

    [TestMethod]
    [DataRow("app.dll")]
    [DataRow("./git@host:x")]
    [DataRow("../x")]
    [DataRow("github.com/moby/buildkit")]
    [DataRow("ftp://example.com/a.txt")]
    [DataRow("file:///etc/passwd")]
    [DataRow("C:name")]
    [DataRow("dir/with:colon")]
    public void OtherWordsAreLocalPaths(string word) => Assert.IsNull(RemoteSource.TryParse(word));
}
