using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

/// <summary>Compares files unpacked from an image with the publish output they came from.</summary>
internal static class PublishOutputAssert
{
    public static void SameFiles(string publishDirectory, string unpackedDirectory)
    {
        var expected = Directory.GetFiles(publishDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(publishDirectory, f)).Order(StringComparer.Ordinal).ToList();
        var actual = Directory.GetFiles(unpackedDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(unpackedDirectory, f)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(expected, actual, "the image's application folder must hold exactly the publish output");
        foreach (string file in expected)
        {
            string source = Path.Combine(publishDirectory, file);
            string copy = Path.Combine(unpackedDirectory, file);
            CollectionAssert.AreEqual(File.ReadAllBytes(source), File.ReadAllBytes(copy), $"content of {file}");
            Assert.AreEqual(File.GetUnixFileMode(source), File.GetUnixFileMode(copy), $"mode of {file}");
        }
    }

    /// <summary>Owners as GNU tar lists them (<c>uid/gid</c>) for every entry of a layer blob.</summary>
    public static async Task<IReadOnlyList<string>> OwnersAsync(string layerBlob)
    {
        var listing = (await ProcessRunner.RunAsync("tar", "--numeric-owner", "-tvzf", layerBlob)).EnsureSuccess("tar -tvzf");
        return listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).Distinct().ToList();
    }
}
