using Containerize.Engine.Builders;
using Containerize.Engine.Builders.Inputs;
using Containerize.Engine.Diagnostics;
using Containerize.Engine.Oci;

namespace Containerize.Engine.Tests.Builders;

/// <summary>The settings the MSBuild tasks and the CLI both read, parsed once: what is taken, and the error that names the setting.</summary>
[TestCategory("Unit")]
[TestClass]
public sealed class InputSettingTests
{
    [TestMethod]
    [DataRow("oci", ImageFormat.Oci)]
    [DataRow(" Docker ", ImageFormat.Docker)]
    [DataRow("OCI", ImageFormat.Oci)]
    public void AnImageFormatIsTakenInAnyCase(string value, ImageFormat expected) =>
        Assert.AreEqual(expected, ImageFormatSetting.Parse(value, "ContainerImageFormat"));

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  ")]
    public void AnEmptyImageFormatIsUnset(string? value) => Assert.IsNull(ImageFormatSetting.Parse(value, "--format"));

    [TestMethod]
    public void AnUnknownImageFormatNamesTheSettingAndTheChoices()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ImageFormatSetting.Parse("v2s2", "--format"));

        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        Assert.AreEqual("--format 'v2s2' is not known: use OCI or Docker.", e.Message);
    }

    [TestMethod]
    [DataRow("0", 0L)]
    [DataRow(" 1700000000 ", 1700000000L)]
    [DataRow("253402300799", 253402300799L)]
    public void ASourceDateEpochIsSecondsSince1970(string value, long seconds) =>
        Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(seconds), SourceDateEpoch.Parse(value));

    [TestMethod]
    [DataRow("abc")]
    [DataRow("-5")]
    [DataRow("1.5")]
    [DataRow("253402300800")]
    [DataRow("99999999999999999999")]
    public void AnythingElseIsAnErrorNamingSourceDateEpoch(string value)
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => SourceDateEpoch.Parse(value));

        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.StartsWith(e.Message, $"SOURCE_DATE_EPOCH '{value}' is not a number of seconds since 1970-01-01");
    }

    [TestMethod]
    public void AnEmptyPlatformIsThisMachinesAndAGivenOneIsNormalized()
    {
        Assert.AreEqual(Platform.Host, PlatformSetting.Parse(" ", "ContainerPlatform"));
        Assert.AreEqual(new Platform { Os = "linux", Architecture = "amd64" }, PlatformSetting.Parse("Linux/x86_64", "ContainerPlatform"));
    }

    [TestMethod]
    public void ABadPlatformNamesTheSetting()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => PlatformSetting.Parse("bogus", "--platform"));

        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.StartsWith(e.Message, "--platform 'bogus' is not a valid platform: expected os/architecture[/variant]");
    }

    [TestMethod]
    public void TagsAreTrimmedAndTakenOnce()
    {
        CollectionAssert.AreEqual(new[] { "1.0", "latest" }, ImageTagsSetting.Parse([" 1.0", "latest", "", "1.0 "], "ContainerImageTags").ToArray());
    }

    [TestMethod]
    public void ABadTagNamesTheSetting()
    {
        var e = Assert.ThrowsExactly<ContainerizeException>(() => ImageTagsSetting.Parse(["ok", "-bad"], "--tag"));

        Assert.AreEqual(ErrorCodes.InvalidReference, e.Code);
        StringAssert.StartsWith(e.Message, "--tag '-bad' is not a valid tag");
    }

    [TestMethod]
    public void ARegistryIsAHostAndPortAndAUrlGivesItsAuthority()
    {
        Assert.IsNull(RepositorySetting.PushTarget(" ", "app", "ContainerRegistry"));
        Assert.AreEqual("127.0.0.1:5000/team/app", RepositorySetting.PushTarget("http://127.0.0.1:5000/", "team/app", "ContainerRegistry")!.Name);

        var e = Assert.ThrowsExactly<ContainerizeException>(() => RepositorySetting.PushTarget("not a host", "app", "ContainerRegistry"));
        Assert.AreEqual(ErrorCodes.InvalidProperty, e.Code);
        StringAssert.StartsWith(e.Message, "ContainerRegistry 'not a host' is not a registry host: use host[:port]");
    }

    [TestMethod]
    public void ABadRepositoryOrPushTargetNamesTheSetting()
    {
        Assert.AreEqual("team/app", RepositorySetting.Parse(" team/app ", "ContainerRepository"));

        var repository = Assert.ThrowsExactly<ContainerizeException>(() => RepositorySetting.Parse("Bad Name", "ContainerRepository"));
        var push = Assert.ThrowsExactly<ContainerizeException>(() => RepositorySetting.ParsePushTarget("Bad Ref", "--push"));

        Assert.AreEqual(ErrorCodes.InvalidReference, repository.Code);
        StringAssert.StartsWith(repository.Message, "ContainerRepository 'Bad Name' is not a valid image reference");
        StringAssert.StartsWith(push.Message, "--push 'Bad Ref' is not a valid image reference");
    }

    [TestMethod]
    public void AnArchiveFolderGetsAFileNamedAfterTheRepository()
    {
        Assert.IsNull(ArchiveSetting.Path("", "/work", "app"));
        Assert.AreEqual("/work/out/image.tar", ArchiveSetting.Path(" out/image.tar ", "/work", "app"));
        Assert.AreEqual("/work/bin/container/team_app.tar", ArchiveSetting.Path("bin/container/", "/work", "team/app"));
        Assert.AreEqual(ArchiveFormat.DockerArchive, ArchiveSetting.FormatFor(ImageFormat.Docker));
        Assert.AreEqual(ArchiveFormat.OciLayout, ArchiveSetting.FormatFor(null));
    }

    [TestMethod]
    public void StepCacheStagesAreSeparatedByCommasOrSemicolons()
    {
        var options = StepCacheSetting.Parse(noCache: true, ["build, test", "final;"]);

        Assert.IsTrue(options.NoCache);
        CollectionAssert.AreEqual(new[] { "build", "test", "final" }, options.NoCacheStages.ToArray());
        Assert.AreEqual(Steps.BuildSettings.DefaultCacheMaxSize, StepCacheSetting.MaxSize(null, "ContainerCacheMaxSize"));
        Assert.AreEqual(500L << 20, StepCacheSetting.MaxSize("500MB", "ContainerCacheMaxSize"));
        StringAssert.StartsWith(Assert.ThrowsExactly<ContainerizeException>(() => StepCacheSetting.MaxSize("1XB", "--cache-max-size")).Message, "--cache-max-size '1XB' is not a size");
    }
}
