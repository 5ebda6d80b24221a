using Containerize.Engine.Diagnostics;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Execution;

/// <summary>
/// An image whose /etc/passwd is no plain text file: a FIFO (the step would wait forever), a link to
/// /dev/zero (memory would fill), a directory, or an entry with a uid that is no number. Every step
/// on it, root's too (the home directory is looked up), ends in a clear error.
/// </summary>
[TestCategory("Namespaces")]
[TestClass]
public class HostileUserDatabaseTests
{
    [TestMethod]
    [DataRow("fifo", "", "is not a regular file")]
    [DataRow("dev-zero", "", "is not a regular file")]
    [DataRow("directory", "app", "is not a regular file")]
    [DataRow("bad-uid", "app", "gives app the uid 'lots', which is not a number")]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task AStepOnAHostilePasswdFailsClearlyInsteadOfHanging(string kind, string user, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        using var f = await ContainerFixture.CreateAsync();
        f.AddLayer(d =>
        {
            string etc = Path.Combine(d, "etc");
            Directory.CreateDirectory(etc);
            string passwd = Path.Combine(etc, "passwd");
            switch (kind)
            {
                case "fifo": ExternalTool.RunChecked("mkfifo", passwd); break;
                case "dev-zero": File.CreateSymbolicLink(passwd, "/dev/zero"); break;
                case "directory": Directory.CreateDirectory(passwd); break;
                default: File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/sh\napp:x:lots:1654::/home/app:/bin/sh\n"); break;
            }
        });
        var e = await Assert.ThrowsExactlyAsync<ContainerizeException>(() => f.RunAsync(f.Spec("true") with { User = user }, timeout.Token));
        StringAssert.StartsWith(e.Code, "CTZ700", e.Message);
        StringAssert.Contains(e.Message, expected);
        Assert.IsFalse(e.Message.Contains("Exception", StringComparison.Ordinal), e.Message);
    }
}
