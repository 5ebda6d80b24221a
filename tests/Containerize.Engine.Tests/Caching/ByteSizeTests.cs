using Containerize.Engine.Caching;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Tests.Caching;

[TestCategory("Unit")]
[TestClass]
public sealed class ByteSizeTests
{
    [TestMethod]
    [DataRow("4096", 4096L)]
    [DataRow("500MB", 500L << 20)]
    [DataRow("10GB", 10L << 30)]
    [DataRow("10 gb", 10L << 30)]
    [DataRow("1.5GiB", 3L << 29)]
    [DataRow("64k", 64L << 10)]
    [DataRow("0", 0L)]
    public void SizesAreReadAsPeopleWriteThem(string text, long bytes) => Assert.AreEqual(bytes, ByteSize.Parse(text, "ContainerCacheMaxSize"));

    [TestMethod]
    [DataRow("lots")]
    [DataRow("-1GB")]
    [DataRow("10XB")]
    [DataRow("")]
    public void ABadSizeSaysWhatToWrite(string text)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ByteSize.Parse(text, "ContainerCacheMaxSize"));
        Assert.AreEqual(ErrorCodes.InvalidCacheSize, e.Code);
        StringAssert.Contains(e.Message, "ContainerCacheMaxSize");
        StringAssert.Contains(e.Message, "10GB");
    }
}
