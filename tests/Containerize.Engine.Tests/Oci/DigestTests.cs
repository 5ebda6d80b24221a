using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Tests.Oci;

[TestCategory("Unit")]
[TestClass]
public class DigestTests
{
    [TestMethod]
    public void Sha256OfKnownContentMatchesTheWellKnownValue()
    {
        Assert.AreEqual("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Sha256([]).ToString());
    }

    [TestMethod]
    public void Sha512IsAccepted()
    {
        var text = "sha512:" + new string('a', 128);
        Assert.AreEqual(text, Digest.Parse(text).ToString());
    }

    [TestMethod]
    [DataRow("sha256:abc")]
    [DataRow("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [DataRow("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [DataRow("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void InvalidDigestsAreRefusedWithACode(string text)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => Digest.Parse(text));
        Assert.AreEqual(ErrorCodes.InvalidDigest, e.Code);
    }
}
