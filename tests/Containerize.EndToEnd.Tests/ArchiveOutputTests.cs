using Containerize.TestSupport;

namespace Containerize.EndToEnd.Tests;

[TestCategory("EndToEnd")]
[TestClass]
public class ArchiveOutputTests
{
    [TestMethod]
    public async Task WithoutARegistryTheImageIsAnOciArchiveThatUmociUnpacks()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "ArchivedApp");
        string archive = Path.Combine(project.Directory, "out", "image.tar");
        var build = await project.BuildImageAsync([
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
            "ContainerArchiveOutputPath=out/image.tar",
        ]);
        build.EnsureSuccess("dotnet publish -t:BuildImage");
        Assert.IsTrue(File.Exists(archive), "the archive is written where ContainerArchiveOutputPath says, relative to the project");

        var inspect = await Skopeo.InspectAsync($"oci-archive:{archive}:1.0.0");
        Assert.AreEqual(SampleProject.DigestFrom(build), inspect.GetProperty("Digest").GetString());

        using var layout = new TempDirectory("ctz-layout");
        (await ProcessRunner.RunAsync("tar", "-xf", archive, "-C", layout.Path)).EnsureSuccess("tar -xf");
        using var bundle = new TempDirectory("ctz-bundle");
        Directory.Delete(bundle.Path);
        (await ProcessRunner.RunAsync("umoci", "unpack", "--image", $"{layout.Path}:1.0.0", bundle.Path)).EnsureSuccess("umoci unpack");
        string rootfs = Path.Combine(bundle.Path, "rootfs");
        PublishOutputAssert.SameFiles(project.PublishDirectory, Path.Combine(rootfs, "app"));
        Assert.IsTrue(File.Exists(Path.Combine(rootfs, "bin", "busybox")), "the base image's files are in the unpacked image");
    }

    [TestMethod]
    public async Task DockerFormatWritesADockerArchive()
    {
        using var project = await SampleProject.CreateConsoleAsync(name: "DockerApp");
        var build = await project.BuildImageAsync([
            $"ContainerBaseImage={EndToEndEnvironment.BusyboxImage}",
            "ContainerImageFormat=Docker",
            "ContainerImageTag=dev",
        ]);
        build.EnsureSuccess("dotnet publish -t:BuildImage");
        string archive = Path.Combine(project.Directory, "bin", "Release", "net10.0", "container", "dockerapp.tar");
        Assert.IsTrue(File.Exists(archive), $"without a registry the archive goes to bin/<configuration>/<tfm>/container/: {build.Output}");

        string manifest = await Skopeo.RawManifestAsync($"docker-archive:{archive}");
        StringAssert.Contains(manifest, "application/vnd.docker.distribution.manifest.v2+json");
        StringAssert.Contains(manifest, "application/vnd.docker.image.rootfs.diff.tar.gzip");
        var index = (await ProcessRunner.RunAsync("tar", "-xOf", archive, "manifest.json")).EnsureSuccess("tar -xOf manifest.json");
        var repoTags = System.Text.Json.JsonDocument.Parse(index.StandardOutput).RootElement[0].GetProperty("RepoTags")
            .EnumerateArray().Select(t => t.GetString()).ToList();
        CollectionAssert.AreEqual(new[] { "docker.io/library/dockerapp:dev" }, repoTags, "docker load names the image by its repository and tag");
    }
}
