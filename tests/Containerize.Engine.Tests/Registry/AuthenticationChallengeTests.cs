using Containerize.Engine.Registry;

namespace Containerize.Engine.Tests.Registry;

[TestCategory("Unit")]
[TestClass]
public sealed class AuthenticationChallengeTests
{
    [TestMethod]
    public void BearerWithQuotedCommasKeepsTheWholeScope()
    {
        var c = AuthenticationChallenge.Parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"").Single();
        Assert.IsTrue(c.IsBearer);
        Assert.AreEqual("https://auth.example.com/token", c.Realm);
        Assert.AreEqual("registry.example.com", c.Service);
        Assert.AreEqual("repository:a/b:pull,push", c.Scope);
    }

    [TestMethod]
    [DataRow("Basic realm=\"Registry Realm\"", "Basic", "Registry Realm")]
    [DataRow("basic realm=registry", "basic", "registry")]
    [DataRow("Bearer   realm = \"https://x/t\" , service=\"s\"", "Bearer", "https://x/t")]
    [DataRow("Bearer realm=\"https://x/t?a=1&b=2\"", "Bearer", "https://x/t?a=1&b=2")]
    [DataRow("Bearer realm=\"esc\\\"aped\"", "Bearer", "esc\"aped")]
    [DataRow("BEARER REALM=\"https://x/t\"", "BEARER", "https://x/t")]
    public void SchemeAndRealmAreRead(string header, string scheme, string realm)
    {
        var c = AuthenticationChallenge.Parse(header).Single();
        Assert.AreEqual(scheme, c.Scheme);
        Assert.AreEqual(realm, c.Realm);
    }

    [TestMethod]
    public void SeveralChallengesInOneHeaderAreSeparated()
    {
        var all = AuthenticationChallenge.Parse("Negotiate abc==, Basic realm=\"b\", Bearer realm=\"https://t\",service=\"s\"");
        CollectionAssert.AreEqual(new[] { "Negotiate", "Basic", "Bearer" }, all.Select(c => c.Scheme).ToArray());
        Assert.AreEqual("b", all[1].Realm);
        Assert.AreEqual("s", all[2].Service);
    }

    [TestMethod]
    public void BearerIsPreferredOverBasicAcrossHeaders()
    {
        var chosen = AuthenticationChallenge.Select(["Basic realm=\"b\"", "Bearer realm=\"https://t\""]);
        Assert.IsTrue(chosen!.IsBearer);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("Bearer realm=\"unterminated")]
    [DataRow("=,,=\"")]
    [DataRow("Digest nonce=\"x\"")]
    public void MalformedOrUnsupportedHeadersNeverThrow(string header)
    {
        _ = AuthenticationChallenge.Parse(header);
        var chosen = AuthenticationChallenge.Select([header]);
        Assert.IsTrue(chosen is null || chosen.IsBearer);
    }
}
