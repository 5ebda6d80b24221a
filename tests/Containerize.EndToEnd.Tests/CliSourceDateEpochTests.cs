using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>SOURCE_DATE_EPOCH read by the CLI as by the MSBuild tasks: a value that is not seconds since 1970 is CTZ4000, not a crash.</summary>
[TestCategory("EndToEnd")]
[TestClass]
public class CliSourceDateEpochTests
{
    [TestMethod]
    [DataRow("abc")]
    [DataRow("-5")]
    [DataRow("99999999999999999999")]
    public async Task ABadSourceDateEpochIsAnErrorWithItsCodeAndNoStackTrace(string epoch)
    {
        using var work = new TempDirectory("ctz-cli-epoch");
        string context = work.Combine("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\n");
        string store = work.Combine("store");
        var environment = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = epoch };

        foreach (string[] arguments in new[]
        {
            new[] { "build", "--store", store, "--archive", work.Combine("image.tar"), context },
            ["image", "--store", store, "--base", "scratch", "--content", context, "--archive", work.Combine("content.tar")],
        })
        {
            await ContainerizeCli.AssertFailsWithAsync($"error CTZ4000: SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds since 1970-01-01", environment, arguments);
            Assert.IsFalse(File.Exists(work.Combine("image.tar")) || File.Exists(work.Combine("content.tar")), "nothing written");
        }
    }
}
